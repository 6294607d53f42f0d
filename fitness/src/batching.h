// Grouping sequences of different lengths into padded batches.
#pragma once

#include <ATen/core/Tensor.h>

#include <cstdint>
#include <vector>

namespace hallmark::fitness {

// Indices of `lengths`, longest first (stable), so that batches hold similar lengths.
std::vector<size_t> longest_first(const std::vector<int64_t>& lengths);

struct PaddedBatch {
  at::Tensor ids;   // [B, L] int64 on the CPU, padding ids are 0
  at::Tensor mask;  // [B, L] int64, 1 = token
};

// Rows padded on the left (for generation) or the right (for scoring) to the longest row.
PaddedBatch pad_left(const std::vector<const std::vector<int64_t>*>& rows);
PaddedBatch pad_right(const std::vector<const std::vector<int64_t>*>& rows);

}  // namespace hallmark::fitness
