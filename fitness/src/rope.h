// Rotary embedding frequencies, with the llama3 frequency scaling when configured.
#pragma once

#include <ATen/core/Tensor.h>

#include "fitness/config.h"

namespace hallmark::fitness {

// inv_freq[i] = 1 / rope_theta^(2i / head_dim), i < head_dim / 2, fp32 on the CPU; then
// scaled per transformers' _compute_llama3_parameters when rope_scaling is set.
at::Tensor rope_inv_freq(const LlamaConfig& config);

}  // namespace hallmark::fitness
