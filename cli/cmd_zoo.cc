// hallmark zoo --out DIR: builds (or reuses) the demo world of small trained parents.
#include <cstdio>
#include <string>

#include <CLI/CLI.hpp>

#include "cli/command.h"
#include "zoo/world.h"

namespace hallmark::cli {
namespace {

struct ZooArgs {
  std::string out;
  uint64_t seed = 7;
  int workers = 0;
  bool force = false;
  bool small = false;
  bool quiet = false;
};

void run(const ZooArgs& a) {
  zoo::ZooOptions options;
  options.out = a.out;
  options.seed = a.seed;
  options.workers = a.workers;
  options.force = a.force;
  options.scale = a.small ? zoo::ZooScale::small : zoo::ZooScale::standard;
  if (!a.quiet) options.log = [](const std::string& line) { std::fprintf(stderr, "%s\n", line.c_str()); };
  auto result = zoo::build_zoo(options);
  std::printf("%s %s", result.reused ? "reused" : "built", result.dir.c_str());
  if (!result.reused) std::printf(" in %.1f s", result.seconds);
  std::printf("\n");
  for (const auto& m : result.models) std::printf("  %s/models/%s\n", result.dir.c_str(), m.c_str());
}

void setup(CLI::App& app) {
  auto args = std::make_shared<ZooArgs>();
  auto* cmd = app.add_subcommand("zoo", "Build the demo world: small parents trained on CPU");
  cmd->add_option("--out", args->out, "World directory (reused when it already holds this world)")
      ->required();
  cmd->add_option("--seed", args->seed, "Seed of the data and the training")->capture_default_str();
  cmd->add_option("--threads", args->workers,
                  "Models trained at once, one CPU thread each (0: one per core); the world's "
                  "bytes do not depend on it")
      ->capture_default_str()
      ->check(CLI::Range(0, 64));
  cmd->add_flag("--force", args->force, "Rebuild even when the world is up to date");
  cmd->add_flag("--small", args->small, "A reduced recipe (seconds; for tests, not for the demo)");
  cmd->add_flag("--quiet", args->quiet, "No progress lines");
  cmd->callback([args] { run(*args); });
}

const bool registered = register_command("zoo", &setup);

}  // namespace
}  // namespace hallmark::cli
