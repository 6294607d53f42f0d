// A Llama-family decoder (Llama, Mistral, Qwen2) over a name -> tensor weight map with Hugging
// Face tensor names. RMSNorm, rotary embeddings (rope_theta, llama3 scaling), grouped-query
// attention, SwiGLU, optional q/k/v biases, tied embeddings. fp32, bf16 or fp16 on cpu or cuda.
//
// Training: forward() is written with plain differentiable ATen ops and never disables
// autograd, so it can be trained through: build the model from leaf tensors with
// requires_grad(true) (already on the target device and dtype: the model then holds those very
// tensors, see LlamaModel's constructor), compute a loss on forward()'s logits, call backward()
// and step an optimizer (e.g. torch::optim::AdamW) over weights(). Everything else in fitness/
// (generation, log-likelihoods, scoring) runs under inference mode.
//
// Inference fast path: a model on the CPU computing in fp32 whose weights do not require grad
// runs forward_cached with autograd off (inference mode or no-grad) through a fused,
// loop-based decoder (src/cpu_decoder.h); such a model holds q/k/v and gate/up fused, and
// weights() are views into the fused tensors. Everything else (training, CUDA, bf16, forward())
// runs the generic ATen code; both give the same logits to fp32 rounding.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <ATen/core/Tensor.h>

#include "fitness/config.h"

namespace hallmark::checkpoint {
class Checkpoint;
}

namespace hallmark::fitness {

using WeightMap = std::map<std::string, at::Tensor>;

struct ModelOptions {
  c10::Device device = c10::Device(c10::kCPU);
  c10::ScalarType dtype = c10::ScalarType::Float;  // Float, BFloat16 or Half

  // From the CLI spellings: device "cpu", "cuda", "cuda:N"; dtype "fp32"/"float32",
  // "bf16"/"bfloat16", "fp16"/"float16". Throws InputError for anything else, or for cuda on a
  // build or machine without it.
  static ModelOptions parse(std::string_view device, std::string_view dtype);
};

class LlamaModel;
class CpuDecoder;

// Keys and values of past positions, for incremental decoding (see forward_cached).
class KVCache {
 public:
  // Room for `capacity` positions of `batch` sequences.
  KVCache(const LlamaModel& model, int64_t batch, int64_t capacity);
  int64_t length() const { return length_; }
  int64_t capacity() const { return capacity_; }

 private:
  friend class LlamaModel;
  friend class CpuDecoder;
  std::vector<at::Tensor> keys_;    // per layer [batch, kv_heads, capacity, head_dim]
  std::vector<at::Tensor> values_;
  std::vector<at::Tensor> scratch_;  // the fast path's per-step activations, reused across steps
  int64_t length_ = 0;
  int64_t capacity_ = 0;
};

class LlamaModel {
 public:
  // Checks every weight of config.weight_shapes() is present with that shape (InputError naming
  // the tensor otherwise; unexpected extra tensors are errors too, except the rotary inv_freq
  // buffers old checkpoints carry) and converts each to options' device and dtype. A tensor
  // already there is kept as is (no copy), which is what training relies on; only a model whose
  // weights do not require grad, on the CPU in fp32, copies its q/k/v and gate/up weights once
  // into the fast path's fused tensors (see above). `source` names the model in error messages.
  LlamaModel(LlamaConfig config, WeightMap weights, ModelOptions options = {},
             std::string source = "model");

  // From a checkpoint directory (config.json + safetensors); tensors are mapped lazily and
  // copied once to the device and dtype.
  static LlamaModel load(const checkpoint::Checkpoint& ckpt, ModelOptions options = {});

  const LlamaConfig& config() const { return config_; }
  const ModelOptions& options() const { return options_; }
  // The dtype activations, logits and the KV cache use: options().dtype, except fp16 on the
  // CPU, where libtorch has no fp16 matrix multiply: weights are rounded to fp16 and kept and
  // computed in fp32.
  c10::ScalarType compute_dtype() const { return compute_dtype_; }
  // The parameters (for an optimizer); tied models have no lm_head.weight entry.
  const WeightMap& weights() const { return weights_; }

  // Full-sequence forward. ids [B,T] (int64), attention_mask [B,T] (1 = token, 0 = padding;
  // left or right padding). Positions count the tokens of each row from 0, so a left-padded
  // row gives the same logits as the unpadded sequence. Returns logits [B,T,V] in the model
  // compute dtype; logits at padded positions are finite but meaningless. Autograd-friendly.
  // T must not exceed config().max_position_embeddings (InputError); ids given as a CPU tensor
  // must be within the vocabulary (InputError; ids already on a GPU are not checked).
  at::Tensor forward(const at::Tensor& ids, const at::Tensor& attention_mask) const;

  // Incremental forward: ids [B,T] are the next T tokens after the cache's contents;
  // attention_mask [B, cache.length() + T] covers cached and new positions. Appends the new
  // keys and values to the cache and returns logits [B,T,V], or [B,1,V] for the last position
  // only with last_only (what decoding needs). Inference only.
  at::Tensor forward_cached(const at::Tensor& ids, const at::Tensor& attention_mask,
                            KVCache& cache, bool last_only = false) const;

 private:
  // Throws InputError for ids and mask that do not fit the model, the cache or each other.
  void check_inputs(const at::Tensor& ids, const at::Tensor& attention_mask, const KVCache* cache) const;
  // Final hidden states [B,T,H] (after the last RMSNorm).
  at::Tensor hidden_states(const at::Tensor& ids, const at::Tensor& attention_mask,
                           KVCache* cache) const;
  at::Tensor attention(const at::Tensor& x, int64_t layer, const at::Tensor& cos,
                       const at::Tensor& sin, const at::Tensor& blocked, KVCache* cache) const;

  LlamaConfig config_;
  ModelOptions options_;
  c10::ScalarType compute_dtype_;
  WeightMap weights_;
  std::string source_;
  std::vector<at::Tensor> layer_weights_;  // per layer, in the order of LayerSlot (model.cc)
  at::Tensor embed_, norm_, lm_head_;
  at::Tensor inv_freq_;  // [head_dim / 2] fp32 on the device, rope frequencies after scaling
  std::shared_ptr<const CpuDecoder> cpu_decoder_;  // null where the fast path does not apply
};

}  // namespace hallmark::fitness
