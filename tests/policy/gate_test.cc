// The gate: one case per rule kind passing and failing, report errors, and the renderings.
#include <catch2/catch.hpp>

#include <string>

#include <nlohmann/json.hpp>

#include "common/error.h"
#include "policy/gate.h"

using namespace hallmark;
using namespace hallmark::policy;
using nlohmann::json;

namespace {

json parent(const std::string& name, const std::string& license, bool signed_ok, json datasets) {
  return {{"name", name}, {"license", license}, {"contributes", true},
          {"signature", {{"present", signed_ok}, {"verified", signed_ok}}}, {"datasets", datasets}};
}

json report() {
  return {{"model", {{"name", "child"}, {"signature", {{"present", true}, {"verified", true}}}}},
          {"parents",
           {parent("base", "apache-2.0", true, json::array({{{"name", "wikitext"}, {"digest", "verified"}}})),
            parent("chat", "llama3.1", true, json::array({{{"name", "ultrachat"}, {"digest", "verified"}}}))}},
          {"metrics", {{"refusal_preservation", 0.97}, {"over_refusal", 0.02}, {"task_accuracy", 0.61}, {"auditability", 0.8}}}};
}

const RuleResult& rule(const GateResult& g, const std::string& name) {
  for (const auto& r : g.rules) {
    if (r.rule == name) return r;
  }
  FAIL("no rule " << name);
  throw;
}

Policy make_policy(const std::string& body, const std::string& use = "commercial-deployment") {
  return parse_policy("name: test\nintended_use: " + use + "\n" + body, "test.yaml");
}

}  // namespace

TEST_CASE("gate: license verdict") {
  json r = report();
  CHECK(rule(evaluate_gate(make_policy(""), r, "r.json"), "license-verdict").passed);
  r["parents"][1]["license"] = "cc-by-nc-4.0";
  auto g = evaluate_gate(make_policy(""), r, "r.json");
  CHECK_FALSE(rule(g, "license-verdict").passed);
  CHECK_THAT(rule(g, "license-verdict").why, Catch::Contains("chat (CC-BY-NC-4.0) forbids commercial use"));
  CHECK_FALSE(g.passed());
  // The same parents pass a research policy.
  CHECK(evaluate_gate(make_policy("", "internal-research"), r, "r.json").passed());
  // A parent that does not contribute does not count.
  r["parents"][1]["contributes"] = false;
  CHECK(rule(evaluate_gate(make_policy(""), r, "r.json"), "license-verdict").passed);
}

TEST_CASE("gate: unknown license fails the verdict") {
  json r = report();
  r["parents"][0]["license"] = "unknown";
  auto g = evaluate_gate(make_policy(""), r, "r.json");
  CHECK_FALSE(rule(g, "license-verdict").passed);
  CHECK_THAT(rule(g, "license-verdict").why, Catch::Contains("undetermined"));
}

TEST_CASE("gate: allowed and denied licenses by SPDX or Hub id") {
  json r = report();
  auto ok = evaluate_gate(make_policy("licenses: {allowed: [\"Apache-2.0\", \"llama3\\\\.1\"], denied: [\"CC-BY-NC.*\"]}\n"), r, "r");
  CHECK(rule(ok, "licenses-allowed").passed);
  CHECK(rule(ok, "licenses-denied").passed);
  auto bad = evaluate_gate(make_policy("licenses: {allowed: [\"Apache-2.0\"], denied: [\"LicenseRef-llama.*\"]}\n"), r, "r");
  CHECK_FALSE(rule(bad, "licenses-allowed").passed);
  CHECK_THAT(rule(bad, "licenses-allowed").why, Catch::Contains("LicenseRef-llama3.1"));
  CHECK_FALSE(rule(bad, "licenses-denied").passed);
  // Patterns match the whole id.
  auto partial = evaluate_gate(make_policy("licenses: {denied: [\"Apache\"]}\n"), r, "r");
  CHECK(rule(partial, "licenses-denied").passed);
}

TEST_CASE("gate: thresholds on any metric path") {
  json r = report();
  r["metrics"]["per_task"] = json::array({{{"name", "arith"}, {"acc", 0.4}}});
  auto g = evaluate_gate(make_policy(R"(thresholds:
  refusal: {metric: metrics.refusal_preservation, min: 0.95}
  over: {metric: metrics.over_refusal, max: 0.01}
  acc: {metric: metrics.task_accuracy, min: 0.5, max: 1}
  audit: {metric: metrics.auditability, min: 0.9}
  arith: {metric: "metrics.per_task[0].acc", min: 0.3}
  missing: {metric: metrics.nothing, min: 0}
)"),
                         r, "r");
  CHECK(rule(g, "threshold.refusal").passed);
  CHECK_FALSE(rule(g, "threshold.over").passed);
  CHECK_THAT(rule(g, "threshold.over").why, Catch::Contains("metrics.over_refusal = 0.02 is above the maximum 0.01"));
  CHECK(rule(g, "threshold.acc").passed);
  CHECK_FALSE(rule(g, "threshold.audit").passed);
  CHECK(rule(g, "threshold.arith").passed);
  CHECK_FALSE(rule(g, "threshold.missing").passed);
  CHECK_THAT(rule(g, "threshold.missing").why, Catch::Contains("not in the report"));
  r["metrics"]["over_refusal"] = "low";
  CHECK_THAT(rule(evaluate_gate(make_policy("thresholds: {o: {metric: metrics.over_refusal, max: 1}}\n"), r, "r"), "threshold.o").why,
             Catch::Contains("not a number"));
}

TEST_CASE("gate: signatures of parents and child") {
  json r = report();
  Policy p = make_policy("signatures: {parents: true, child: true}\n");
  auto g = evaluate_gate(p, r, "r");
  CHECK(rule(g, "signatures.parents").passed);
  CHECK(rule(g, "signatures.child").passed);
  r["parents"][1]["signature"] = {{"present", true}, {"verified", false}};
  r["model"].erase("signature");
  g = evaluate_gate(p, r, "r");
  CHECK_FALSE(rule(g, "signatures.parents").passed);
  CHECK_THAT(rule(g, "signatures.parents").why, Catch::Contains("chat"));
  CHECK_FALSE(rule(g, "signatures.child").passed);
}

TEST_CASE("gate: declared datasets, digests and required datasets") {
  json r = report();
  Policy p = make_policy("datasets: {declared: true, digests: true, required: [\"wiki.*\", \"ultra.*\"]}\n");
  auto g = evaluate_gate(p, r, "r");
  CHECK(rule(g, "datasets.declared").passed);
  CHECK(rule(g, "datasets.digests").passed);
  CHECK(rule(g, "datasets.required").passed);
  r["parents"][1]["datasets"] = json::array();
  r["parents"][0]["datasets"][0]["digest"] = "mismatch";
  g = evaluate_gate(p, r, "r");
  CHECK_FALSE(rule(g, "datasets.declared").passed);
  CHECK_THAT(rule(g, "datasets.declared").why, Catch::Contains("chat"));
  CHECK_FALSE(rule(g, "datasets.digests").passed);
  CHECK_THAT(rule(g, "datasets.digests").why, Catch::Contains("base/wikitext (mismatch)"));
  CHECK_FALSE(rule(g, "datasets.required").passed);
  CHECK_THAT(rule(g, "datasets.required").why, Catch::Contains("ultra.*"));
}

TEST_CASE("gate: malformed reports are bad input naming the field") {
  Policy p = make_policy("");
  auto err = [&](json r) -> std::string {
    try {
      evaluate_gate(p, r, "r.json");
    } catch (const InputError& e) {
      return e.what();
    }
    return "";
  };
  CHECK_THAT(err(json::array()), Catch::Contains("r.json: (root)"));
  json r = report();
  r.erase("model");
  CHECK_THAT(err(r), Catch::Contains("r.json: model: missing"));
  r = report();
  r["parents"] = json::array();
  CHECK_THAT(err(r), Catch::Contains("r.json: parents: expected a non-empty array"));
  r = report();
  r["parents"][1]["license"] = 3;
  CHECK_THAT(err(r), Catch::Contains("r.json: parents[1].license: expected a string"));
  r = report();
  r["parents"][0]["datasets"][0]["digest"] = "ok";
  CHECK_THAT(err(r), Catch::Contains("parents[0].datasets[0].digest"));
  r = report();
  r["parents"][0]["license"] = "MIT AND (";
  CHECK_THAT(err(r), Catch::Contains("column"));
}

TEST_CASE("gate: text, JSON and JUnit renderings") {
  Policy p = make_policy("thresholds: {over: {metric: metrics.over_refusal, max: 0.01}}\n");
  json r = report();
  r["model"]["name"] = "child <&> \"quoted\"";
  std::vector<GateResult> results = {evaluate_gate(p, report(), "a.json"), evaluate_gate(p, r, "b.json")};
  std::string text = render_text(p, results);
  CHECK_THAT(text, Catch::Contains("  PASS  license-verdict: compatible"));
  CHECK_THAT(text, Catch::Contains("  FAIL  threshold.over:"));
  CHECK_THAT(text, Catch::Contains("result: FAIL (2 of 4 rules failed)"));
  json j = render_json(p, results);
  CHECK(j["passed"] == false);
  CHECK(j["reports"].size() == 2);
  CHECK(j["reports"][0]["rules"][1]["rule"] == "threshold.over");
  std::string xml = render_junit(p, results);
  CHECK_THAT(xml, Catch::StartsWith("<?xml version=\"1.0\" encoding=\"UTF-8\"?>"));
  CHECK_THAT(xml, Catch::Contains("tests=\"4\" failures=\"2\""));
  CHECK_THAT(xml, Catch::Contains("<testcase classname=\"hallmark.gate.test\" name=\"threshold.over\">"));
  CHECK_THAT(xml, Catch::Contains("<failure message=\"metrics.over_refusal = 0.02 is above the maximum 0.01\""));
  CHECK(xml.find("<&>") == std::string::npos);
}
