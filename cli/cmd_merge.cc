// hallmark merge RECIPE.yaml --out DIR: applies a mergekit-format recipe and writes the child
// checkpoint (weights, config.json, tokenizer, model card) atomically.
#include <cstdio>
#include <string>

#include <ATen/Parallel.h>
#include <CLI/CLI.hpp>

#include "cli/command.h"
#include "common/error.h"
#include "merge/child_writer.h"
#include "merge/recipe.h"

namespace hallmark::cli {
namespace {

struct MergeArgs {
  std::string recipe;
  std::string out;
  std::string device = "cpu";
  uint64_t seed = 0;
  int threads = 0;
  bool force = false;
  bool allow_nonfinite = false;
};

void run(const MergeArgs& a) {
  if (a.threads < 0) throw InputError("--threads must be >= 0");
  // Debian's libtorch defaults to one intra-op thread; 0 means one per core.
  at::set_num_threads(a.threads > 0 ? a.threads : static_cast<int>(std::thread::hardware_concurrency()));
  const merge::Recipe recipe = merge::parse_recipe_file(a.recipe);
  merge::WriteChildOptions options;
  options.merge.seed = a.seed;
  options.merge.allow_nonfinite = a.allow_nonfinite;
  options.device = a.device;
  options.overwrite = a.force;
  const merge::Attribution attribution = merge::merge_to_directory(recipe, a.out, options);
  std::printf("merged %s (%s) into %s\n", a.recipe.c_str(), recipe.merge_method.c_str(), a.out.c_str());
  for (const auto& p : attribution.parents)
    std::printf("  %-40s %s tensors=%zu share=%.3f\n", p.model.c_str(), p.is_base ? "base  " : "merged",
                p.tensors, p.share);
}

void setup(CLI::App& app) {
  auto args = std::make_shared<MergeArgs>();
  CLI::App* cmd = app.add_subcommand("merge", "Merge models with a mergekit-format recipe");
  cmd->add_option("recipe", args->recipe, "Recipe YAML (mergekit format)")->required();
  cmd->add_option("--out", args->out, "Output checkpoint directory")->required();
  cmd->add_option("--device", args->device, "cpu or cuda:N")->capture_default_str();
  cmd->add_option("--seed", args->seed, "Seed of the DARE / DELLA random masks")->capture_default_str();
  cmd->add_option("--threads", args->threads, "Intra-op threads (0: one per core)")->capture_default_str();
  cmd->add_flag("--force", args->force, "Replace an existing output directory");
  cmd->add_flag("--allow-nonfinite", args->allow_nonfinite, "Merge parents that contain NaN or Inf");
  cmd->callback([args] { run(*args); });
}

const bool registered = register_command("merge", &setup);

}  // namespace
}  // namespace hallmark::cli
