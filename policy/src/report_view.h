// The fields of a report JSON document that the gate reads (docs/policy-gate.md), checked for
// presence and type once, with errors naming the report and the field.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "policy/derivation.h"

namespace hallmark::policy {

struct DatasetView {
  std::string name;
  std::string digest;  // verified, mismatch, missing-data, not-checkable, no-digest (provenance/metadata.h)
};

struct ParentView {
  LicenseSource license;
  bool signature_verified = false;
  std::vector<DatasetView> datasets;
};

struct ReportView {
  std::string model;
  bool child_signature_verified = false;
  std::vector<ParentView> parents;
};

// Throws InputError("LABEL: FIELD: REASON").
ReportView read_report(const nlohmann::json& report, const std::string& label);

// The value at a dotted JSON path ("metrics.refusal_preservation", "a.b[2].c"), or nullptr.
const nlohmann::json* find_path(const nlohmann::json& root, const std::string& path);

}  // namespace hallmark::policy
