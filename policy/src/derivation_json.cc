#include "policy/derivation_json.h"

namespace hallmark::policy {

nlohmann::json derivation_to_json(const Derivation& d) {
  nlohmann::json conflicts = nlohmann::json::array();
  for (const auto& c : d.conflicts) conflicts.push_back({{"kind", c.kind}, {"sentence", c.sentence}, {"parents", c.parents}});
  nlohmann::json obligations = nlohmann::json::array();
  for (const auto& o : d.obligations) {
    obligations.push_back({{"kind", o.obligation.kind}, {"text", o.obligation.text},
                           {"trigger", to_string(o.obligation.trigger)}, {"license", o.license}, {"parents", o.parents}});
  }
  return {{"verdict", to_string(d.verdict)}, {"expression", d.expression}, {"contributing", d.contributing},
          {"licenses", d.licenses}, {"conflicts", conflicts}, {"obligations", obligations}};
}

}  // namespace hallmark::policy
