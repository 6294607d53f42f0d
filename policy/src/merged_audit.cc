#include "policy/merged_audit.h"

#include "common/error.h"
#include "policy/src/audit_json.h"

namespace hallmark::policy {

using nlohmann::json;

Audit audit_merged(const std::filesystem::path& child_dir, const std::vector<MergedParent>& parents,
                   const AuditOptions& options) {
  Audit out = audit_model(child_dir, options);

  json parent_entries = json::array();
  std::vector<LicenseSource> sources;
  std::vector<provenance::ParentAuditInput> inputs;
  for (const auto& p : parents) {
    AuditOptions parent_options = options;
    parent_options.name = p.name;
    Audit parent = audit_model(p.dir, parent_options);
    json entry = parent.report["parents"][0];
    entry["contributes"] = p.contributes;
    entry["contribution"] = p.contribution;
    parent_entries.push_back(entry);
    for (const auto& f : parent.failures) out.failures.push_back(p.name + ": " + f);

    LicenseSource source;
    source.name = p.name;
    source.license = entry["license"].is_string() ? entry["license"].get<std::string>() : "";
    source.license_name = entry["license_name"].is_string() ? entry["license_name"].get<std::string>() : "";
    source.license_link = entry["license_link"].is_string() ? entry["license_link"].get<std::string>() : "";
    source.contributes = p.contributes;
    sources.push_back(source);
    if (p.contributes)
      inputs.push_back({p.name, p.contribution, std::move(parent.metadata)});
  }
  if (inputs.empty()) throw InputError(child_dir.string() + ": no parent contributes to the child");

  json verdicts = license_verdicts_json(sources);

  provenance::Auditability audit = provenance::score_auditability(inputs);

  json& r = out.report;
  r["kind"] = "merged-audit";
  r["parents"] = parent_entries;
  r["license"] = {{"expression", verdicts["commercial-deployment"]["expression"]}, {"verdicts", verdicts}};
  r["auditability"] = auditability_json(audit);
  r["metrics"]["auditability"] = audit.score;
  r["checks"] = {{"passed", out.failures.empty()}, {"failures", out.failures}};
  return out;
}

}  // namespace hallmark::policy
