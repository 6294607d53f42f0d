#include "provenance/auditability.h"

#include <algorithm>
#include <cmath>

#include "common/error.h"
#include "provenance/manifest.h"

namespace hallmark::provenance {
namespace {

// Credit for one declared dataset: verified data counts fully; a digest without the data to
// check it against counts half (it can be checked later by whoever holds the data).
double dataset_credit(DigestStatus status) {
  switch (status) {
    case DigestStatus::kVerified: return 1.0;
    case DigestStatus::kNotCheckable: return 0.5;
    case DigestStatus::kMismatch:
    case DigestStatus::kMissingData:
    case DigestStatus::kNoDigest: return 0.0;
  }
  return 0.0;
}

void score_data(const std::string& name, const ParentMetadata& m, ParentAuditability& out) {
  if (m.dataset_checks.empty()) {
    out.data = 0.0;
    out.missing.push_back(name + " declares no training datasets with digests (no " +
                          std::string(kProvenanceFile) + " entries)");
    return;
  }
  double sum = 0.0;
  for (const auto& c : m.dataset_checks) {
    sum += dataset_credit(c.status);
    switch (c.status) {
      case DigestStatus::kVerified: break;
      case DigestStatus::kNotCheckable:
        out.missing.push_back(name + ": dataset '" + c.dataset +
                              "' has a digest but no data file to verify it");
        break;
      case DigestStatus::kNoDigest:
        out.missing.push_back(name + ": dataset '" + c.dataset + "' has no SHA-256 digest");
        break;
      case DigestStatus::kMissingData:
      case DigestStatus::kMismatch:
        out.missing.push_back(name + ": " + c.detail);
        break;
    }
  }
  out.data = sum / static_cast<double>(m.dataset_checks.size());
}

void score_signature(const std::string& name, const ParentMetadata& m, ParentAuditability& out) {
  out.signature = m.signature.status == SignatureStatus::kVerified ? 1.0 : 0.0;
  switch (m.signature.status) {
    case SignatureStatus::kVerified: break;
    case SignatureStatus::kAbsent:
      out.missing.push_back(name + " is not signed (no " + std::string(kSignatureFile) + ")");
      break;
    case SignatureStatus::kNotChecked:
      out.missing.push_back(name + " is signed but the signature was not checked (no public key)");
      break;
    case SignatureStatus::kFailed:
      out.missing.push_back(name + ": signature verification failed: " + m.signature.detail);
      break;
  }
}

void score_license(const std::string& name, const ParentMetadata& m, ParentAuditability& out) {
  const auto& license = m.card ? m.card->license : std::nullopt;
  if (!license || license->empty()) {
    out.missing.push_back(name + " declares no license in its model card");
  } else if (*license == "unknown") {
    out.missing.push_back(name + " declares its license as 'unknown'");
  } else if (*license == "other" && !m.card->license_name) {
    out.missing.push_back(name + " declares license 'other' without a license_name");
  } else {
    out.license = 1.0;
  }
}

void score_documentation(const std::string& name, const ParentMetadata& m,
                         ParentAuditability& out) {
  if (!m.card) {
    out.missing.push_back(name + " has no model card (" + std::string(kModelCardFile) + ")");
    return;
  }
  const ModelCard& c = *m.card;
  if (c.has_front_matter && (c.library_name || !c.base_model.empty() || !c.tags.empty())) {
    out.documentation = 1.0;
  } else {
    out.documentation = 0.5;
    out.missing.push_back(name + "'s model card has no metadata naming its library, base model "
                          "or tags");
  }
}

void check_weights(const AuditabilityWeights& w) {
  for (double v : {w.data, w.signature, w.license, w.documentation})
    if (!std::isfinite(v) || v < 0.0) throw InputError("auditability weights must be >= 0");
  double sum = w.data + w.signature + w.license + w.documentation;
  if (std::fabs(sum - 1.0) > 1e-9)
    throw InputError("auditability weights must sum to 1 (they sum to " + std::to_string(sum) +
                     ")");
}

}  // namespace

ParentAuditability audit_parent(const std::string& name, const ParentMetadata& metadata,
                                const AuditabilityWeights& weights) {
  check_weights(weights);
  ParentAuditability p;
  p.name = name;
  score_data(name, metadata, p);
  score_signature(name, metadata, p);
  score_license(name, metadata, p);
  score_documentation(name, metadata, p);
  p.score = weights.data * p.data + weights.signature * p.signature +
            weights.license * p.license + weights.documentation * p.documentation;
  return p;
}

Auditability score_auditability(const std::vector<ParentAuditInput>& parents,
                                const AuditabilityWeights& weights) {
  double total = 0.0;
  for (const auto& p : parents) {
    if (!std::isfinite(p.contribution) || p.contribution < 0.0)
      throw InputError("auditability: parent '" + p.name + "' has contribution " +
                       std::to_string(p.contribution) + " (must be a number >= 0)");
    total += p.contribution;
  }
  if (!(total > 0.0))
    throw InputError("auditability: no parent contributes to the child (all shares are 0)");
  Auditability out;
  for (const auto& in : parents) {
    ParentAuditability p = audit_parent(in.name, in.metadata, weights);
    p.contribution = in.contribution / total;
    out.score += p.contribution * p.score;
    // A parent that contributes nothing cannot make the child less auditable.
    if (p.contribution > 0.0)
      out.missing.insert(out.missing.end(), p.missing.begin(), p.missing.end());
    out.parents.push_back(std::move(p));
  }
  out.score = std::clamp(out.score, 0.0, 1.0);
  return out;
}

}  // namespace hallmark::provenance
