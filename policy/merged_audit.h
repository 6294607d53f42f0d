// The audit of a merged child: the same report shape as audit_model (docs/policy-gate.md), but
// with the child's parents listed, each with its own license, datasets and signature, whether
// it contributes and its share of the child's parameter change. The license derivation and the
// auditability score are computed over the contributing parents, so a gate judges the child by
// what it is made of, not by its own (usually absent) model-card license.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "policy/audit.h"

namespace hallmark::policy {

struct MergedParent {
  std::string name;            // as the recipe names it
  std::filesystem::path dir;   // its checkpoint directory
  bool contributes = true;     // weight and density above zero for some tensor
  double contribution = 0.0;   // share of the child's parameter change (merge attribution)
};

// Throws InputError when no parent contributes or a parent's card or provenance is malformed.
Audit audit_merged(const std::filesystem::path& child_dir, const std::vector<MergedParent>& parents,
                   const AuditOptions& options = {});

}  // namespace hallmark::policy
