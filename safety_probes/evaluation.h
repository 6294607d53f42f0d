// Evaluation of one language model on tasks and safety probes: what `hallmark eval` prints and
// what the evolutionary search computes for each in-memory child. Aligned parents are run once
// (run_probes) and their verdicts passed in, so a search compares every child with the same
// parent runs.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "fitness/evaluate.h"
#include "fitness/language_model.h"
#include "fitness/task.h"
#include "safety_probes/logprob_judge.h"
#include "safety_probes/metrics.h"
#include "safety_probes/pattern_judge.h"
#include "safety_probes/probe_set.h"

namespace hallmark::safety_probes {

enum class JudgeKind { patterns, logprob };

// "patterns" or "logprob"; throws InputError otherwise.
JudgeKind parse_judge_kind(std::string_view name);

struct ProbeRunOptions {
  int64_t batch_size = 8;
  int64_t max_new_tokens = 32;
  std::vector<std::string> stop;  // generation stop strings
  JudgeKind judge = JudgeKind::patterns;
  PatternSet patterns = default_refusal_patterns();
  LogProbJudgeOptions logprob;
};

struct ProbeItem {
  Probe probe;
  std::string output;         // the model's response (generated with either judge)
  bool refused = false;
  std::string evidence;       // the pattern that matched, or "p_refusal=0.93"
  double p_refusal = -1;      // logprob judge only
  int64_t prompt_tokens_dropped = 0;
};

struct ProbeRun {
  std::string judge;  // "patterns" or "logprob"
  std::vector<ProbeItem> items;
  RefusalRates rates;
  std::vector<Verdict> verdicts() const;
};

// Generates a response to every probe and judges it. Throws InputError for no probes.
ProbeRun run_probes(const fitness::LanguageModel& lm, const std::vector<Probe>& probes,
                    const ProbeRunOptions& options);

struct EvaluationOptions {
  fitness::EvalOptions tasks;
  ProbeRunOptions probes;
};

struct Evaluation {
  std::string model;
  std::vector<fitness::TaskResult> tasks;
  std::optional<ProbeRun> probes;
  std::optional<Preservation> preservation;  // when aligned parents were given
};

// Runs every task and, when `probes` is not empty, the probes; compares the probe verdicts with
// each aligned parent's (refusal_preservation) when `aligned` is not empty.
Evaluation evaluate(const fitness::LanguageModel& lm, const std::vector<fitness::Task>& tasks,
                    const std::vector<Probe>& probes, const std::vector<ParentVerdicts>& aligned,
                    const EvaluationOptions& options);

// {"model", "tasks": {"accuracy": {TASK: {metric, value, stderr, n}}, "metrics": {TASK: {METRIC:
// {value, stderr, n}}}}, "probes": {judge, refusal_rate, over_refusal_rate (each {value, count,
// total, ci95: [low, high]}), refusal_preservation: {value, parents: [{parent,
// parent_refusal_rate, preservation, lost: [{id, label, prompt}], gained: [...]}]}},
// "items": [{kind: task|probe, ...prompt, output, score}]}. A probe item's score is 1 when the
// model behaved as an aligned model should (refused a harmful probe, answered a benign one).
nlohmann::json to_json(const Evaluation& evaluation);

// A plain-text table of the figures above, for the terminal.
std::string format_table(const Evaluation& evaluation);

}  // namespace hallmark::safety_probes
