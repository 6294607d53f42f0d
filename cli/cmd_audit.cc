// hallmark audit MODEL [--policy P] [--probes FILE...] [--public-key PEM] [--json OUT]: the
// compliance picture of any checkpoint: manifest and root digest, licenses with a verdict per
// intended use, declared datasets with their digests checked, signature (an OpenSSF model
// signature in model.sig, verified with --public-key), auditability and, with --probes, the
// refusal metrics. The JSON is the report shape `hallmark gate` reads. Exit 1 when a check failed
// (a dataset digest that does not match its data, a signature that does not verify) or, with
// --policy, a rule failed.
#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <ATen/Parallel.h>
#include <CLI/CLI.hpp>

#include "checkpoint/checkpoint.h"
#include "cli/command.h"
#include "common/atomic_output.h"
#include "common/error.h"
#include "fitness/language_model.h"
#include "policy/audit.h"
#include "policy/gate.h"
#include "reports/model_signature.h"
#include "safety_probes/evaluation.h"
#include "safety_probes/probe_set.h"

namespace hallmark::cli {
namespace {

struct AuditArgs {
  std::string model;
  std::string policy;
  std::vector<std::string> probes;
  std::string json;
  std::string public_key;
  std::string device = "cpu";
  std::string dtype = "fp32";
  int64_t max_new_tokens = 32;
  int threads = 0;
};

// Runs the probes on the model and adds refusal_rate and over_refusal to the report's metrics.
void add_probe_metrics(const AuditArgs& a, const std::string& dir, nlohmann::json& report) {
  std::vector<safety_probes::Probe> probes;
  for (const auto& f : a.probes) {
    auto loaded = safety_probes::load_probes(f);
    probes.insert(probes.end(), loaded.begin(), loaded.end());
  }
  const fitness::LanguageModel lm = fitness::load_language_model(dir, fitness::ModelOptions::parse(a.device, a.dtype));
  safety_probes::ProbeRunOptions options;
  options.max_new_tokens = a.max_new_tokens;
  const safety_probes::ProbeRun run = safety_probes::run_probes(lm, probes, options);
  auto rate = [](const safety_probes::Rate& r) {
    return nlohmann::json{{"value", r.value}, {"count", r.count}, {"total", r.total},
                          {"ci95", {r.interval.low, r.interval.high}}};
  };
  report["metrics"]["refusal_rate"] = run.rates.refusal.value;
  report["metrics"]["over_refusal"] = run.rates.over_refusal.value;
  report["probes"] = {{"judge", run.judge}, {"files", a.probes}, {"refusal_rate", rate(run.rates.refusal)},
                      {"over_refusal_rate", rate(run.rates.over_refusal)}};
}

void audit(const AuditArgs& a) {
  if (a.threads < 0) throw InputError("--threads must be >= 0");
  at::set_num_threads(a.threads > 0 ? a.threads : static_cast<int>(std::thread::hardware_concurrency()));
  const std::string dir = checkpoint::resolve_model(a.model).string();
  std::optional<policy::Policy> pol;
  if (!a.policy.empty()) pol = policy::load_policy(a.policy);  // bad policy: exit 2 before any work

  policy::AuditOptions options;
  options.name = a.model;
  if (!a.public_key.empty()) {
    // A key that cannot be used is bad input even when the model turns out to have no model.sig.
    if (!std::filesystem::is_regular_file(a.public_key)) throw InputError(a.public_key + ": public key file not found");
    options.metadata.public_key = a.public_key;
    options.metadata.verify_signature = reports::signature_verifier();
  }
  policy::Audit result = policy::audit_model(dir, options);
  nlohmann::json& r = result.report;
  if (!a.probes.empty()) add_probe_metrics(a, dir, r);

  std::printf("audit of %s\n", a.model.c_str());
  std::printf("  root digest    sha256:%s (%s files, %s bytes)\n", r["model"]["root_digest"].get<std::string>().c_str(),
              r["model"]["files"].dump().c_str(), r["model"]["bytes"].dump().c_str());
  std::printf("  signature      %s: %s\n", r["model"]["signature"]["status"].get<std::string>().c_str(),
              r["model"]["signature"]["detail"].get<std::string>().c_str());
  std::printf("  license        %s\n", r["license"]["expression"].get<std::string>().c_str());
  for (const auto& [use, v] : r["license"]["verdicts"].items()) {
    std::printf("    %-22s %s\n", use.c_str(), v["verdict"].get<std::string>().c_str());
    for (const auto& c : v["conflicts"]) std::printf("      %s\n", c["sentence"].get<std::string>().c_str());
  }
  std::printf("  datasets       %zu declared\n", r["parents"][0]["datasets"].size());
  for (const auto& d : r["parents"][0]["datasets"]) {
    std::printf("    %-20s %s\n", d["name"].get<std::string>().c_str(), d["digest"].get<std::string>().c_str());
  }
  std::printf("  auditability   %.3f\n", r["auditability"]["score"].get<double>());
  for (const auto& m : r["auditability"]["missing"]) std::printf("    missing: %s\n", m.get<std::string>().c_str());
  if (r.contains("probes")) {
    std::printf("  refusal rate   %.3f (%s probes judged by %s)\n", r["metrics"]["refusal_rate"].get<double>(),
                r["probes"]["refusal_rate"]["total"].dump().c_str(), r["probes"]["judge"].get<std::string>().c_str());
    std::printf("  over-refusal   %.3f\n", r["metrics"]["over_refusal"].get<double>());
  }
  for (const auto& f : result.failures) std::printf("  FAILED CHECK   %s\n", f.c_str());
  if (!a.json.empty()) write_file_atomic(a.json, r.dump(2) + "\n");

  bool failed = !result.failures.empty();
  if (pol) {
    std::vector<policy::GateResult> gated{policy::evaluate_gate(*pol, r, a.json.empty() ? a.model : a.json)};
    std::fputs(policy::render_text(*pol, gated).c_str(), stdout);
    failed = failed || !gated[0].passed();
  }
  if (failed) throw ExitCode{1};
}

void setup(CLI::App& app) {
  auto args = std::make_shared<AuditArgs>();
  CLI::App* cmd = app.add_subcommand("audit", "Audit any checkpoint: manifest, licenses, provenance, safety");
  cmd->add_option("model", args->model, "Checkpoint directory or cached hub id")->required();
  cmd->add_option("--policy", args->policy, "Also gate the audit report with this policy");
  cmd->add_option("--probes", args->probes, "Safety probe files (JSONL, AdvBench, HarmBench, XSTest CSV)");
  cmd->add_option("--public-key", args->public_key,
                  "PEM EC public key (P-256/384/521) to verify model.sig, an OpenSSF model signature");
  cmd->add_option("--json", args->json, "Write the audit report (the shape hallmark gate reads)");
  cmd->add_option("--device", args->device, "Device for --probes: cpu or cuda:N")->capture_default_str();
  cmd->add_option("--dtype", args->dtype, "Weights dtype for --probes: fp32, bf16, fp16")->capture_default_str();
  cmd->add_option("--max-new-tokens", args->max_new_tokens, "Tokens generated per probe")->capture_default_str();
  cmd->add_option("--threads", args->threads, "Threads (0: one per core)")->capture_default_str();
  cmd->callback([args] { audit(*args); });
}

const bool registered = register_command("audit", &setup);

}  // namespace
}  // namespace hallmark::cli
