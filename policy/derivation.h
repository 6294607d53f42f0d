// License derivation for a merged child: the SPDX expression it carries, the obligations it
// inherits from its contributing parents, and a verdict for an intended use, with every conflict
// explained in one sentence that names the parents involved. The same answer as numbers for the
// optimizer (LicenseObjective). Unknown or missing licenses are never treated as permissive.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "policy/license_kb.h"

namespace hallmark::policy {

// What the child will be used for. Each use includes the duties of the ones before it:
//   internal-research: used inside the organisation for non-commercial research, never
//     distributed or offered to outside users;
//   redistribution: the child's weights are published or handed to third parties;
//   commercial-deployment: the child is used for commercial advantage, offered to users as a
//     product or service and distributed to customers.
enum class Use { internal_research, redistribution, commercial_deployment };

// Throws InputError naming the accepted values.
Use parse_use(std::string_view text);
std::string_view to_string(Use use);

struct UseContext {
  Use use = Use::commercial_deployment;
  // Monthly active users of the deploying organisation's products; 0 when not stated (then a
  // license's user limit is reported as an obligation to check, not as a conflict).
  uint64_t monthly_active_users = 0;
};

// One parent as the derivation sees it.
struct LicenseSource {
  std::string name;          // the parent's name, used in every sentence
  std::string license;       // Hub id or SPDX expression; empty when the card states none
  std::string license_name;  // with Hub id "other"
  std::string license_link;  // with Hub id "other"
  bool contributes = true;   // weight and density above zero for at least one tensor
};

enum class Verdict {
  compatible,    // no conflict
  incompatible,  // a license forbids the use
  undetermined,  // some license is unknown or missing; not permissive
};
std::string_view to_string(Verdict verdict);

struct Conflict {
  std::string kind;  // unknown-license, non-commercial, no-derivatives, copyleft, user-limit
  std::string sentence;
  std::vector<std::string> parents;
};

struct InheritedObligation {
  Obligation obligation;
  std::string license;               // SPDX id of the license that imposes it
  std::vector<std::string> parents;  // contributing parents under that license
};

struct Derivation {
  std::string expression;                 // what the child carries: AND of the parents' expressions
  std::vector<std::string> contributing;  // parent names
  std::vector<std::string> licenses;      // SPDX ids chosen (one per alternative of an OR)
  Verdict verdict = Verdict::compatible;
  std::vector<Conflict> conflicts;
  std::vector<InheritedObligation> obligations;  // those in force for the use
};

// Throws InputError when no parent contributes or a license is a malformed SPDX expression
// (the message names the parent and the column).
Derivation derive(const std::vector<LicenseSource>& parents, const UseContext& use);

// The derivation for the optimizer. score(mask) looks only at the parents whose mask bit is set:
//   violation = number of conflicts (0 = feasible), the hard constraint;
//   objective = 0 when there is a conflict, else 1 - k / K, where k is the number of distinct
//               obligation kinds in force and K = obligation_kinds().size(): fewer duties, higher.
// Parents' expressions are parsed once at construction; results are cached per mask.
class LicenseObjective {
 public:
  LicenseObjective(const std::vector<LicenseSource>& parents, UseContext use);
  ~LicenseObjective();
  struct Score {
    double objective = 0;
    double violation = 0;
  };
  // mask.size() must equal the number of parents; an all-false mask is infeasible (violation 1).
  Score score(const std::vector<bool>& mask) const;

 private:
  struct Resolved;
  std::vector<std::shared_ptr<const Resolved>> parents_;
  UseContext use_;
  mutable std::mutex mutex_;
  mutable std::map<std::vector<bool>, Score> cache_;
};

// Every obligation kind, in a stable order.
const std::vector<std::string>& obligation_kinds();

}  // namespace hallmark::policy
