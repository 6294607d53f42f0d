// Verification of OpenSSF model signatures (model signing specification v1.0) made with a key:
// a Sigstore bundle (model.sig) holding a DSSE envelope whose in-toto statement lists every
// file of the model with its SHA-256, checked against an ECDSA public key (P-256, P-384, P-521)
// and against the files on disk.
#pragma once

#include <filesystem>

#include "provenance/metadata.h"

namespace hallmark::reports {

// Verifies `signature_file` over `model_dir` with the PEM public key `public_key_pem`:
// the bundle's key hint (when present) must be this key's, a DSSE signature must verify over
// PAE(payloadType, payload) before the payload is read, the payload must be an in-toto
// Statement v1 with the model signing v1.0 predicate, the resources must hash to the subject's
// root digest, and the files on disk (the signature file and the predicate's ignore_paths left
// out) must match the resources exactly.
//
// Returns kVerified (key_hint: the key's SHA-256 hint; root_digest: the signed root digest) or
// kFailed with a one-line detail naming the file or field: a changed, missing or unlisted
// file, a signature that does not verify, or a malformed bundle or statement. Throws
// InputError naming the key file when it is missing or not a supported EC public key, or
// naming the signature file when it cannot be read.
provenance::SignatureCheck verify_model_signature(const std::filesystem::path& model_dir,
                                                  const std::filesystem::path& signature_file,
                                                  const std::filesystem::path& public_key_pem);

// verify_model_signature as the hook provenance::read_parent_metadata calls.
provenance::SignatureVerifier signature_verifier();

}  // namespace hallmark::reports
