// Element types of the safetensors format.
#pragma once

#include <cstddef>
#include <optional>
#include <string_view>

namespace hallmark::checkpoint {

enum class DType {
  BOOL, U8, I8, I16, U16, I32, U32, I64, U64, F8_E4M3, F8_E5M2, F16, BF16, F32, F64
};

// The safetensors spelling ("F32", "BF16", ...); nullopt for an unknown name.
std::optional<DType> parse_dtype(std::string_view name);
std::string_view dtype_name(DType dtype);
size_t dtype_size(DType dtype);
// F16, BF16 and F32 are the dtypes merges compute with (in fp32) and write.
bool is_mergeable(DType dtype);

}  // namespace hallmark::checkpoint
