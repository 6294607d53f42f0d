#include "fitness/src/batching.h"

#include <ATen/ATen.h>

#include <algorithm>
#include <numeric>

namespace hallmark::fitness {

std::vector<size_t> longest_first(const std::vector<int64_t>& lengths) {
  std::vector<size_t> order(lengths.size());
  std::iota(order.begin(), order.end(), size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return lengths[a] > lengths[b]; });
  return order;
}

namespace {

PaddedBatch pad(const std::vector<const std::vector<int64_t>*>& rows, bool left) {
  int64_t width = 0;
  for (const auto* row : rows) width = std::max<int64_t>(width, static_cast<int64_t>(row->size()));
  const auto batch = static_cast<int64_t>(rows.size());
  at::Tensor ids = at::zeros({batch, width}, at::kLong);
  at::Tensor mask = at::zeros({batch, width}, at::kLong);
  auto id_acc = ids.accessor<int64_t, 2>();
  auto mask_acc = mask.accessor<int64_t, 2>();
  for (int64_t b = 0; b < batch; ++b) {
    const auto& row = *rows[b];
    const int64_t offset = left ? width - static_cast<int64_t>(row.size()) : 0;
    for (size_t t = 0; t < row.size(); ++t) {
      id_acc[b][offset + static_cast<int64_t>(t)] = row[t];
      mask_acc[b][offset + static_cast<int64_t>(t)] = 1;
    }
  }
  return {ids, mask};
}

}  // namespace

PaddedBatch pad_left(const std::vector<const std::vector<int64_t>*>& rows) { return pad(rows, true); }
PaddedBatch pad_right(const std::vector<const std::vector<int64_t>*>& rows) { return pad(rows, false); }

}  // namespace hallmark::fitness
