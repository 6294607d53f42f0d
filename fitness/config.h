// The architecture hyper-parameters of a Llama-family decoder, read from a Hugging Face
// config.json. Supported: LlamaForCausalLM, MistralForCausalLM, Qwen2ForCausalLM.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

namespace hallmark::fitness {

// rope_scaling {"rope_type": "llama3", factor, low_freq_factor, high_freq_factor,
// original_max_position_embeddings} as in Llama 3.1+. Other rope types are rejected.
struct Llama3RopeScaling {
  double factor = 8.0;
  double low_freq_factor = 1.0;
  double high_freq_factor = 4.0;
  int64_t original_max_position_embeddings = 8192;
};

struct LlamaConfig {
  std::string architecture = "LlamaForCausalLM";  // one of supported_architectures()
  int64_t vocab_size = 0;
  int64_t hidden_size = 0;
  int64_t intermediate_size = 0;
  int64_t num_hidden_layers = 0;
  int64_t num_attention_heads = 0;
  int64_t num_key_value_heads = 0;  // GQA; defaults to num_attention_heads
  int64_t head_dim = 0;             // defaults to hidden_size / num_attention_heads
  int64_t max_position_embeddings = 2048;  // the context window
  double rms_norm_eps = 1e-6;
  double rope_theta = 10000.0;
  std::optional<Llama3RopeScaling> rope_scaling;
  bool attention_bias = false;  // q/k/v biases; always true for Qwen2ForCausalLM
  bool mlp_bias = false;        // gate/up/down biases (Llama's "mlp_bias")
  bool tie_word_embeddings = false;  // lm_head shares model.embed_tokens.weight
  // Mistral / Qwen2: keys further back than this are not attended to (when set and enabled).
  std::optional<int64_t> sliding_window;
  std::optional<int64_t> bos_token_id;
  std::vector<int64_t> eos_token_ids;  // config.json allows an int or a list
  std::optional<int64_t> pad_token_id;

  // Parses and validates config.json. Throws InputError("SOURCE: REASON"), e.g. for an
  // unsupported architecture (listing the supported ones), a missing or non-positive size,
  // heads that do not divide the hidden size, or an unknown rope_scaling type.
  static LlamaConfig from_json(const nlohmann::json& json, std::string_view source);
  // The config.json that from_json reads back to an equal config (for the zoo and children).
  nlohmann::json to_json() const;

  static const std::vector<std::string>& supported_architectures();

  // Every weight this config needs, with its shape, in a fixed order (HF names:
  // model.embed_tokens.weight, model.layers.N.self_attn.q_proj.weight, ..., model.norm.weight,
  // lm_head.weight unless tied). For checking checkpoints and initialising training.
  std::vector<std::pair<std::string, std::vector<int64_t>>> weight_shapes() const;
};

}  // namespace hallmark::fitness
