// A derivation as JSON, shared by `hallmark license check --json` and the audit report.
#pragma once

#include <nlohmann/json.hpp>

#include "policy/derivation.h"

namespace hallmark::policy {

// {"use"?, "verdict", "expression", "contributing", "licenses", "conflicts": [{kind, sentence,
// parents}], "obligations": [{kind, text, trigger, license, parents}]}
nlohmann::json derivation_to_json(const Derivation& d);

}  // namespace hallmark::policy
