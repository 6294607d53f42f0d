// A policy file (YAML) as CI pipelines write it: the intended use, allowed and denied licenses
// (RE2 patterns), thresholds on report metrics, required signatures and declared datasets.
// The file format is documented in docs/policy-gate.md; unknown fields are errors.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "policy/derivation.h"

namespace hallmark::policy {

// A bound on one report metric, addressed by a JSON path such as metrics.refusal_preservation.
struct Threshold {
  std::string name;  // the rule name in the file (the key under thresholds)
  std::string metric;
  std::optional<double> min;
  std::optional<double> max;
};

struct Policy {
  std::string name;
  std::string file;  // where it was read from, for messages
  UseContext use;
  std::vector<std::string> allowed_licenses;  // RE2 patterns, matched in full against SPDX and Hub ids
  std::vector<std::string> denied_licenses;
  std::vector<Threshold> thresholds;
  bool require_parent_signatures = false;
  bool require_child_signature = false;
  bool require_declared_datasets = false;  // every contributing parent declares its training data
  bool require_dataset_digests = false;    // every declared dataset has a digest that was verified
  std::vector<std::string> required_datasets;  // RE2 patterns; each must match a declared dataset
};

// Parses and validates a policy. Throws InputError "FILE:LINE:COL: rule RULE: REASON" for YAML
// errors, unknown fields, wrong types, an unknown intended use and patterns RE2 rejects.
Policy parse_policy(std::string_view yaml, std::string_view file);
Policy load_policy(const std::filesystem::path& path);

}  // namespace hallmark::policy
