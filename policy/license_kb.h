// The license knowledge base: every license id the Hugging Face Hub accepts that hallmark knows,
// mapped to its SPDX id (or a LicenseRef- id where SPDX has none), with its properties and the
// obligations it imposes, each written from the license text and citing its clause.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace hallmark::policy {

// How far a license's terms reach into works made from it.
enum class Copyleft {
  none,     // permissive, or restrictive but without a same-license requirement
  weak,     // file- or library-level (MPL-2.0, LGPL, EPL): changed files stay under the license
  strong,   // adaptations as a whole must carry the license (GPL, CC BY-SA)
  network,  // strong, and also triggered by offering the work to users over a network (AGPL)
};

// When an obligation applies to the holder of a child model.
enum class Trigger {
  use,           // whenever the model is used at all (acceptable use policies)
  distribution,  // when the model (or a derivative) is distributed or made available to others
  commercial,    // when the model is used commercially
};

// One duty a license imposes, with a stable kind id (attribution, copy-of-license, notice-file,
// state-changes, name-prefix, display-attribution, pass-on-use-restrictions,
// acceptable-use-policy, user-limit, share-alike, non-commercial, no-endorsement,
// disclose-source, research-only) and the sentence that states it.
struct Obligation {
  std::string kind;
  std::string text;  // what to do, citing the clause of the license
  Trigger trigger;
};

struct License {
  std::string hub_id;  // Hub id (lowercase); empty for SPDX ids the Hub has no id for
  std::string spdx;    // SPDX id in its exact case, or LicenseRef-...
  std::string name;
  std::string url;
  bool known = false;             // false: unknown terms, never treated as permissive
  bool commercial_use = false;    // may the model be used for commercial advantage
  bool share_adaptations = false; // may adapted material (a merged child) be distributed
  Copyleft copyleft = Copyleft::none;
  // Licenses an adaptation may carry instead of this one when copyleft (e.g. CC-BY-SA-4.0 lists
  // GPL-3.0-only, its declared BY-SA compatible license). This license itself is implied.
  std::vector<std::string> copyleft_compatible;
  // Licenses the license text or its steward declares incompatible (GPL-2.0-only: Apache-2.0).
  std::vector<std::string> incompatible;
  bool use_restrictions = false;  // use-based restrictions that must be passed on to recipients
  uint64_t monthly_active_user_limit = 0;  // 0: none
  std::vector<Obligation> obligations;
};

// Every entry, in a stable order (Hub id order, then SPDX-only entries).
const std::vector<License>& all_licenses();

// Looks an id up: an SPDX id or LicenseRef- id (matched case-insensitively, as SPDX specifies),
// else a Hub id. Returns nullptr when the id is not in the knowledge base.
const License* find_license(std::string_view id);

// An entry for a license hallmark does not know: known = false, no permissions assumed.
// `id` is kept as given (Hub "unknown", "other" with its license_name, or an unlisted SPDX id).
License unknown_license(std::string_view id, std::string_view name = {}, std::string_view url = {});

// "use", "distribution", "commercial".
std::string_view to_string(Trigger trigger);
// "none", "weak", "strong", "network".
std::string_view to_string(Copyleft copyleft);

}  // namespace hallmark::policy
