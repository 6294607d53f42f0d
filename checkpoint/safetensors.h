// The safetensors format: an 8-byte little-endian header length N, N bytes of JSON header
// ({name: {dtype, shape, data_offsets: [begin, end]}, "__metadata__": {str: str}}), then the
// tensor bytes. Files are memory-mapped and read lazily, tensor by tensor; nothing is copied.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "checkpoint/dtype.h"

namespace hallmark::checkpoint {

struct TensorInfo {
  std::string name;
  DType dtype;
  std::vector<int64_t> shape;
  uint64_t offset = 0;  // of the first byte, from the start of the file
  uint64_t nbytes = 0;
  int64_t numel() const;
};

// The largest header we accept, as the reference implementation does.
inline constexpr uint64_t kMaxHeaderBytes = 100'000'000;

// A read-only, memory-mapped safetensors file whose header has been fully validated: header
// length within limits and inside the file, valid JSON, known dtypes, offsets in range,
// contiguous and not overlapping, byte size = dtype size x shape, unique names.
// Copies share the mapping; the mapping lives as long as any copy or any view into it.
class SafetensorsFile {
 public:
  // Throws InputError("PATH: REASON") for anything malformed.
  static SafetensorsFile open(const std::filesystem::path& path);

  const std::filesystem::path& path() const;
  // In the order of their data in the file.
  const std::vector<TensorInfo>& tensors() const;
  // nullptr when absent.
  const TensorInfo* find(std::string_view name) const;
  std::span<const std::byte> data(const TensorInfo& info) const;
  const std::map<std::string, std::string>& metadata() const;
  // Keeps the mapping alive, for zero-copy views that outlive this object.
  std::shared_ptr<const void> keep_alive() const;

 private:
  struct Impl;
  std::shared_ptr<const Impl> impl_;
};

// A tensor to be written: its bytes are borrowed, not copied.
struct TensorView {
  std::string name;
  DType dtype;
  std::vector<int64_t> shape;
  std::span<const std::byte> bytes;
};

// The exact bytes of a safetensors file holding `tensors` (in the given order) and `metadata`.
// Deterministic: header keys sorted, padded with spaces to a multiple of 8 bytes.
// Throws InputError on duplicate names or a byte size that does not match the shape.
std::string serialize_safetensors(const std::vector<TensorView>& tensors,
                                  const std::map<std::string, std::string>& metadata = {});

}  // namespace hallmark::checkpoint
