#include "merge/random.h"

#include <ATen/Parallel.h>
#include <ATen/ops/empty.h>

namespace hallmark::merge {
namespace {

using detail::kGolden;
using detail::mix64;

uint64_t fnv1a64(std::string_view text) {
  uint64_t h = 0xCBF29CE484222325ull;
  for (unsigned char c : text) {
    h ^= c;
    h *= 0x100000001B3ull;
  }
  return h;
}

}  // namespace

uint64_t mask_stream(uint64_t seed, std::string_view tensor_name, std::string_view model) {
  return mix64(mix64(seed) ^ fnv1a64(tensor_name) ^ mix64(fnv1a64(model) + kGolden));
}

at::Tensor uniform_tensor(uint64_t stream, at::IntArrayRef shape) {
  at::Tensor out = at::empty(shape, at::TensorOptions().dtype(at::kFloat));
  float* data = out.data_ptr<float>();
  // Each element depends only on its index, so the split between threads cannot matter.
  at::parallel_for(0, out.numel(), 1 << 16, [&](int64_t begin, int64_t end) {
    for (int64_t i = begin; i < end; ++i) data[i] = uniform_at(stream, static_cast<uint64_t>(i));
  });
  return out;
}

}  // namespace hallmark::merge
