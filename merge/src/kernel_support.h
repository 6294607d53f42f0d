// Small pieces shared by the fused CPU merge kernels.
#pragma once

#include <cmath>
#include <cstdint>

#include <ATen/core/Tensor.h>

namespace hallmark::merge {

// `out` when it can hold the result (see MergeArgs::out), else a fresh tensor.
at::Tensor destination(const at::Tensor& out, const at::Tensor& like, c10::ScalarType dtype);

// Sum of |term(j)| for j < len in double, over 8 interleaved partial sums so that the
// compiler can vectorize it; the order depends only on len, never on threads.
template <typename Term>
double lane_abs_sum(int64_t len, Term term) {
  double lanes[8] = {0, 0, 0, 0, 0, 0, 0, 0};
  int64_t j = 0;
  for (; j + 8 <= len; j += 8)
    for (int k = 0; k < 8; ++k) lanes[k] += std::abs(static_cast<double>(term(j + k)));
  for (; j < len; ++j) lanes[0] += std::abs(static_cast<double>(term(j)));
  return ((lanes[0] + lanes[1]) + (lanes[2] + lanes[3])) + ((lanes[4] + lanes[5]) + (lanes[6] + lanes[7]));
}

inline double abs_sum(const float* v, int64_t len) {
  return lane_abs_sum(len, [v](int64_t j) { return v[j]; });
}

// abs_sum of v[j] * keep[j], without storing the product.
inline double masked_abs_sum(const float* v, const float* keep, int64_t len) {
  return lane_abs_sum(len, [v, keep](int64_t j) { return v[j] * keep[j]; });
}

}  // namespace hallmark::merge
