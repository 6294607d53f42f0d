// Resolving a parent's declared license (Hub id, "other" with a name, or an SPDX expression) into
// the alternatives it offers: a disjunctive normal form, each alternative a list of licenses that
// all apply.
#pragma once

#include <string>
#include <vector>

#include "policy/derivation.h"
#include "policy/license_kb.h"

namespace hallmark::policy {

struct ResolvedParent {
  std::string name;
  std::string expression;  // canonical SPDX expression this parent contributes to the child
  bool top_level_or = false;
  bool missing = false;    // the card states no license at all
  std::vector<std::vector<License>> alternatives;
};

// Throws InputError("parent NAME: ...") for a malformed expression (with its column).
ResolvedParent resolve_parent(const LicenseSource& source);

}  // namespace hallmark::policy
