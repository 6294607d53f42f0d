// The fp32 CPU inference path of LlamaModel::forward_cached: the same forward as model.cc's
// ATen code, with q/k/v and gate/up each fused into one weight (one pass each), the per-step
// activations in buffers kept with the KV cache, and all the arithmetic as plain loops
// (cpu_kernels.h) split across threads with at::parallel_for. A decoding step makes a handful
// of ATen calls in all where the generic path makes several dozen per layer.
//
// When it applies (decided by LlamaModel): the model lives on the CPU and computes in fp32
// (fp32, or fp16 weights, which the CPU computes in fp32), no weight requires grad (so it is
// not being trained), and autograd is off for the call (inference mode or no-grad). Everything
// else (CUDA, bf16, training, the full-sequence forward()) runs the generic ATen path. Logits
// at real positions agree with it to fp32 rounding; at padded positions both are finite and
// meaningless (and differ).
#pragma once

#include <ATen/core/Tensor.h>

#include <cstdint>
#include <vector>

#include "fitness/config.h"
#include "fitness/model.h"

namespace hallmark::fitness {

class CpuDecoder {
 public:
  // Fuses the projections of `weights` (fp32 CPU, already checked against `config`) and
  // replaces the per-projection entries of `weights` by views into the fused tensors, so that
  // the weights are held once. inv_freq: the rope frequencies (rope.h).
  CpuDecoder(const LlamaConfig& config, WeightMap& weights, const at::Tensor& inv_freq);

  // forward_cached's contract, for inputs already checked by LlamaModel.
  at::Tensor forward(const at::Tensor& ids, const at::Tensor& mask, KVCache& cache, bool last_only) const;

 private:
  struct Layer {
    at::Tensor input_norm, post_norm;
    at::Tensor qkv, qkv_bias;          // [(heads + 2 kv_heads) * head_dim, hidden]: q, k, v rows
    at::Tensor o, o_bias;
    at::Tensor gate_up, gate_up_bias;  // [2 * intermediate, hidden]: gate rows, then up rows
    at::Tensor down, down_bias;
  };

  // cos and sin of every row's rotary angles, [rows, head_dim / 2] each: the same for all layers.
  struct Rotary {
    std::vector<float> cos, sin;
  };
  Rotary rotary_tables(const std::vector<int64_t>& positions) const;
  void attention(const at::Tensor& qkv, const Rotary& rotary, const int64_t* mask, int64_t batch,
                 int64_t steps, int64_t layer, KVCache& cache, const at::Tensor& out) const;

  LlamaConfig config_;
  std::vector<Layer> layers_;
  at::Tensor embed_, norm_, lm_head_;  // all contiguous fp32
  std::vector<float> inv_freq_;
};

}  // namespace hallmark::fitness
