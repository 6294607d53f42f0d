// Runs a task on a language model and scores it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "fitness/language_model.h"
#include "fitness/metric.h"
#include "fitness/task.h"

namespace hallmark::fitness {

struct EvalOptions {
  int64_t batch_size = 8;
  std::optional<int64_t> max_new_tokens;  // overrides the task's
  std::vector<std::string> extra_stop;    // added to the task's stop strings
  std::optional<int64_t> limit;           // only the first N items
};

struct ItemResult {
  std::string id;
  std::string prompt;     // as given to the model (with few-shot examples)
  std::string output;     // generated text, or the chosen choice for multiple choice
  std::string target;
  std::string extracted;  // what the scorer compared
  std::vector<double> scores;  // per metric, in TaskResult::metrics order
  int64_t prompt_tokens_dropped = 0;  // left truncation to fit the context window
};

struct TaskResult {
  std::string task;
  std::string scorer;
  std::vector<MetricValue> metrics;  // the first is the task's accuracy
  std::vector<ItemResult> items;
  const MetricValue& accuracy() const { return metrics.front(); }
};

TaskResult evaluate_task(const LanguageModel& lm, const Task& task, const EvalOptions& options);

// {"task", "scorer", "accuracy", "metrics": {name: {value, stderr, n}}, "items": [...]}
nlohmann::json to_json(const TaskResult& result);

}  // namespace hallmark::fitness
