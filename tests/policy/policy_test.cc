// Policy files: every field, and the errors for bad ones (file:line:col, the rule named).
#include <catch2/catch.hpp>

#include <string>

#include "common/error.h"
#include "policy/policy.h"

using namespace hallmark;
using namespace hallmark::policy;

namespace {

std::string error_of(const std::string& yaml) {
  try {
    parse_policy(yaml, "p.yaml");
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST_CASE("policy: a full policy file") {
  Policy p = parse_policy(R"(name: prod
intended_use: commercial-deployment
monthly_active_users: 2500000
licenses:
  allowed: ["Apache-2.0", "MIT", "LicenseRef-llama3\\.[123]"]
  denied: ["CC-BY-NC.*"]
thresholds:
  refusal:
    metric: metrics.refusal_preservation
    min: 0.95
  over-refusal: {metric: metrics.over_refusal, max: 0.05}
signatures: {parents: true, child: false}
datasets:
  declared: true
  digests: true
  required: ["wiki.*"]
)",
                          "p.yaml");
  CHECK(p.name == "prod");
  CHECK(p.use.use == Use::commercial_deployment);
  CHECK(p.use.monthly_active_users == 2500000);
  CHECK(p.allowed_licenses.size() == 3);
  CHECK(p.denied_licenses == std::vector<std::string>{"CC-BY-NC.*"});
  REQUIRE(p.thresholds.size() == 2);
  CHECK(p.thresholds[0].name == "refusal");
  CHECK(p.thresholds[0].metric == "metrics.refusal_preservation");
  CHECK(*p.thresholds[0].min == 0.95);
  CHECK_FALSE(p.thresholds[0].max);
  CHECK(*p.thresholds[1].max == 0.05);
  CHECK(p.require_parent_signatures);
  CHECK_FALSE(p.require_child_signature);
  CHECK(p.require_declared_datasets);
  CHECK(p.require_dataset_digests);
  CHECK(p.required_datasets == std::vector<std::string>{"wiki.*"});
}

TEST_CASE("policy: the name defaults to the file stem") {
  CHECK(parse_policy("intended_use: internal-research\n", "dir/research.yaml").name == "research");
}

TEST_CASE("policy: errors name the file, position and rule") {
  CHECK_THAT(error_of("intended_use: internal-research\nlicences: {}\n"),
             Catch::Contains("p.yaml:2:1: rule policy: unknown field 'licences'"));
  CHECK_THAT(error_of("intended_use: redistribution\nthresholds:\n  acc:\n    metric: metrics.task_accuracy\n    mn: 0.5\n"),
             Catch::Contains("p.yaml:5:5: rule thresholds.acc: unknown field 'mn'"));
  CHECK_THAT(error_of("intended_use: redistribution\nlicenses:\n  allowed: [\"MIT\", \"(unclosed\"]\n"),
             Catch::Contains("p.yaml:3:20: rule licenses.allowed: RE2 rejects pattern '(unclosed'"));
  CHECK_THAT(error_of("intended_use: redistribution\ndatasets: {required: [\"a(?=b)\"]}\n"),
             Catch::Contains("rule datasets.required: RE2 rejects pattern 'a(?=b)'"));
  CHECK_THAT(error_of("intended_use: production\n"), Catch::Contains("p.yaml:1:15: rule intended_use: unknown intended use 'production'"));
  CHECK_THAT(error_of("name: x\n"), Catch::Contains("rule intended_use: missing"));
  CHECK_THAT(error_of("intended_use: redistribution\nkey: [unclosed\n"), Catch::Contains("p.yaml:3:1: YAML error"));
  CHECK_THAT(error_of("intended_use: redistribution\nthresholds:\n  acc: {metric: metrics.a}\n"),
             Catch::Contains("rule thresholds.acc: needs 'min', 'max' or both"));
  CHECK_THAT(error_of("intended_use: redistribution\nthresholds:\n  acc: {metric: m, min: 2, max: 1}\n"),
             Catch::Contains("'min' is above 'max'"));
  CHECK_THAT(error_of("intended_use: redistribution\nthresholds:\n  acc: {metric: m, min: high}\n"),
             Catch::Contains("rule thresholds.acc: expected a number, found 'high'"));
  CHECK_THAT(error_of("intended_use: redistribution\nsignatures: {parents: maybe}\n"),
             Catch::Contains("rule signatures.parents: expected true or false"));
  CHECK_THAT(error_of("intended_use: redistribution\nsignatures: {children: true}\n"),
             Catch::Contains("rule signatures: unknown field 'children'"));
  CHECK_THAT(error_of("intended_use: redistribution\nlicenses: {allowed: MIT}\n"),
             Catch::Contains("rule licenses.allowed: expected a list of RE2 patterns"));
  CHECK_THAT(error_of("- a\n- b\n"), Catch::Contains("a policy is a YAML mapping"));
  CHECK_THROWS_AS(load_policy("/nonexistent/policy.yaml"), InputError);
}
