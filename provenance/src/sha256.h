// Streaming SHA-256 on OpenSSL's EVP interface (which uses the CPU's SHA extensions when
// present), and the hex helpers the manifests use.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

struct evp_md_ctx_st;

namespace hallmark::provenance::detail {

using Digest = std::array<uint8_t, 32>;

class Sha256 {
 public:
  Sha256();
  ~Sha256();
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;

  void update(const void* data, size_t size);
  // Finishes the hash; the object must not be updated afterwards.
  Digest finish();

 private:
  evp_md_ctx_st* ctx_;
};

std::string to_hex(const Digest& digest);
// True for exactly 64 lowercase hex characters.
bool is_sha256_hex(std::string_view text);
// Requires is_sha256_hex(hex).
Digest from_hex(std::string_view hex);

}  // namespace hallmark::provenance::detail
