// The Sigstore bundle (v0.3, JSON) that OpenSSF model signing writes to model.sig when signing
// with a key: {mediaType, verificationMaterial: {publicKey: {hint}}, dsseEnvelope}.
#pragma once

#include <string>
#include <string_view>

#include "reports/dsse.h"

namespace hallmark::reports::detail {

inline constexpr std::string_view kBundleMediaType = "application/vnd.dev.sigstore.bundle.v0.3+json";

struct SigstoreBundle {
  std::string key_hint;  // verificationMaterial.publicKey.hint; empty when absent
  DsseEnvelope envelope;
};

// Throws InputError naming `source` for text that is not JSON, another media type, a bundle
// without a DSSE envelope, or a malformed envelope.
SigstoreBundle parse_bundle(std::string_view text, std::string_view source);

}  // namespace hallmark::reports::detail
