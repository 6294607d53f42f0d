#include "policy/audit.h"
#include <algorithm>

#include "common/version.h"
#include "policy/derivation.h"
#include "policy/src/audit_json.h"
#include "provenance/auditability.h"
#include "provenance/manifest.h"

namespace hallmark::policy {
namespace {

using nlohmann::json;

json signature_json(const provenance::SignatureCheck& s) {
  json j{{"status", provenance::to_string(s.status)},
         {"present", s.status != provenance::SignatureStatus::kAbsent},
         {"verified", s.status == provenance::SignatureStatus::kVerified},
         {"detail", s.detail}};
  if (!s.key_hint.empty()) j["key_hint"] = s.key_hint;
  if (!s.root_digest.empty()) j["signed_root_digest"] = s.root_digest;
  return j;
}

template <typename T>
json optional_json(const std::optional<T>& v) {
  return v ? json(*v) : json(nullptr);
}

// Declared datasets: provenance.json entries with their digest checks, then card-only names.
json datasets_json(const provenance::ParentMetadata& m) {
  json out = json::array();
  std::vector<std::string> seen;
  if (m.provenance) {
    for (size_t i = 0; i < m.provenance->datasets.size(); ++i) {
      const auto& d = m.provenance->datasets[i];
      const auto& c = m.dataset_checks.at(i);
      out.push_back({{"name", d.name}, {"source", optional_json(d.source)}, {"license", optional_json(d.license)},
                     {"sha256", optional_json(d.sha256)}, {"collection", optional_json(d.collection)},
                     {"declared_in", provenance::kProvenanceFile}, {"digest", provenance::to_string(c.status)},
                     {"detail", c.detail}});
      seen.push_back(d.name);
    }
  }
  if (m.card) {
    for (const auto& name : m.card->datasets) {
      if (std::find(seen.begin(), seen.end(), name) != seen.end()) continue;
      out.push_back({{"name", name}, {"source", nullptr}, {"license", nullptr}, {"sha256", nullptr},
                     {"collection", nullptr}, {"declared_in", provenance::kModelCardFile},
                     {"digest", "no-digest"}, {"detail", "dataset '" + name + "' is named in the model card only"}});
    }
  }
  return out;
}

}  // namespace

Audit audit_model(const std::filesystem::path& dir, const AuditOptions& options) {
  provenance::ManifestOptions mo;
  mo.threads = options.threads;
  provenance::Manifest manifest = provenance::compute_manifest(dir, mo);
  provenance::ParentMetadata meta = provenance::read_parent_metadata(dir, options.metadata);
  std::string name = options.name.empty() ? std::filesystem::absolute(dir).lexically_normal().filename().string() : options.name;
  if (name.empty()) name = std::filesystem::absolute(dir).lexically_normal().parent_path().filename().string();

  LicenseSource source;
  source.name = name;
  json base_model = json::array();
  if (meta.card) {
    source.license = meta.card->license.value_or("");
    source.license_name = meta.card->license_name.value_or("");
    source.license_link = meta.card->license_link.value_or("");
    for (const auto& b : meta.card->base_model) base_model.push_back(b);
  }

  json verdicts = license_verdicts_json({source});

  provenance::ParentAuditInput input{name, 1.0, meta};
  provenance::Auditability audit = provenance::score_auditability({input});

  json files = json::array();
  for (const auto& f : manifest.files) files.push_back({{"path", f.path}, {"sha256", f.sha256}, {"size", f.size}});

  Audit out;
  out.failures = meta.failures();
  out.metadata = meta;
  json signature = signature_json(meta.signature);
  out.report = {
      {"schema", "hallmark.report.v1"},
      {"kind", "audit"},
      {"generator", "hallmark " + version()},
      {"model",
       {{"name", name}, {"path", dir.string()}, {"root_digest", manifest.root_digest}, {"files", files.size()},
        {"bytes", manifest.total_bytes()}, {"signature", signature}, {"base_model", base_model}}},
      {"parents",
       json::array({{{"name", name}, {"license", source.license.empty() ? json(nullptr) : json(source.license)},
                     {"license_name", source.license_name.empty() ? json(nullptr) : json(source.license_name)},
                     {"license_link", source.license_link.empty() ? json(nullptr) : json(source.license_link)},
                     {"contributes", true}, {"contribution", 1.0}, {"root_digest", manifest.root_digest},
                     {"signature", signature}, {"datasets", datasets_json(meta)}}})},
      {"license", {{"expression", verdicts["commercial-deployment"]["expression"]}, {"verdicts", verdicts}}},
      {"auditability", auditability_json(audit)},
      {"metrics", {{"auditability", audit.score}}},
      {"checks", {{"passed", out.failures.empty()}, {"failures", out.failures}}},
      {"manifest", {{"root_digest", manifest.root_digest}, {"files", files}}},
  };
  return out;
}

}  // namespace hallmark::policy
