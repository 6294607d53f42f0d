#include "policy/src/audit_json.h"

#include <string>

#include "policy/derivation_json.h"

namespace hallmark::policy {

using nlohmann::json;

json license_verdicts_json(const std::vector<LicenseSource>& sources) {
  json verdicts = json::object();
  for (Use use : {Use::internal_research, Use::redistribution, Use::commercial_deployment})
    verdicts[std::string(to_string(use))] = derivation_to_json(derive(sources, UseContext{use, 0}));
  return verdicts;
}

json auditability_json(const provenance::Auditability& audit) {
  json breakdown = json::array();
  for (const auto& p : audit.parents) {
    breakdown.push_back({{"name", p.name}, {"contribution", p.contribution}, {"data", p.data},
                         {"signature", p.signature}, {"license", p.license}, {"documentation", p.documentation},
                         {"score", p.score}, {"missing", p.missing}});
  }
  return {{"score", audit.score}, {"parents", breakdown}, {"missing", audit.missing}};
}

}  // namespace hallmark::policy
