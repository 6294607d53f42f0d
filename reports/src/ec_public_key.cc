#include "reports/src/ec_public_key.h"

#include <fstream>
#include <map>
#include <sstream>

#include <openssl/bio.h>
#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include "common/error.h"
#include "provenance/manifest.h"

namespace hallmark::reports::detail {
namespace {

struct Curve {
  const char* name;
  const char* digest;
};

// OpenSSL group names of the supported curves.
const std::map<std::string, Curve>& curves() {
  static const std::map<std::string, Curve> table = {
      {"prime256v1", {"P-256", "SHA256"}},
      {"secp384r1", {"P-384", "SHA384"}},
      {"secp521r1", {"P-521", "SHA512"}},
  };
  return table;
}

struct BioFree {
  void operator()(BIO* b) const { BIO_free(b); }
};
struct MdCtxFree {
  void operator()(EVP_MD_CTX* c) const { EVP_MD_CTX_free(c); }
};

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path.string() + ": cannot read the public key file");
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace

void EcPublicKey::Free::operator()(EVP_PKEY* key) const { EVP_PKEY_free(key); }

EcPublicKey EcPublicKey::load(const std::filesystem::path& pem_file) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(pem_file, ec))
    throw InputError(pem_file.string() + ": public key file not found");
  const std::string pem = read_file(pem_file);
  std::unique_ptr<BIO, BioFree> in(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  EcPublicKey k;
  k.key_.reset(PEM_read_bio_PUBKEY(in.get(), nullptr, nullptr, nullptr));
  ERR_clear_error();
  if (!k.key_) throw InputError(pem_file.string() + ": not a PEM public key");
  if (!EVP_PKEY_is_a(k.key_.get(), "EC"))
    throw InputError(pem_file.string() + ": not an elliptic curve key (model signing keys are "
                                         "ECDSA P-256, P-384 or P-521)");
  char group[64] = {};
  size_t len = 0;
  if (EVP_PKEY_get_utf8_string_param(k.key_.get(), OSSL_PKEY_PARAM_GROUP_NAME, group,
                                     sizeof group, &len) != 1)
    throw InputError(pem_file.string() + ": the key's curve cannot be read");
  auto it = curves().find(group);
  if (it == curves().end())
    throw InputError(pem_file.string() + ": curve " + group +
                     " is not supported (P-256, P-384 or P-521)");
  k.curve_ = it->second.name;
  k.digest_ = it->second.digest;

  std::unique_ptr<BIO, BioFree> out(BIO_new(BIO_s_mem()));
  if (PEM_write_bio_PUBKEY(out.get(), k.key_.get()) != 1)
    throw InputError(pem_file.string() + ": the key cannot be encoded");
  char* data = nullptr;
  long size = BIO_get_mem_data(out.get(), &data);
  k.hint_ = provenance::sha256_hex(std::string_view(data, static_cast<size_t>(size)));
  return k;
}

bool EcPublicKey::verify(std::string_view message, std::string_view der_signature) const {
  std::unique_ptr<EVP_MD_CTX, MdCtxFree> ctx(EVP_MD_CTX_new());
  bool ok = ctx &&
            EVP_DigestVerifyInit_ex(ctx.get(), nullptr, digest_.c_str(), nullptr, nullptr,
                                    key_.get(), nullptr) == 1 &&
            EVP_DigestVerify(ctx.get(), reinterpret_cast<const unsigned char*>(der_signature.data()),
                             der_signature.size(),
                             reinterpret_cast<const unsigned char*>(message.data()),
                             message.size()) == 1;
  ERR_clear_error();  // a failed verification leaves errors behind; it is an answer, not an error
  return ok;
}

}  // namespace hallmark::reports::detail
