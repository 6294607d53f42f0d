#include "reports/src/sigstore_bundle.h"

#include "common/error.h"

namespace hallmark::reports::detail {

SigstoreBundle parse_bundle(std::string_view text, std::string_view source) {
  using nlohmann::json;
  const std::string where(source);
  json bundle = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (bundle.is_discarded()) throw InputError(where + ": not a JSON Sigstore bundle");
  if (!bundle.is_object()) throw InputError(where + ": the Sigstore bundle is not a JSON object");
  if (!bundle.contains("mediaType") || bundle.at("mediaType") != kBundleMediaType)
    throw InputError(where + ": mediaType " +
                     (bundle.contains("mediaType") ? bundle.at("mediaType").dump() : "(none)") +
                     " is not " + std::string(kBundleMediaType));
  SigstoreBundle b;
  if (bundle.contains("verificationMaterial")) {
    const json& vm = bundle.at("verificationMaterial");
    if (vm.is_object() && vm.contains("publicKey") && vm.at("publicKey").is_object() &&
        vm.at("publicKey").contains("hint")) {
      const json& hint = vm.at("publicKey").at("hint");
      if (!hint.is_string() && !hint.is_null())
        throw InputError(where + ": verificationMaterial.publicKey.hint is not a string");
      if (hint.is_string()) b.key_hint = hint.get<std::string>();
    }
  }
  if (!bundle.contains("dsseEnvelope"))
    throw InputError(where + ": the bundle has no dsseEnvelope (only DSSE signatures are supported)");
  b.envelope = parse_envelope(bundle.at("dsseEnvelope"), source);
  return b;
}

}  // namespace hallmark::reports::detail
