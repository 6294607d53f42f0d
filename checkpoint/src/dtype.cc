#include "checkpoint/dtype.h"

#include <array>
#include <utility>

namespace hallmark::checkpoint {
namespace {

struct DTypeRow {
  DType dtype;
  std::string_view name;
  size_t size;
};

constexpr std::array<DTypeRow, 15> kTable{{
    {DType::BOOL, "BOOL", 1},   {DType::U8, "U8", 1},   {DType::I8, "I8", 1},
    {DType::I16, "I16", 2},     {DType::U16, "U16", 2}, {DType::I32, "I32", 4},
    {DType::U32, "U32", 4},     {DType::I64, "I64", 8}, {DType::U64, "U64", 8},
    {DType::F8_E4M3, "F8_E4M3", 1}, {DType::F8_E5M2, "F8_E5M2", 1},
    {DType::F16, "F16", 2},     {DType::BF16, "BF16", 2}, {DType::F32, "F32", 4},
    {DType::F64, "F64", 8},
}};

const DTypeRow& row(DType dtype) {
  for (const auto& r : kTable)
    if (r.dtype == dtype) return r;
  return kTable[0];
}

}  // namespace

std::optional<DType> parse_dtype(std::string_view name) {
  for (const auto& r : kTable)
    if (r.name == name) return r.dtype;
  return std::nullopt;
}

std::string_view dtype_name(DType dtype) { return row(dtype).name; }

size_t dtype_size(DType dtype) { return row(dtype).size; }

bool is_mergeable(DType dtype) {
  return dtype == DType::F16 || dtype == DType::BF16 || dtype == DType::F32;
}

}  // namespace hallmark::checkpoint
