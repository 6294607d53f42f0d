// `hallmark audit`: the compliance picture of any checkpoint directory, hallmark's or not:
// its manifest and root digest, its licenses (from the model card) with a verdict for every
// intended use, its declared datasets with their digests checked, its signature and its
// auditability score, as a report in the shape the gate reads (docs/policy-gate.md).
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "provenance/metadata.h"

namespace hallmark::policy {

struct AuditOptions {
  std::string name;  // model.name in the report; empty: the directory name
  provenance::ParentMetadataOptions metadata;  // public key and verifier for model.sig
  unsigned threads = 0;                        // hashing threads; 0: all cores
};

struct Audit {
  nlohmann::json report;              // docs/policy-gate.md
  std::vector<std::string> failures;  // failed checks (digest mismatch, missing data, bad signature)
  provenance::ParentMetadata metadata;  // what the report was built from
};

// Throws InputError for a directory that is not a model (no files), or a malformed model card or
// provenance.json (naming the file, line and column). Failed checks are recorded, not thrown.
Audit audit_model(const std::filesystem::path& dir, const AuditOptions& options = {});

}  // namespace hallmark::policy
