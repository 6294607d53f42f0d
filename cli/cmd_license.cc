// hallmark license check --use USE LICENSE... [--json]: would a child merged from parents with
// these licenses be fit for the intended use? Answers before any merge. Exit 0 compatible, 1 not
// (incompatible or undetermined), 2 bad input.
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "cli/command.h"
#include "policy/derivation.h"
#include "policy/derivation_json.h"

namespace hallmark::cli {
namespace {

struct LicenseCheckArgs {
  std::string use;
  std::vector<std::string> licenses;
  uint64_t monthly_active_users = 0;
  bool json = false;
};

// "NAME=LICENSE" names the parent; a bare LICENSE is named by itself.
policy::LicenseSource source_of(const std::string& arg) {
  policy::LicenseSource s;
  size_t eq = arg.find('=');
  if (eq != std::string::npos && eq > 0) {
    s.name = arg.substr(0, eq);
    s.license = arg.substr(eq + 1);
  } else {
    s.name = arg;
    s.license = arg;
  }
  return s;
}

void check(const LicenseCheckArgs& a) {
  policy::UseContext ctx{policy::parse_use(a.use), a.monthly_active_users};
  std::vector<policy::LicenseSource> sources;
  for (const auto& l : a.licenses) sources.push_back(source_of(l));
  const policy::Derivation d = policy::derive(sources, ctx);
  if (a.json) {
    nlohmann::json j = policy::derivation_to_json(d);
    j["use"] = policy::to_string(ctx.use);
    std::printf("%s\n", j.dump(2).c_str());
  } else {
    std::printf("%s for %s: %s\n", d.expression.c_str(), std::string(policy::to_string(ctx.use)).c_str(),
                std::string(policy::to_string(d.verdict)).c_str());
    for (const auto& c : d.conflicts) std::printf("  conflict (%s): %s\n", c.kind.c_str(), c.sentence.c_str());
    if (!d.obligations.empty()) std::printf("obligations:\n");
    for (const auto& o : d.obligations) {
      std::printf("  [%s] %s: %s\n", o.license.c_str(), o.obligation.kind.c_str(), o.obligation.text.c_str());
    }
  }
  if (d.verdict != policy::Verdict::compatible) throw ExitCode{1};
}

void setup(CLI::App& app) {
  auto args = std::make_shared<LicenseCheckArgs>();
  CLI::App* cmd = app.add_subcommand("license", "License knowledge: check a combination before merging");
  cmd->require_subcommand(1);
  CLI::App* chk = cmd->add_subcommand("check", "Verdict, obligations and conflicts of a child merged from these licenses");
  chk->add_option("--use", args->use, "internal-research, redistribution or commercial-deployment")->required();
  chk->add_option("licenses", args->licenses,
                  "Parent licenses: Hub ids or SPDX expressions, optionally NAME=LICENSE")
      ->required();
  chk->add_option("--monthly-active-users", args->monthly_active_users,
                  "Monthly active users of the deploying organisation (checks user-count limits)");
  chk->add_flag("--json", args->json, "Print the result as JSON");
  chk->callback([args] { check(*args); });
}

const bool registered = register_command("license", &setup);

}  // namespace
}  // namespace hallmark::cli
