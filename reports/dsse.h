// DSSE (Dead Simple Signing Envelope, secure-systems-lab/dsse v1): the pre-authentication
// encoding that is signed, and the envelope {payload, payloadType, signatures[{keyid, sig}]}.
// Payload and signatures are base64 in either the standard or the URL-safe alphabet.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace hallmark::reports {

// The payload type of an in-toto statement.
inline constexpr std::string_view kInTotoPayloadType = "application/vnd.in-toto+json";

// PAE(type, body) = "DSSEv1" SP LEN(type) SP type SP LEN(body) SP body, LEN in ASCII decimal
// bytes: the exact bytes a DSSE signature signs.
std::string pae(std::string_view payload_type, std::string_view payload);

struct DsseSignature {
  std::string keyid;  // may be empty
  std::string sig;    // decoded signature bytes
};

// An envelope with its base64 decoded. The payload is bytes, deliberately not parsed: it is
// only trusted (and parsed) once a signature over it has verified.
struct DsseEnvelope {
  std::string payload_type;
  std::string payload;
  std::vector<DsseSignature> signatures;
};

// Throws InputError naming `source` and the field for a missing or mistyped field, invalid
// base64, or no signatures.
DsseEnvelope parse_envelope(const nlohmann::json& envelope, std::string_view source);

// Checks one signature: true when `signature` is valid over `message` for the caller's key.
using SignatureCheckFn =
    std::function<bool(std::string_view message, std::string_view signature)>;

// The index of the first signature that verifies over PAE(payload_type, payload), or nullopt.
std::optional<size_t> verify_envelope(const DsseEnvelope& envelope, const SignatureCheckFn& check);

}  // namespace hallmark::reports
