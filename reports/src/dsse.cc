#include "reports/dsse.h"

#include "common/error.h"
#include "reports/src/base64.h"

namespace hallmark::reports {
namespace {

using nlohmann::json;

const std::string& string_field(const json& obj, const char* key, std::string_view source,
                                std::string_view where) {
  if (!obj.is_object() || !obj.contains(key) || !obj.at(key).is_string())
    throw InputError(std::string(source) + ": " + std::string(where) + " has no string '" + key +
                     "'");
  return obj.at(key).get_ref<const std::string&>();
}

std::string base64_field(const json& obj, const char* key, std::string_view source,
                         std::string_view where) {
  std::optional<std::string> bytes = detail::decode_base64(string_field(obj, key, source, where));
  if (!bytes)
    throw InputError(std::string(source) + ": " + std::string(where) + "." + key +
                     " is not valid base64");
  return *bytes;
}

}  // namespace

std::string pae(std::string_view payload_type, std::string_view payload) {
  std::string out = "DSSEv1 " + std::to_string(payload_type.size()) + " ";
  out.append(payload_type);
  out += " " + std::to_string(payload.size()) + " ";
  out.append(payload);
  return out;
}

DsseEnvelope parse_envelope(const json& envelope, std::string_view source) {
  if (!envelope.is_object()) throw InputError(std::string(source) + ": the DSSE envelope is not an object");
  DsseEnvelope e;
  e.payload_type = string_field(envelope, "payloadType", source, "dsseEnvelope");
  e.payload = base64_field(envelope, "payload", source, "dsseEnvelope");
  if (!envelope.contains("signatures") || !envelope.at("signatures").is_array() ||
      envelope.at("signatures").empty())
    throw InputError(std::string(source) + ": dsseEnvelope has no signatures");
  const json& sigs = envelope.at("signatures");
  for (size_t i = 0; i < sigs.size(); ++i) {
    std::string where = "dsseEnvelope.signatures[" + std::to_string(i) + "]";
    DsseSignature s;
    s.sig = base64_field(sigs[i], "sig", source, where);
    if (sigs[i].contains("keyid")) s.keyid = string_field(sigs[i], "keyid", source, where);
    e.signatures.push_back(std::move(s));
  }
  return e;
}

std::optional<size_t> verify_envelope(const DsseEnvelope& envelope, const SignatureCheckFn& check) {
  const std::string message = pae(envelope.payload_type, envelope.payload);
  for (size_t i = 0; i < envelope.signatures.size(); ++i)
    if (check(message, envelope.signatures[i].sig)) return i;
  return std::nullopt;
}

}  // namespace hallmark::reports
