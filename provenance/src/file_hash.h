// Hashing one file from disk, streamed with large reads.
#pragma once

#include <cstdint>
#include <filesystem>

#include "provenance/src/sha256.h"

namespace hallmark::provenance::detail {

struct FileHash {
  Digest digest;
  uint64_t size = 0;
};

// Reads `path` front to back in large blocks (the kernel is told the access is sequential) and
// hashes it. Throws InputError("PATH: cannot read: REASON").
FileHash hash_file(const std::filesystem::path& path);

}  // namespace hallmark::provenance::detail
