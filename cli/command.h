// The subcommand registry. Each cmd_*.cc defines a setup function that adds its subcommand to
// the app (options and a callback) and registers it with a static initializer:
//
//   namespace { const bool registered = hallmark::cli::register_command("merge", &setup); }
//
// Callbacks throw; main() catches once and maps InputError to exit 2, CheckFailed to 1.
// A callback that decides the exit code itself (gate: 1 when a rule fails) throws ExitCode.
#pragma once

#include <string>

namespace CLI {
class App;
}

namespace hallmark::cli {

using SetupFn = void (*)(CLI::App& app);

// Subcommands are added to the app in name order, whatever the link order.
bool register_command(std::string name, SetupFn setup);

// Thrown by a callback to end with `code` after it has printed its own output.
struct ExitCode {
  int code;
};

}  // namespace hallmark::cli
