// A one-pass CPU kernel for the merges that are weighted sums (linear, task arithmetic without
// sparsification or sign election): it reads the parents in their stored dtype and writes the
// child in its output dtype, with no fp32 temporaries. It performs exactly the fp32 operations,
// in the same order, as the ATen path it replaces, so both give the same bytes.
#pragma once

#include <optional>
#include <vector>

#include <ATen/core/Tensor.h>

namespace hallmark::merge {

struct WeightedSum {
  const at::Tensor* base = nullptr;  // with a base: base + lambda * (sum w_i (x_i - base)) / divisor
  std::vector<at::Tensor> inputs;    // without:    (sum w_i x_i) / divisor
  std::vector<float> weights;
  std::optional<float> divisor;
  std::optional<float> lambda;       // ignored without a base
  c10::ScalarType out_dtype = c10::ScalarType::Float;
  // When set: per input, the L1 norm of w_i x_i (or w_i (x_i - base)), summed in a fixed order.
  std::vector<double>* l1 = nullptr;
  at::Tensor out;  // written when it fits (see MergeArgs::out), else a fresh tensor
};

// Undefined when the kernel does not apply (not CPU, not contiguous, mixed input dtypes).
at::Tensor fused_weighted_sum(const WeightedSum& sum);

}  // namespace hallmark::merge
