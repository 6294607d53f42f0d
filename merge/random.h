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

// The uniform number in [0, 1) of element `index` of `stream`: a multiple of 2^-24, exact
// in fp32.
float uniform_at(uint64_t stream, uint64_t index);

// uniform_at(stream, i) for i = 0 .. numel-1, as a contiguous fp32 CPU tensor of `shape`.
at::Tensor uniform_tensor(uint64_t stream, at::IntArrayRef shape);

}  // namespace hallmark::merge
