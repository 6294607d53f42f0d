// Report pieces shared by audit_model and audit_merged, so both write the same shape.
#pragma once

#include <vector>

#include <nlohmann/json.hpp>

#include "policy/derivation.h"
#include "provenance/auditability.h"

namespace hallmark::policy {

// {USE: derivation} for every intended use, over `sources`.
nlohmann::json license_verdicts_json(const std::vector<LicenseSource>& sources);

// {"score", "parents": [per-parent breakdown], "missing"}.
nlohmann::json auditability_json(const provenance::Auditability& audit);

}  // namespace hallmark::policy
