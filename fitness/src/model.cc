// The Llama-family forward pass, following the Hugging Face implementations of
// LlamaForCausalLM / MistralForCausalLM / Qwen2ForCausalLM op by op (same dtype casts), so
// that fp32 logits agree to rounding and bf16 runs round where transformers rounds.
#include "fitness/model.h"

#include <ATen/ATen.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <set>

#include "common/error.h"
#include "fitness/src/cpu_decoder.h"
#include "fitness/src/rope.h"

namespace hallmark::fitness {
namespace {

// Where each per-layer tensor sits in layer_weights_ (undefined when the model has no bias).
enum LayerSlot : int64_t {
  kInputNorm, kQ, kQBias, kK, kKBias, kV, kVBias, kO, kOBias, kPostNorm,
  kGate, kGateBias, kUp, kUpBias, kDown, kDownBias, kNumSlots
};

const char* slot_name(int64_t slot) {
  static const char* names[kNumSlots] = {
      "input_layernorm.weight",   "self_attn.q_proj.weight", "self_attn.q_proj.bias",
      "self_attn.k_proj.weight",  "self_attn.k_proj.bias",   "self_attn.v_proj.weight",
      "self_attn.v_proj.bias",    "self_attn.o_proj.weight", "self_attn.o_proj.bias",
      "post_attention_layernorm.weight", "mlp.gate_proj.weight", "mlp.gate_proj.bias",
      "mlp.up_proj.weight",       "mlp.up_proj.bias",        "mlp.down_proj.weight",
      "mlp.down_proj.bias"};
  return names[slot];
}

std::string shape_string(at::IntArrayRef shape) {
  std::string out = "[";
  for (size_t i = 0; i < shape.size(); ++i) out += (i ? ", " : "") + std::to_string(shape[i]);
  return out + "]";
}

// Old checkpoints carry the rotary frequencies as a buffer; we compute them.
bool is_ignored_buffer(const std::string& name) {
  return name.size() > 22 && name.ends_with("self_attn.rotary_emb.inv_freq");
}

at::Tensor rms_norm(const at::Tensor& x, const at::Tensor& weight, double eps) {
  const at::Tensor xf = x.to(at::kFloat);
  const at::Tensor variance = xf.pow(2).mean({-1}, /*keepdim=*/true);
  return weight * (xf * at::rsqrt(variance + eps)).to(x.scalar_type());
}

}  // namespace

LlamaModel::LlamaModel(LlamaConfig config, WeightMap weights, ModelOptions options, std::string source)
    : config_(std::move(config)),
      options_(options),
      compute_dtype_(options.device.is_cpu() && options.dtype == at::kHalf ? at::kFloat : options.dtype),
      source_(std::move(source)) {
  if (options_.dtype != at::kFloat && options_.dtype != at::kBFloat16 && options_.dtype != at::kHalf) {
    throw InputError(source_ + ": unsupported compute dtype (supported: fp32, bf16, fp16)");
  }
  std::set<std::string> expected;
  for (const auto& [name, shape] : config_.weight_shapes()) {
    expected.insert(name);
    auto it = weights.find(name);
    if (it == weights.end() || !it->second.defined()) {
      throw InputError(source_ + ": missing tensor " + name);
    }
    if (it->second.sizes() != at::IntArrayRef(shape)) {
      throw InputError(source_ + ": tensor " + name + " has shape " + shape_string(it->second.sizes()) +
                       ", config.json implies " + shape_string(shape));
    }
    if (!at::isFloatingType(it->second.scalar_type())) {
      throw InputError(source_ + ": tensor " + name + " is not floating point");
    }
    weights_[name] = it->second.to(options_.device, options_.dtype).to(compute_dtype_);
  }
  for (const auto& [name, tensor] : weights) {
    if (expected.count(name) || is_ignored_buffer(name)) continue;
    // A tied checkpoint may still carry its (identical) lm_head; the embedding is used.
    if (name == "lm_head.weight" && config_.tie_word_embeddings) continue;
    throw InputError(source_ + ": unexpected tensor " + name + " for " + config_.architecture);
  }
  inv_freq_ = rope_inv_freq(config_).to(options_.device);
  // The fast path (cpu_decoder.h) for inference models on the CPU in fp32; it replaces the
  // projection weights by views into its fused copies, so it comes before they are picked up.
  const bool trainable = std::any_of(weights_.begin(), weights_.end(),
                                     [](const auto& entry) { return entry.second.requires_grad(); });
  if (options_.device.is_cpu() && compute_dtype_ == at::kFloat && !trainable) {
    cpu_decoder_ = std::make_shared<const CpuDecoder>(config_, weights_, inv_freq_);
  }
  embed_ = weights_.at("model.embed_tokens.weight");
  norm_ = weights_.at("model.norm.weight");
  lm_head_ = config_.tie_word_embeddings ? embed_ : weights_.at("lm_head.weight");
  layer_weights_.resize(config_.num_hidden_layers * kNumSlots);
  for (int64_t layer = 0; layer < config_.num_hidden_layers; ++layer) {
    const std::string prefix = "model.layers." + std::to_string(layer) + ".";
    for (int64_t slot = 0; slot < kNumSlots; ++slot) {
      auto it = weights_.find(prefix + slot_name(slot));
      if (it != weights_.end()) layer_weights_[layer * kNumSlots + slot] = it->second;
    }
  }
}

KVCache::KVCache(const LlamaModel& model, int64_t batch, int64_t capacity) : capacity_(capacity) {
  const LlamaConfig& c = model.config();
  const auto opts = at::TensorOptions().dtype(model.compute_dtype()).device(model.options().device);
  for (int64_t layer = 0; layer < c.num_hidden_layers; ++layer) {
    keys_.push_back(at::zeros({batch, c.num_key_value_heads, capacity, c.head_dim}, opts));
    values_.push_back(at::zeros({batch, c.num_key_value_heads, capacity, c.head_dim}, opts));
  }
}

at::Tensor LlamaModel::attention(const at::Tensor& x, int64_t layer, const at::Tensor& cos,
                                 const at::Tensor& sin, const at::Tensor& blocked,
                                 KVCache* cache) const {
  const at::Tensor* w = &layer_weights_[layer * kNumSlots];
  const int64_t batch = x.size(0), steps = x.size(1);
  const int64_t heads = config_.num_attention_heads, kv_heads = config_.num_key_value_heads;
  const int64_t dim = config_.head_dim, groups = heads / kv_heads;

  at::Tensor q = at::linear(x, w[kQ], w[kQBias]).view({batch, steps, heads, dim}).transpose(1, 2);
  at::Tensor k = at::linear(x, w[kK], w[kKBias]).view({batch, steps, kv_heads, dim}).transpose(1, 2);
  at::Tensor v = at::linear(x, w[kV], w[kVBias]).view({batch, steps, kv_heads, dim}).transpose(1, 2);
  // Rotary embedding x*cos + rotate_half(x)*sin, with rotate_half(x)*sin written as
  // roll(x, D/2) * [-sin, sin] (sin carries the sign, see hidden_states): fewer ops, same values.
  q = q * cos + at::roll(q, {dim / 2}, {-1}) * sin;
  k = k * cos + at::roll(k, {dim / 2}, {-1}) * sin;
  if (cache != nullptr) {
    const int64_t past = cache->length_;
    cache->keys_[layer].narrow(2, past, steps).copy_(k);
    cache->values_[layer].narrow(2, past, steps).copy_(v);
    k = cache->keys_[layer].narrow(2, 0, past + steps);
    v = cache->values_[layer].narrow(2, 0, past + steps);
  }
  const int64_t keys = k.size(2);
  // Grouped-query attention: query heads g*groups .. (g+1)*groups-1 share key/value head g, so
  // the queries of a group are stacked as rows against their shared keys (no copies of K, V).
  const at::Tensor qg = q.reshape({batch, kv_heads, groups * steps, dim});
  at::Tensor scores = at::matmul(qg, k.transpose(-1, -2)) * (1.0 / std::sqrt(static_cast<double>(dim)));
  // Masked scores get the lowest finite value rather than -inf, so that rows with nothing to
  // attend to (queries at padding) stay finite instead of NaN.
  scores = scores.to(at::kFloat)
               .view({batch, kv_heads, groups, steps, keys})
               .masked_fill(blocked, std::numeric_limits<float>::lowest());
  const at::Tensor probs = at::softmax(scores, -1).to(q.scalar_type()).view({batch, kv_heads, groups * steps, keys});
  const at::Tensor out = at::matmul(probs, v).view({batch, heads, steps, dim}).transpose(1, 2)
                             .reshape({batch, steps, heads * dim});
  return at::linear(out, w[kO], w[kOBias]);
}

void LlamaModel::check_inputs(const at::Tensor& ids_in, const at::Tensor& mask_in, const KVCache* cache) const {
  if (ids_in.dim() != 2) throw InputError(source_ + ": input ids must be [batch, tokens]");
  const int64_t batch = ids_in.size(0), steps = ids_in.size(1);
  const int64_t past = cache != nullptr ? cache->length_ : 0;
  if (mask_in.dim() != 2 || mask_in.size(0) != batch || mask_in.size(1) != past + steps) {
    throw InputError(source_ + ": attention mask must be [" + std::to_string(batch) + ", " +
                     std::to_string(past + steps) + "], got " + shape_string(mask_in.sizes()));
  }
  if (past + steps > config_.max_position_embeddings) {
    throw InputError(source_ + ": " + std::to_string(past + steps) +
                     " positions exceed the context window of " +
                     std::to_string(config_.max_position_embeddings));
  }
  if (cache != nullptr && (past + steps > cache->capacity_ || cache->keys_.empty() ||
                           cache->keys_[0].size(0) != batch)) {
    throw InputError(source_ + ": KV cache too small or of another batch size");
  }
  // The fast path writes the cache through raw pointers: its shape must be this model's.
  if (cache != nullptr && (static_cast<int64_t>(cache->keys_.size()) != config_.num_hidden_layers ||
                           cache->keys_[0].size(1) != config_.num_key_value_heads ||
                           cache->keys_[0].size(3) != config_.head_dim ||
                           cache->keys_[0].scalar_type() != compute_dtype_)) {
    throw InputError(source_ + ": KV cache made for another model");
  }
  // Checked where that costs no device synchronisation: ids given on the CPU (all of ours).
  if (ids_in.device().is_cpu()) {
    const at::Tensor ids = ids_in.to(at::kLong).contiguous();
    const int64_t* id = ids.data_ptr<int64_t>();
    for (int64_t i = 0; i < ids.numel(); ++i) {
      if (id[i] < 0 || id[i] >= config_.vocab_size) {
        throw InputError(source_ + ": token id " + std::to_string(id[i]) + " outside the vocabulary of " +
                         std::to_string(config_.vocab_size));
      }
    }
  }
}

at::Tensor LlamaModel::hidden_states(const at::Tensor& ids_in, const at::Tensor& mask_in,
                                     KVCache* cache) const {
  check_inputs(ids_in, mask_in, cache);
  const int64_t batch = ids_in.size(0), steps = ids_in.size(1);
  const int64_t past = cache != nullptr ? cache->length_ : 0;
  const at::Tensor ids = ids_in.to(options_.device, at::kLong);
  const at::Tensor mask = mask_in.to(options_.device, at::kLong);

  // Positions count each row's tokens from 0, so left padding does not shift them.
  const at::Tensor positions = (mask.cumsum(1) - 1).clamp_min(0).narrow(1, past, steps);
  const at::Tensor freqs = positions.to(at::kFloat).unsqueeze(-1) * inv_freq_;  // [B,T,D/2]
  const at::Tensor cos = at::cat({freqs, freqs}, -1).cos().to(compute_dtype_).unsqueeze(1);  // [B,1,T,D]
  const at::Tensor half_sin = freqs.sin();
  const at::Tensor sin = at::cat({-half_sin, half_sin}, -1).to(compute_dtype_).unsqueeze(1);  // signed

  // allowed[b, t, s]: query t (padded index past+t) may attend to key s.
  const auto long_opts = at::TensorOptions().dtype(at::kLong).device(options_.device);
  const at::Tensor q_index = at::arange(past, past + steps, long_opts).unsqueeze(1);
  const at::Tensor k_index = at::arange(0, past + steps, long_opts).unsqueeze(0);
  at::Tensor allowed = k_index.le(q_index);
  if (config_.sliding_window) allowed = allowed.logical_and((q_index - k_index).lt(*config_.sliding_window));
  allowed = allowed.unsqueeze(0).logical_and(mask.ne(0).unsqueeze(1));  // [B,T,S]
  const at::Tensor blocked = allowed.logical_not().view({batch, 1, 1, steps, past + steps});

  at::Tensor h = at::embedding(embed_, ids);
  for (int64_t layer = 0; layer < config_.num_hidden_layers; ++layer) {
    const at::Tensor* w = &layer_weights_[layer * kNumSlots];
    h = h + attention(rms_norm(h, w[kInputNorm], config_.rms_norm_eps), layer, cos, sin, blocked, cache);
    const at::Tensor x = rms_norm(h, w[kPostNorm], config_.rms_norm_eps);
    const at::Tensor gated = at::silu(at::linear(x, w[kGate], w[kGateBias])) *
                             at::linear(x, w[kUp], w[kUpBias]);
    h = h + at::linear(gated, w[kDown], w[kDownBias]);
  }
  if (cache != nullptr) cache->length_ += steps;
  return rms_norm(h, norm_, config_.rms_norm_eps);
}

at::Tensor LlamaModel::forward(const at::Tensor& ids, const at::Tensor& attention_mask) const {
  return at::linear(hidden_states(ids, attention_mask, nullptr), lm_head_);
}

at::Tensor LlamaModel::forward_cached(const at::Tensor& ids, const at::Tensor& attention_mask,
                                      KVCache& cache, bool last_only) const {
  if (cpu_decoder_ != nullptr && !at::GradMode::is_enabled()) {
    check_inputs(ids, attention_mask, &cache);
    return cpu_decoder_->forward(ids, attention_mask, cache, last_only);
  }
  at::Tensor h = hidden_states(ids, attention_mask, &cache);
  if (last_only) h = h.narrow(1, h.size(1) - 1, 1);
  return at::linear(h, lm_head_);
}

}  // namespace hallmark::fitness
