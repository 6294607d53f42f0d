#include <algorithm>
#include <cstdio>
#include <exception>
#include <string>
#include <utility>
#include <vector>

#include <CLI/CLI.hpp>

#include "cli/command.h"
#include "common/error.h"
#include "common/version.h"

namespace hallmark::cli {
namespace {

std::vector<std::pair<std::string, SetupFn>>& registry() {
  static std::vector<std::pair<std::string, SetupFn>> commands;
  return commands;
}

}  // namespace

bool register_command(std::string name, SetupFn setup) {
  registry().emplace_back(std::move(name), setup);
  return true;
}

}  // namespace hallmark::cli

int main(int argc, char** argv) {
  using namespace hallmark;
  CLI::App app{"hallmark: evolve merged language models and certify every child"};
  app.set_version_flag("--version", "hallmark " + version());
  app.require_subcommand(1);
  auto commands = cli::registry();
  std::sort(commands.begin(), commands.end());
  for (const auto& [name, setup] : commands) setup(app);
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    std::fprintf(stderr, "hallmark: %s\n", e.what());
    return 2;
  } catch (const cli::ExitCode& e) {
    return e.code;
  } catch (const CheckFailed& e) {
    std::fprintf(stderr, "hallmark: %s\n", e.what());
    return 1;
  } catch (const InputError& e) {
    std::fprintf(stderr, "hallmark: %s\n", e.what());
    return 2;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "hallmark: error: %s\n", e.what());
    return 2;
  }
  return 0;
}
