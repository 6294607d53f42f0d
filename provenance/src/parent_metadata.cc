#include <algorithm>
#include <system_error>

#include "common/error.h"
#include "provenance/manifest.h"
#include "provenance/metadata.h"

namespace hallmark::provenance {
namespace fs = std::filesystem;
namespace {

DatasetCheck check_dataset(const fs::path& dir, const DatasetDeclaration& d) {
  DatasetCheck c;
  c.dataset = d.name;
  if (!d.sha256) {
    c.status = DigestStatus::kNoDigest;
    c.detail = "dataset '" + d.name + "' declares no SHA-256 digest";
    return c;
  }
  if (!d.path) {
    c.status = DigestStatus::kNotCheckable;
    c.detail = "dataset '" + d.name + "' declares a digest but no data file to check it against";
    return c;
  }
  fs::path data = dir / *d.path;
  std::error_code ec;
  if (!fs::is_regular_file(data, ec)) {
    c.status = DigestStatus::kMissingData;
    c.detail = "dataset '" + d.name + "': data file " + *d.path + " is missing";
    return c;
  }
  fs::path real = fs::canonical(data, ec);
  fs::path root = fs::canonical(dir, ec);
  if (ec || std::mismatch(root.begin(), root.end(), real.begin(), real.end()).first != root.end())
    throw InputError((dir / kProvenanceFile).string() + ": dataset '" + d.name + "': " + *d.path +
                     " leads outside the model directory");
  std::string actual = sha256_file(data);
  if (actual == *d.sha256) {
    c.status = DigestStatus::kVerified;
    c.detail = "dataset '" + d.name + "': " + *d.path + " matches its declared digest";
  } else {
    c.status = DigestStatus::kMismatch;
    c.detail = "dataset '" + d.name + "': " + *d.path + " has SHA-256 " + actual +
               " but the declared digest is " + *d.sha256;
  }
  return c;
}

SignatureCheck check_signature(const fs::path& dir, const ParentMetadataOptions& options) {
  SignatureCheck s;
  fs::path sig = dir / kSignatureFile;
  std::error_code ec;
  if (!fs::exists(sig, ec)) {
    s.status = SignatureStatus::kAbsent;
    s.detail = "no " + std::string(kSignatureFile);
    return s;
  }
  if (!options.public_key || !options.verify_signature) {
    s.status = SignatureStatus::kNotChecked;
    s.detail = std::string(kSignatureFile) + " is present but no public key was given to check it";
    return s;
  }
  return options.verify_signature(dir, sig, *options.public_key);
}

}  // namespace

std::string_view to_string(DigestStatus status) {
  switch (status) {
    case DigestStatus::kVerified: return "verified";
    case DigestStatus::kMismatch: return "mismatch";
    case DigestStatus::kMissingData: return "missing-data";
    case DigestStatus::kNotCheckable: return "not-checkable";
    case DigestStatus::kNoDigest: return "no-digest";
  }
  return "unknown";
}

std::string_view to_string(SignatureStatus status) {
  switch (status) {
    case SignatureStatus::kAbsent: return "absent";
    case SignatureStatus::kNotChecked: return "not-checked";
    case SignatureStatus::kVerified: return "verified";
    case SignatureStatus::kFailed: return "failed";
  }
  return "unknown";
}

std::vector<std::string> ParentMetadata::failures() const {
  std::vector<std::string> out;
  for (const auto& c : dataset_checks)
    if (c.status == DigestStatus::kMismatch || c.status == DigestStatus::kMissingData)
      out.push_back(dir.string() + ": " + c.detail);
  if (signature.status == SignatureStatus::kFailed)
    out.push_back(dir.string() + ": signature check failed: " + signature.detail);
  return out;
}

void ParentMetadata::require_passed() const {
  std::vector<std::string> f = failures();
  if (!f.empty()) throw CheckFailed(f.front());
}

ParentMetadata read_parent_metadata(const fs::path& dir, const ParentMetadataOptions& options) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) throw InputError(dir.string() + ": not a model directory");
  ParentMetadata m;
  m.dir = dir;
  if (fs::exists(dir / kModelCardFile, ec)) m.card = read_model_card(dir / kModelCardFile);
  if (fs::exists(dir / kProvenanceFile, ec)) {
    m.provenance = read_provenance_file(dir / kProvenanceFile);
    for (const auto& d : m.provenance->datasets) m.dataset_checks.push_back(check_dataset(dir, d));
  }
  m.signature = check_signature(dir, options);
  return m;
}

}  // namespace hallmark::provenance
