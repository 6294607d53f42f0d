// The parents' NaN / Inf check, which reads every input tensor of every merge.
#pragma once

#include <ATen/core/Tensor.h>

namespace hallmark::merge {

// True when no element is NaN or +-Inf. CPU tensors of the merge dtypes are scanned in place
// by their exponent bits (no temporary boolean tensor); others go through at::isfinite.
bool all_finite(const at::Tensor& t);

}  // namespace hallmark::merge
