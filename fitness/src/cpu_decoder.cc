#include "fitness/src/cpu_decoder.h"

#include <ATen/ATen.h>
#include <ATen/Parallel.h>

#include <algorithm>
#include <cmath>
#include <string>

#include "fitness/src/cpu_kernels.h"

namespace hallmark::fitness {
namespace {

// The per-step activations, [rows, width] fp32, kept in KVCache::scratch_ in this order and
// reallocated only when the number of rows changes (prefill, then decode steps).
enum Buffer : size_t { kHidden, kNormed, kQkv, kAttn, kProj, kGateUp, kAct, kNumBuffers };

// Concatenates the named tensors along dim 0 and points each entry at its rows of the result.
at::Tensor fuse(WeightMap& weights, const std::vector<std::string>& names) {
  std::vector<at::Tensor> parts;
  for (const auto& name : names) parts.push_back(weights.at(name));
  const at::Tensor fused = at::cat(parts, 0);
  int64_t offset = 0;
  for (const auto& name : names) {
    const int64_t rows = weights.at(name).size(0);
    weights[name] = fused.narrow(0, offset, rows);
    offset += rows;
  }
  return fused;
}

at::Tensor optional(const WeightMap& weights, const std::string& name) {
  auto it = weights.find(name);
  return it == weights.end() ? at::Tensor() : it->second;
}

// out [rows, outputs] = x [rows, in] . weight [outputs, in]^T (+ bias), outputs split across
// threads (each thread reads its share of the weight once).
void linear(const at::Tensor& x, const at::Tensor& weight, const at::Tensor& bias, const at::Tensor& out) {
  const int64_t rows = x.size(0), in = x.size(1), outputs = weight.size(0);
  const float* xp = x.data_ptr<float>();
  const float* wp = weight.data_ptr<float>();
  const float* bp = bias.defined() ? bias.data_ptr<float>() : nullptr;
  float* yp = out.data_ptr<float>();
  const int64_t grain = std::max<int64_t>(1, (1 << 16) / std::max<int64_t>(1, rows * in));
  at::parallel_for(0, outputs, grain, [&](int64_t begin, int64_t end) {
    cpu::linear(xp, rows, in, wp, bp, begin, end, yp, outputs);
  });
}

}  // namespace

CpuDecoder::CpuDecoder(const LlamaConfig& config, WeightMap& weights, const at::Tensor& inv_freq)
    : config_(config) {
  for (int64_t layer = 0; layer < config.num_hidden_layers; ++layer) {
    const std::string p = "model.layers." + std::to_string(layer) + ".";
    const std::string attn = p + "self_attn.", mlp = p + "mlp.";
    Layer l;
    l.input_norm = weights.at(p + "input_layernorm.weight").contiguous();
    l.post_norm = weights.at(p + "post_attention_layernorm.weight").contiguous();
    l.qkv = fuse(weights, {attn + "q_proj.weight", attn + "k_proj.weight", attn + "v_proj.weight"});
    if (config.attention_bias) {
      l.qkv_bias = fuse(weights, {attn + "q_proj.bias", attn + "k_proj.bias", attn + "v_proj.bias"});
    }
    l.o = weights.at(attn + "o_proj.weight").contiguous();
    l.o_bias = optional(weights, attn + "o_proj.bias");
    l.gate_up = fuse(weights, {mlp + "gate_proj.weight", mlp + "up_proj.weight"});
    if (config.mlp_bias) l.gate_up_bias = fuse(weights, {mlp + "gate_proj.bias", mlp + "up_proj.bias"});
    l.down = weights.at(mlp + "down_proj.weight").contiguous();
    l.down_bias = optional(weights, mlp + "down_proj.bias");
    layers_.push_back(std::move(l));
  }
  embed_ = weights.at("model.embed_tokens.weight").contiguous();
  norm_ = weights.at("model.norm.weight").contiguous();
  lm_head_ = config.tie_word_embeddings ? embed_ : weights.at("lm_head.weight").contiguous();
  const at::Tensor freqs = inv_freq.to(at::kCPU, at::kFloat).contiguous();
  inv_freq_.assign(freqs.data_ptr<float>(), freqs.data_ptr<float>() + freqs.numel());
}

CpuDecoder::Rotary CpuDecoder::rotary_tables(const std::vector<int64_t>& positions) const {
  const size_t half = static_cast<size_t>(config_.head_dim / 2);
  Rotary r;
  r.cos.resize(positions.size() * half);
  r.sin.resize(positions.size() * half);
  for (size_t n = 0; n < positions.size(); ++n) {
    for (size_t i = 0; i < half; ++i) {
      const float angle = static_cast<float>(positions[n]) * inv_freq_[i];
      r.cos[n * half + i] = std::cos(angle);
      r.sin[n * half + i] = std::sin(angle);
    }
  }
  return r;
}

void CpuDecoder::attention(const at::Tensor& qkv_buffer, const Rotary& rotary, const int64_t* mask,
                           int64_t batch, int64_t steps, int64_t layer, KVCache& cache,
                           const at::Tensor& out_buffer) const {
  const int64_t heads = config_.num_attention_heads, kv_heads = config_.num_key_value_heads;
  const int64_t dim = config_.head_dim, groups = heads / kv_heads, half = dim / 2;
  const int64_t qkv_width = (heads + 2 * kv_heads) * dim, rows = batch * steps;
  const int64_t past = cache.length_, width = past + steps, capacity = cache.capacity_;
  float* qkv = qkv_buffer.data_ptr<float>();
  float* keys = cache.keys_[layer].data_ptr<float>();
  float* values = cache.values_[layer].data_ptr<float>();

  // Rotary embedding of each token's queries and keys, then its keys and values into the cache.
  for (int64_t n = 0; n < rows; ++n) {
    const int64_t b = n / steps, t = n % steps;
    const float* cos = rotary.cos.data() + n * half;
    const float* sin = rotary.sin.data() + n * half;
    float* q = qkv + n * qkv_width;
    float* k = q + heads * dim;
    const float* v = k + kv_heads * dim;
    cpu::rotary(q, heads, dim, cos, sin);
    cpu::rotary(k, kv_heads, dim, cos, sin);
    for (int64_t g = 0; g < kv_heads; ++g) {
      const int64_t slot = ((b * kv_heads + g) * capacity + past + t) * dim;
      std::copy_n(k + g * dim, dim, keys + slot);
      std::copy_n(v + g * dim, dim, values + slot);
    }
  }

  // Each query head over the cached keys of its key/value head (grouped-query attention).
  const float scale = static_cast<float>(1.0 / std::sqrt(static_cast<double>(dim)));
  float* out = out_buffer.data_ptr<float>();
  const int64_t grain = std::max<int64_t>(1, 32768 / std::max<int64_t>(1, width * dim));
  at::parallel_for(0, rows * heads, grain, [&](int64_t begin, int64_t end) {
    std::vector<float> scores(width);
    for (int64_t item = begin; item < end; ++item) {
      const int64_t n = item / heads, h = item % heads, b = n / steps, t = n % steps;
      const int64_t query = past + t;
      const int64_t first = config_.sliding_window ? std::max<int64_t>(0, query - *config_.sliding_window + 1) : 0;
      const int64_t slab = (b * kv_heads + h / groups) * capacity * dim;
      cpu::attend(qkv + n * qkv_width + h * dim, keys + slab, values + slab, dim, first, query,
                  mask + b * width, scale, scores.data(), out + (n * heads + h) * dim);
    }
  });
}

at::Tensor CpuDecoder::forward(const at::Tensor& ids_in, const at::Tensor& mask_in, KVCache& cache,
                               bool last_only) const {
  const at::Tensor ids = ids_in.to(at::kCPU, at::kLong).contiguous();
  const at::Tensor mask = mask_in.to(at::kCPU, at::kLong).contiguous();
  const int64_t batch = ids.size(0), steps = ids.size(1), rows = batch * steps;
  const int64_t past = cache.length_, width = past + steps;
  const int64_t hidden = config_.hidden_size, inter = config_.intermediate_size;
  const int64_t heads = config_.num_attention_heads, dim = config_.head_dim;
  const float eps = static_cast<float>(config_.rms_norm_eps);

  const int64_t widths[kNumBuffers] = {hidden, hidden, (heads + 2 * config_.num_key_value_heads) * dim,
                                       heads * dim, hidden, 2 * inter, inter};
  std::vector<at::Tensor>& buf = cache.scratch_;
  bool fits = buf.size() == kNumBuffers;
  for (size_t i = 0; fits && i < kNumBuffers; ++i) fits = buf[i].size(0) == rows && buf[i].size(1) == widths[i];
  if (!fits) {
    buf.clear();
    for (const int64_t columns : widths) buf.push_back(at::empty({rows, columns}, at::kFloat));
  }
  float* h = buf[kHidden].data_ptr<float>();
  float* normed = buf[kNormed].data_ptr<float>();

  // Positions count each row's tokens from 0 (cumsum of the mask - 1), as in model.cc.
  const int64_t* m = mask.data_ptr<int64_t>();
  const int64_t* id = ids.data_ptr<int64_t>();
  std::vector<int64_t> positions(rows);
  for (int64_t b = 0; b < batch; ++b) {
    int64_t count = 0;
    for (int64_t s = 0; s < past; ++s) count += m[b * width + s];
    for (int64_t t = 0; t < steps; ++t) {
      count += m[b * width + past + t];
      positions[b * steps + t] = std::max<int64_t>(count - 1, 0);
    }
  }
  const Rotary rotary = rotary_tables(positions);
  const float* embed = embed_.data_ptr<float>();
  for (int64_t n = 0; n < rows; ++n) std::copy_n(embed + id[n] * hidden, hidden, h + n * hidden);

  for (size_t layer = 0; layer < layers_.size(); ++layer) {
    const Layer& l = layers_[layer];
    cpu::rms_norm(h, l.input_norm.data_ptr<float>(), eps, rows, hidden, normed);
    linear(buf[kNormed], l.qkv, l.qkv_bias, buf[kQkv]);
    attention(buf[kQkv], rotary, m, batch, steps, static_cast<int64_t>(layer), cache, buf[kAttn]);
    linear(buf[kAttn], l.o, l.o_bias, buf[kProj]);
    cpu::add_into(h, buf[kProj].data_ptr<float>(), rows * hidden);
    cpu::rms_norm(h, l.post_norm.data_ptr<float>(), eps, rows, hidden, normed);
    linear(buf[kNormed], l.gate_up, l.gate_up_bias, buf[kGateUp]);
    const float* gate_up = buf[kGateUp].data_ptr<float>();
    float* act = buf[kAct].data_ptr<float>();
    for (int64_t n = 0; n < rows; ++n) {
      cpu::silu_mul(gate_up + n * 2 * inter, gate_up + n * 2 * inter + inter, inter, act + n * inter);
    }
    linear(buf[kAct], l.down, l.down_bias, buf[kProj]);
    cpu::add_into(h, buf[kProj].data_ptr<float>(), rows * hidden);
  }
  cache.length_ += steps;

  const int64_t out_steps = last_only ? 1 : steps;
  at::Tensor final_norm = at::empty({batch * out_steps, hidden}, at::kFloat);
  for (int64_t b = 0; b < batch; ++b) {
    const int64_t first = b * steps + (steps - out_steps);
    cpu::rms_norm(h + first * hidden, norm_.data_ptr<float>(), eps, out_steps, hidden,
                  final_norm.data_ptr<float>() + b * out_steps * hidden);
  }
  const int64_t vocab = lm_head_.size(0);
  at::Tensor logits = at::empty({batch * out_steps, vocab}, at::kFloat);
  linear(final_norm, lm_head_, at::Tensor(), logits);
  return logits.view({batch, out_steps, vocab});
}

}  // namespace hallmark::fitness
