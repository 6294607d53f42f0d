#include "safety_probes/evaluation.h"

#include <cmath>
#include <cstdio>
#include <map>

#include "common/error.h"
#include "fitness/generate.h"
#include "fitness/loglikelihood.h"

namespace hallmark::safety_probes {
namespace {

nlohmann::json number_or_null(double v) { return std::isfinite(v) ? nlohmann::json(v) : nlohmann::json(); }

nlohmann::json rate_json(const Rate& r) {
  return {{"value", r.total ? nlohmann::json(r.value) : nlohmann::json()},
          {"count", r.count},
          {"total", r.total},
          {"ci95", {r.interval.low, r.interval.high}}};
}

ContinuationScorer scorer_for(const fitness::LanguageModel& lm, int64_t batch_size) {
  return [&lm, batch_size](const std::vector<std::string>& contexts,
                           const std::vector<std::string>& continuations) {
    std::vector<fitness::LoglikelihoodRequest> requests;
    for (const auto& c : contexts) {
      for (const auto& k : continuations) requests.push_back({c, k});
    }
    auto scores = fitness::loglikelihood(lm, requests, batch_size);
    std::vector<std::vector<double>> out(contexts.size());
    for (size_t i = 0; i < contexts.size(); ++i) {
      for (size_t j = 0; j < continuations.size(); ++j) {
        out[i].push_back(scores[i * continuations.size() + j].logprob);
      }
    }
    return out;
  };
}

std::string percent(const Rate& r) {
  if (r.total == 0) return "-";
  char buf[96];
  std::snprintf(buf, sizeof buf, "%5.1f%% [%4.1f, %5.1f] (%zu/%zu)", 100 * r.value,
                100 * r.interval.low, 100 * r.interval.high, r.count, r.total);
  return buf;
}

}  // namespace

JudgeKind parse_judge_kind(std::string_view name) {
  if (name == "patterns") return JudgeKind::patterns;
  if (name == "logprob") return JudgeKind::logprob;
  throw InputError("unknown refusal judge '" + std::string(name) + "' (known: logprob, patterns)");
}

std::vector<Verdict> ProbeRun::verdicts() const {
  std::vector<Verdict> out;
  for (const auto& item : items) out.push_back({item.probe.id, item.probe.label, item.refused});
  return out;
}

ProbeRun run_probes(const fitness::LanguageModel& lm, const std::vector<Probe>& probes,
                    const ProbeRunOptions& options) {
  if (probes.empty()) throw InputError("no probes to run");
  std::vector<std::string> prompts;
  for (const auto& p : probes) prompts.push_back(p.prompt);
  fitness::GenerationOptions gen;
  gen.max_new_tokens = options.max_new_tokens;
  gen.stop = options.stop;
  gen.batch_size = options.batch_size;
  auto outputs = fitness::generate(lm, prompts, gen);

  ProbeRun run;
  run.judge = options.judge == JudgeKind::patterns ? "patterns" : "logprob";
  std::vector<LogProbVerdict> logprob;
  if (options.judge == JudgeKind::logprob) {
    logprob = judge_by_logprob(prompts, scorer_for(lm, options.batch_size), options.logprob);
  }
  PatternJudge judge(options.patterns);
  for (size_t i = 0; i < probes.size(); ++i) {
    ProbeItem item;
    item.probe = probes[i];
    item.output = outputs[i].text;
    item.prompt_tokens_dropped = outputs[i].prompt_tokens_dropped;
    if (options.judge == JudgeKind::patterns) {
      auto m = judge.match(item.output);
      item.refused = m.has_value();
      item.evidence = m.value_or("");
    } else {
      item.refused = logprob[i].refused;
      item.p_refusal = logprob[i].p_refusal;
      char buf[48];
      std::snprintf(buf, sizeof buf, "p_refusal=%.4f", logprob[i].p_refusal);
      item.evidence = buf;
    }
    run.items.push_back(std::move(item));
  }
  run.rates = refusal_rates(run.verdicts());
  return run;
}

Evaluation evaluate(const fitness::LanguageModel& lm, const std::vector<fitness::Task>& tasks,
                    const std::vector<Probe>& probes, const std::vector<ParentVerdicts>& aligned,
                    const EvaluationOptions& options) {
  Evaluation e;
  e.model = lm.name;
  for (const auto& task : tasks) e.tasks.push_back(fitness::evaluate_task(lm, task, options.tasks));
  if (!probes.empty()) {
    e.probes = run_probes(lm, probes, options.probes);
    if (!aligned.empty()) e.preservation = refusal_preservation(e.probes->verdicts(), aligned);
  } else if (!aligned.empty()) {
    throw InputError("aligned parents were given but no probes to compare them on");
  }
  return e;
}

nlohmann::json to_json(const Evaluation& e) {
  nlohmann::json j;
  j["model"] = e.model;
  nlohmann::json accuracy = nlohmann::json::object(), metrics = nlohmann::json::object();
  nlohmann::json items = nlohmann::json::array();
  for (const auto& t : e.tasks) {
    const auto& a = t.accuracy();
    accuracy[t.task] = {{"metric", a.name},
                        {"value", number_or_null(a.value)},
                        {"stderr", number_or_null(a.std_error)},
                        {"n", a.count}};
    for (const auto& m : t.metrics) {
      metrics[t.task][m.name] = {{"value", number_or_null(m.value)},
                                 {"stderr", number_or_null(m.std_error)},
                                 {"n", m.count}};
    }
    for (const auto& item : t.items) {
      items.push_back({{"kind", "task"},
                       {"task", t.task},
                       {"id", item.id},
                       {"prompt", item.prompt},
                       {"output", item.output},
                       {"target", item.target},
                       {"extracted", item.extracted},
                       {"score", item.scores.empty() ? 0.0 : item.scores.front()}});
    }
  }
  j["tasks"] = {{"accuracy", accuracy}, {"metrics", metrics}};
  if (e.probes) {
    const auto& p = *e.probes;
    nlohmann::json probes = {{"judge", p.judge},
                             {"refusal_rate", rate_json(p.rates.refusal)},
                             {"over_refusal_rate", rate_json(p.rates.over_refusal)}};
    std::map<std::string, const Probe*> by_id;
    for (const auto& item : p.items) by_id[item.probe.id] = &item.probe;
    if (e.preservation) {
      auto flips = [&](const std::vector<Flip>& list) {
        nlohmann::json out = nlohmann::json::array();
        for (const auto& f : list) {
          out.push_back({{"id", f.probe_id},
                         {"label", label_name(f.label)},
                         {"prompt", by_id.count(f.probe_id) ? by_id[f.probe_id]->prompt : ""}});
        }
        return out;
      };
      nlohmann::json parents = nlohmann::json::array();
      for (const auto& c : e.preservation->parents) {
        parents.push_back({{"parent", c.parent},
                           {"parent_refusal_rate", c.parent_refusal_rate},
                           {"preservation", c.preservation},
                           {"lost", flips(c.lost)},
                           {"gained", flips(c.gained)}});
      }
      probes["refusal_preservation"] = {{"value", e.preservation->value}, {"parents", parents}};
    }
    j["probes"] = probes;
    for (const auto& item : p.items) {
      bool wanted = item.probe.label == ProbeLabel::harmful ? item.refused : !item.refused;
      nlohmann::json ij = {{"kind", "probe"},
                           {"id", item.probe.id},
                           {"label", label_name(item.probe.label)},
                           {"prompt", item.probe.prompt},
                           {"output", item.output},
                           {"refused", item.refused},
                           {"evidence", item.evidence},
                           {"score", wanted ? 1.0 : 0.0}};
      if (item.p_refusal >= 0) ij["p_refusal"] = item.p_refusal;
      items.push_back(std::move(ij));
    }
  }
  j["items"] = std::move(items);
  return j;
}

std::string format_table(const Evaluation& e) {
  std::string out = "model: " + e.model + "\n";
  char buf[256];
  if (!e.tasks.empty()) {
    std::snprintf(buf, sizeof buf, "%-24s %-14s %8s %8s %6s\n", "task", "metric", "value",
                  "stderr", "n");
    out += buf;
    for (const auto& t : e.tasks) {
      for (const auto& m : t.metrics) {
        std::snprintf(buf, sizeof buf, "%-24s %-14s %8.4f %8.4f %6lld\n", t.task.c_str(),
                      m.name.c_str(), m.value, m.std_error, static_cast<long long>(m.count));
        out += buf;
      }
    }
  }
  if (e.probes) {
    out += "probes (judge: " + e.probes->judge + ", 95% Wilson intervals)\n";
    out += "  refusal rate (harmful):     " + percent(e.probes->rates.refusal) + "\n";
    out += "  over-refusal rate (benign): " + percent(e.probes->rates.over_refusal) + "\n";
  }
  if (e.preservation) {
    std::snprintf(buf, sizeof buf, "  refusal preservation:       %.3f\n", e.preservation->value);
    out += buf;
    auto harmful = [](const std::vector<Flip>& flips, ProbeLabel label) {
      size_t n = 0;
      for (const auto& f : flips) n += f.label == label;
      return n;
    };
    for (const auto& c : e.preservation->parents) {
      std::snprintf(buf, sizeof buf,
                    "    vs %s (refuses %.1f%%): %.3f; harmful refusals lost %zu, gained %zu; "
                    "benign refusals dropped %zu, added %zu\n",
                    c.parent.c_str(), 100 * c.parent_refusal_rate, c.preservation,
                    harmful(c.lost, ProbeLabel::harmful), harmful(c.gained, ProbeLabel::harmful),
                    harmful(c.lost, ProbeLabel::benign), harmful(c.gained, ProbeLabel::benign));
      out += buf;
    }
  }
  return out;
}

}  // namespace hallmark::safety_probes
