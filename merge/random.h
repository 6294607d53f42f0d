// Counter-based random numbers for DARE and DELLA masks. Every element's number is a pure
// function of (seed, tensor name, model, element index), so a recipe and seed give the same
// masks on any device and for any thread count. docs/merging.md gives the exact hash.
#pragma once

#include <cstdint>
#include <string_view>

#include <ATen/core/Tensor.h>

namespace hallmark::merge {

// The stream of one model's mask in one tensor.
uint64_t mask_stream(uint64_t seed, std::string_view tensor_name, std::string_view model);

namespace detail {
// The splitmix64 finaliser: a bijection that mixes every input bit into every output bit.
inline uint64_t mix64(uint64_t z) {
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}
inline constexpr uint64_t kGolden = 0x9E3779B97F4A7C15ull;
}  // namespace detail

// The uniform number in [0, 1) of element `index` of `stream`: a multiple of 2^-24, exact
// in fp32. Inline: merge kernels call it once per element.
inline float uniform_at(uint64_t stream, uint64_t index) {
  const uint64_t h = detail::mix64(stream + (index + 1) * detail::kGolden);
  return static_cast<float>(h >> 40) * (1.0f / 16777216.0f);
}

// uniform_at(stream, i) for i = 0 .. numel-1, as a contiguous fp32 CPU tensor of `shape`.
at::Tensor uniform_tensor(uint64_t stream, at::IntArrayRef shape);

}  // namespace hallmark::merge
