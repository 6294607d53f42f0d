// The policy gate: evaluates a policy against report JSON documents (the shape in
// docs/policy-gate.md, which `hallmark audit --json` and the reports module write) and renders
// the outcome as text, JSON and JUnit XML so that CI systems show every rule as a test.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "policy/policy.h"

namespace hallmark::policy {

struct RuleResult {
  std::string rule;  // license-verdict, licenses-allowed, licenses-denied, threshold.NAME,
                     // signatures.parents, signatures.child, datasets.declared,
                     // datasets.digests, datasets.required
  bool passed = false;
  std::string why;   // one sentence, also when it passed
};

struct GateResult {
  std::string report;  // the report's file name or label
  std::string model;
  std::vector<RuleResult> rules;
  bool passed() const;
};

// Evaluates every rule the policy states. Throws InputError("REPORT: FIELD: REASON") when the
// report lacks a field the gate reads or has it with the wrong type; a metric the policy bounds
// that the report does not have is a failed rule, not bad input.
GateResult evaluate_gate(const Policy& policy, const nlohmann::json& report, const std::string& label);

// Reads and parses a report file; InputError for unreadable or malformed JSON.
nlohmann::json load_report(const std::string& path);

// Human-readable lines: one per rule with PASS or FAIL and why, then the summary.
std::string render_text(const Policy& policy, const std::vector<GateResult>& results);
// {"policy", "passed", "reports": [{"report", "model", "passed", "rules": [{rule, passed, why}]}]}
nlohmann::json render_json(const Policy& policy, const std::vector<GateResult>& results);
// JUnit XML: one testsuite per report, one testcase per rule, <failure> for failed rules.
std::string render_junit(const Policy& policy, const std::vector<GateResult>& results);

}  // namespace hallmark::policy
