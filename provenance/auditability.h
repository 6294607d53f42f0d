// The auditability score of a child in [0, 1]: how much of its parameter change comes from
// parents whose training data is declared with digests that verify, whose files are signed
// and verified, whose license is declared and whose weights are documented. The formula is in
// docs/provenance.md:
//
//   parent:  a_p = 0.40 * data_p + 0.30 * signed_p + 0.15 * license_p + 0.15 * documented_p
//   child:   A   = sum_p s_p * a_p / sum_p s_p       (s_p = contribution share of parent p)
//
//   data_p: mean over declared datasets of 1 (digest verified), 0.5 (digest declared, data
//   not present to check), 0 (no digest, mismatch, missing data); 0 with no datasets.
//   signed_p: 1 when the signature verified, else 0.
//   license_p: 1 when the card declares a license other than "unknown" ("other" needs
//   license_name), else 0.
//   documented_p: 1 when the card has front matter and names a library or base model or tags,
//   0.5 with a README.md without front matter, 0 without a README.md.
#pragma once

#include <string>
#include <vector>

#include "provenance/metadata.h"

namespace hallmark::provenance {

struct AuditabilityWeights {
  double data = 0.40;
  double signature = 0.30;
  double license = 0.15;
  double documentation = 0.15;
};

struct ParentAuditInput {
  std::string name;             // names the parent in the missing-items sentences
  double contribution = 0.0;    // share of the child's parameter change (>= 0), from merge
  ParentMetadata metadata;
};

struct ParentAuditability {
  std::string name;
  double contribution = 0.0;  // normalized share, sums to 1 over parents
  double data = 0.0;          // component values in [0, 1]
  double signature = 0.0;
  double license = 0.0;
  double documentation = 0.0;
  double score = 0.0;         // a_p
  std::vector<std::string> missing;  // plain sentences naming the parent
};

struct Auditability {
  double score = 0.0;  // A, in [0, 1]
  std::vector<ParentAuditability> parents;
  std::vector<std::string> missing;  // all parents' missing items, in parent order
};

// Throws InputError for a negative or non-finite contribution, weights that are negative or
// do not sum to 1, or no parent with a positive contribution.
Auditability score_auditability(const std::vector<ParentAuditInput>& parents,
                                const AuditabilityWeights& weights = {});

// A single parent's components and missing items (contribution left at 0).
ParentAuditability audit_parent(const std::string& name, const ParentMetadata& metadata,
                                const AuditabilityWeights& weights = {});

}  // namespace hallmark::provenance
