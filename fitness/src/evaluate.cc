#include "fitness/evaluate.h"

#include <algorithm>
#include <cmath>

#include "fitness/generate.h"
#include "fitness/loglikelihood.h"
#include "fitness/scorer.h"

namespace hallmark::fitness {
namespace {

void score_generations(const LanguageModel& lm, const Task& task, const Scorer& scorer,
                       const std::vector<const TaskItem*>& items, const EvalOptions& options,
                       std::vector<ItemResult>& results) {
  GenerationOptions gen;
  gen.max_new_tokens = options.max_new_tokens.value_or(task.max_new_tokens);
  gen.stop = task.stop;
  gen.stop.insert(gen.stop.end(), options.extra_stop.begin(), options.extra_stop.end());
  gen.batch_size = options.batch_size;
  std::vector<std::string> prompts;
  for (const auto& r : results) prompts.push_back(r.prompt);
  const std::vector<Generation> outputs = generate(lm, prompts, gen);
  for (size_t i = 0; i < items.size(); ++i) {
    ItemScore s = scorer.score_output(*items[i], outputs[i].text);
    results[i].output = outputs[i].text;
    results[i].extracted = std::move(s.extracted);
    results[i].scores = std::move(s.values);
    results[i].prompt_tokens_dropped = outputs[i].prompt_tokens_dropped;
  }
}

void score_choices(const LanguageModel& lm, const Task& task, const Scorer& scorer,
                   const std::vector<const TaskItem*>& items, const EvalOptions& options,
                   std::vector<ItemResult>& results) {
  std::vector<LoglikelihoodRequest> requests;
  for (size_t i = 0; i < items.size(); ++i) {
    for (const std::string& choice : items[i]->choices) {
      requests.push_back({results[i].prompt, task.target_delimiter + choice});
    }
  }
  const std::vector<ContinuationScore> scores = loglikelihood(lm, requests, options.batch_size);
  size_t next = 0;
  for (size_t i = 0; i < items.size(); ++i) {
    const size_t n = items[i]->choices.size();
    const std::vector<ContinuationScore> mine(scores.begin() + static_cast<std::ptrdiff_t>(next),
                                              scores.begin() + static_cast<std::ptrdiff_t>(next + n));
    next += n;
    ItemScore s = scorer.score_choices(*items[i], mine);
    results[i].output = s.extracted;
    results[i].extracted = std::move(s.extracted);
    results[i].scores = std::move(s.values);
  }
}

}  // namespace

TaskResult evaluate_task(const LanguageModel& lm, const Task& task, const EvalOptions& options) {
  const std::unique_ptr<Scorer> scorer = make_scorer(task.scorer, task.scorer_settings);
  size_t count = task.items.size();
  if (options.limit) count = std::min(count, static_cast<size_t>(std::max<int64_t>(0, *options.limit)));
  std::vector<const TaskItem*> items;
  std::vector<ItemResult> results(count);
  for (size_t i = 0; i < count; ++i) {
    items.push_back(&task.items[i]);
    results[i].id = task.items[i].id;
    results[i].prompt = task.build_prompt(task.items[i]);
    results[i].target = task.items[i].target();
  }
  TaskResult out;
  out.task = task.name;
  out.scorer = task.scorer;
  if (count == 0) return out;
  if (scorer->uses_loglikelihood()) {
    score_choices(lm, task, *scorer, items, options, results);
  } else {
    score_generations(lm, task, *scorer, items, options, results);
  }
  const std::vector<std::string> names = scorer->metrics();
  for (size_t m = 0; m < names.size(); ++m) {
    std::vector<double> values;
    for (const auto& r : results) values.push_back(r.scores.at(m));
    out.metrics.push_back(mean_with_std_error(names[m], values));
  }
  out.items = std::move(results);
  return out;
}

nlohmann::json to_json(const TaskResult& result) {
  using nlohmann::json;
  auto number = [](double v) { return std::isfinite(v) ? json(v) : json(nullptr); };
  json metrics = json::object();
  for (const auto& m : result.metrics) {
    metrics[m.name] = {{"value", m.value}, {"stderr", number(m.std_error)}, {"n", m.count}};
  }
  json items = json::array();
  for (const auto& r : result.items) {
    json scores = json::object();
    for (size_t m = 0; m < result.metrics.size() && m < r.scores.size(); ++m) scores[result.metrics[m].name] = r.scores[m];
    items.push_back({{"id", r.id}, {"prompt", r.prompt}, {"output", r.output}, {"target", r.target},
                     {"extracted", r.extracted}, {"scores", scores},
                     {"prompt_tokens_dropped", r.prompt_tokens_dropped}});
  }
  return {{"task", result.task},
          {"scorer", result.scorer},
          {"accuracy", result.metrics.empty() ? json(nullptr) : json(result.metrics.front().value)},
          {"metrics", metrics},
          {"items", items}};
}

}  // namespace hallmark::fitness
