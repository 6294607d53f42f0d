// An elliptic curve public key of the curves OpenSSF model signing accepts, each with its
// digest: P-256 with SHA-256, P-384 with SHA-384, P-521 with SHA-512.
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

typedef struct evp_pkey_st EVP_PKEY;

namespace hallmark::reports::detail {

class EcPublicKey {
 public:
  // Reads a PEM SubjectPublicKeyInfo. Throws InputError naming the file when it is missing,
  // unreadable, not a PEM public key, or a key of another type or curve.
  static EcPublicKey load(const std::filesystem::path& pem_file);

  // True when `der_signature` is a valid ECDSA signature of `message` (hashed with the
  // curve's digest). Malformed signatures are simply not valid.
  bool verify(std::string_view message, std::string_view der_signature) const;

  // The key identity model signing records as verificationMaterial.publicKey.hint: SHA-256
  // (lowercase hex) of the key's PEM SubjectPublicKeyInfo encoding.
  const std::string& hint() const { return hint_; }
  const std::string& curve() const { return curve_; }  // e.g. "P-256"

 private:
  struct Free {
    void operator()(EVP_PKEY* key) const;
  };
  std::unique_ptr<EVP_PKEY, Free> key_;
  std::string curve_;
  std::string digest_;  // OpenSSL digest name
  std::string hint_;
};

}  // namespace hallmark::reports::detail
