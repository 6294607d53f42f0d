// The in-toto Statement v1 that an OpenSSF model signature (v1.0) signs: one subject whose
// digest.sha256 is the model's root digest, and the model signing predicate.
#pragma once

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace hallmark::reports::detail {

inline constexpr std::string_view kStatementType = "https://in-toto.io/Statement/v1";
inline constexpr std::string_view kModelSigningPredicateType = "https://model_signing/signature/v1.0";

struct ModelSigningStatement {
  std::string subject_name;
  std::string root_digest;  // subject digest.sha256, lowercase hex
  nlohmann::json predicate; // {"serialization", "resources", ...}
};

// Parses a verified payload. Throws InputError naming `source` for text that is not JSON, a
// wrong _type or predicateType, not exactly one subject, or a subject without digest.sha256.
ModelSigningStatement parse_statement(std::string_view payload, std::string_view source);

}  // namespace hallmark::reports::detail
