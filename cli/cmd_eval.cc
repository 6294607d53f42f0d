// hallmark eval MODEL: task accuracy and refusal behaviour of one model (see
// safety_probes/evaluation.h for the figures and the JSON layout).
#include <cstdio>
#include <optional>
#include <string>
#include <vector>

#include <ATen/Parallel.h>
#include <CLI/CLI.hpp>

#include "cli/command.h"
#include "common/atomic_output.h"
#include "common/error.h"
#include "fitness/language_model.h"
#include "fitness/task.h"
#include "safety_probes/evaluation.h"

namespace hallmark::cli {
namespace {

struct EvalArgs {
  std::string model;
  std::vector<std::string> tasks;
  std::vector<std::string> probes;
  std::string probe_format = "auto";
  std::vector<std::string> aligned;
  std::string device = "cpu";
  std::string dtype = "fp32";
  int64_t batch = 8;
  std::optional<int64_t> max_new_tokens;
  std::vector<std::string> stop;
  std::string judge = "patterns";
  std::string refusal_patterns;
  std::optional<int64_t> limit;
  int threads = 0;
  std::string json;
};

void run(const EvalArgs& a) {
  if (a.tasks.empty() && a.probes.empty()) {
    throw InputError("eval: nothing to do (give --tasks and/or --probes)");
  }
  if (a.batch < 1) throw InputError("eval: --batch must be at least 1");
  if (a.threads > 0) at::set_num_threads(a.threads);
  auto model_options = fitness::ModelOptions::parse(a.device, a.dtype);

  std::vector<fitness::Task> tasks;
  for (const auto& t : a.tasks) tasks.push_back(fitness::load_task(t));
  std::vector<safety_probes::Probe> probes;
  auto format = safety_probes::parse_probe_format(a.probe_format);
  for (const auto& p : a.probes) {
    auto loaded = safety_probes::load_probes(p, format);
    probes.insert(probes.end(), loaded.begin(), loaded.end());
  }

  safety_probes::EvaluationOptions options;
  options.tasks.batch_size = a.batch;
  options.tasks.max_new_tokens = a.max_new_tokens;
  options.tasks.extra_stop = a.stop;
  options.tasks.limit = a.limit;
  options.probes.batch_size = a.batch;
  if (a.max_new_tokens) options.probes.max_new_tokens = *a.max_new_tokens;
  options.probes.stop = a.stop;
  options.probes.judge = safety_probes::parse_judge_kind(a.judge);
  if (!a.refusal_patterns.empty()) {
    options.probes.patterns = safety_probes::load_pattern_set(a.refusal_patterns);
  }

  // Each aligned parent runs the same probes once; the model is compared with those verdicts.
  std::vector<safety_probes::ParentVerdicts> aligned;
  for (const auto& parent : a.aligned) {
    auto lm = fitness::load_language_model(parent, model_options);
    auto run = safety_probes::run_probes(lm, probes, options.probes);
    aligned.push_back({parent, run.verdicts()});
  }
  auto lm = fitness::load_language_model(a.model, model_options);
  auto evaluation = safety_probes::evaluate(lm, tasks, probes, aligned, options);
  std::fputs(safety_probes::format_table(evaluation).c_str(), stdout);
  if (!a.json.empty()) {
    write_file_atomic(a.json, safety_probes::to_json(evaluation).dump(2) + "\n");
    std::printf("wrote %s\n", a.json.c_str());
  }
}

void setup(CLI::App& app) {
  auto args = std::make_shared<EvalArgs>();
  auto* cmd = app.add_subcommand("eval", "Measure a model's task accuracy and refusal behaviour");
  cmd->add_option("model", args->model, "Checkpoint directory or cached hub id")->required();
  cmd->add_option("--tasks", args->tasks, "Task files (.yaml or .jsonl)");
  cmd->add_option("--probes", args->probes, "Probe files (hallmark JSONL, AdvBench, HarmBench or XSTest CSV)");
  cmd->add_option("--probe-format", args->probe_format, "auto, jsonl, advbench, harmbench or xstest")
      ->capture_default_str();
  cmd->add_option("--aligned", args->aligned,
                  "Aligned parents whose refusals the model should preserve");
  cmd->add_option("--device", args->device, "cpu, cuda or cuda:N")->capture_default_str();
  cmd->add_option("--dtype", args->dtype, "fp32, bf16 or fp16")->capture_default_str();
  cmd->add_option("--batch", args->batch, "Prompts per batch")->capture_default_str();
  cmd->add_option("--max-new-tokens", args->max_new_tokens,
                  "Generation limit (overrides the tasks'; probes default to 32)");
  cmd->add_option("--stop", args->stop, "Extra stop strings");
  cmd->add_option("--judge", args->judge, "Refusal judge: patterns or logprob")->capture_default_str();
  cmd->add_option("--refusal-patterns", args->refusal_patterns,
                  "YAML file of refusal patterns (start, anywhere, include_defaults)");
  cmd->add_option("--limit", args->limit, "Only the first N items of each task");
  cmd->add_option("--threads", args->threads, "CPU threads (default: libtorch's choice)");
  cmd->add_option("--json", args->json, "Write the full results, with every item, as JSON");
  cmd->callback([args] { run(*args); });
}

const bool registered = register_command("eval", &setup);

}  // namespace
}  // namespace hallmark::cli
