#include "reports/src/in_toto_statement.h"

#include "common/error.h"

namespace hallmark::reports::detail {

ModelSigningStatement parse_statement(std::string_view payload, std::string_view source) {
  using nlohmann::json;
  const std::string where = std::string(source) + ": signed statement";
  json s = json::parse(payload, nullptr, /*allow_exceptions=*/false);
  if (s.is_discarded() || !s.is_object()) throw InputError(where + " is not a JSON object");
  auto require = [&](const char* key, std::string_view want) {
    if (!s.contains(key) || s.at(key) != want)
      throw InputError(where + ": " + key + " " + (s.contains(key) ? s.at(key).dump() : "(none)") +
                       " is not " + std::string(want));
  };
  require("_type", kStatementType);
  require("predicateType", kModelSigningPredicateType);
  if (!s.contains("subject") || !s.at("subject").is_array() || s.at("subject").size() != 1)
    throw InputError(where + " must have exactly one subject");
  const json& subject = s.at("subject").at(0);
  if (!subject.is_object() || !subject.contains("digest") || !subject.at("digest").is_object() ||
      !subject.at("digest").contains("sha256") || !subject.at("digest").at("sha256").is_string())
    throw InputError(where + ": the subject has no digest.sha256");
  if (!s.contains("predicate") || !s.at("predicate").is_object())
    throw InputError(where + " has no predicate object");
  ModelSigningStatement out;
  if (subject.contains("name") && subject.at("name").is_string())
    out.subject_name = subject.at("name").get<std::string>();
  out.root_digest = subject.at("digest").at("sha256").get<std::string>();
  out.predicate = s.at("predicate");
  return out;
}

}  // namespace hallmark::reports::detail
