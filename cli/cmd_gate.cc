// hallmark gate --policy P REPORT... [--junit OUT.xml] [--json OUT]: evaluates a policy against
// report JSON files. Exit 0 every rule passed, 1 a rule failed, 2 bad policy or report.
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "cli/command.h"
#include "common/atomic_output.h"
#include "policy/gate.h"

namespace hallmark::cli {
namespace {

struct GateArgs {
  std::string policy;
  std::vector<std::string> reports;
  std::string junit;
  std::string json;
};

void gate(const GateArgs& a) {
  const policy::Policy p = policy::load_policy(a.policy);
  std::vector<policy::GateResult> results;
  for (const auto& path : a.reports) results.push_back(policy::evaluate_gate(p, policy::load_report(path), path));
  std::fputs(policy::render_text(p, results).c_str(), stdout);
  if (!a.junit.empty()) write_file_atomic(a.junit, policy::render_junit(p, results));
  if (!a.json.empty()) write_file_atomic(a.json, policy::render_json(p, results).dump(2) + "\n");
  for (const auto& r : results) {
    if (!r.passed()) throw ExitCode{1};
  }
}

void setup(CLI::App& app) {
  auto args = std::make_shared<GateArgs>();
  CLI::App* cmd = app.add_subcommand("gate", "Evaluate a policy against reports (CI gate)");
  cmd->add_option("--policy", args->policy, "Policy YAML")->required();
  cmd->add_option("reports", args->reports, "Report JSON files (hallmark audit --json, hallmark reports)")->required();
  cmd->add_option("--junit", args->junit, "Write JUnit XML: one testcase per rule");
  cmd->add_option("--json", args->json, "Write the results as JSON");
  cmd->callback([args] { gate(*args); });
}

const bool registered = register_command("gate", &setup);

}  // namespace
}  // namespace hallmark::cli
