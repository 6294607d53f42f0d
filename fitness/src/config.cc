#include "fitness/config.h"

#include <algorithm>
#include <string>

#include "common/error.h"

namespace hallmark::fitness {
namespace {

using nlohmann::json;

[[noreturn]] void fail(std::string_view source, const std::string& reason) {
  throw InputError(std::string(source) + ": " + reason);
}

std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : ", ") + item;
  return out;
}

// The model_type each architecture writes, for configs that omit "architectures".
const std::vector<std::pair<std::string, std::string>>& model_types() {
  static const std::vector<std::pair<std::string, std::string>> types = {
      {"llama", "LlamaForCausalLM"}, {"mistral", "MistralForCausalLM"}, {"qwen2", "Qwen2ForCausalLM"}};
  return types;
}

std::string read_architecture(const json& j, std::string_view source) {
  const auto& supported = LlamaConfig::supported_architectures();
  std::string arch;
  if (j.contains("architectures") && j["architectures"].is_array() && !j["architectures"].empty() &&
      j["architectures"][0].is_string()) {
    arch = j["architectures"][0].get<std::string>();
  } else if (j.contains("model_type") && j["model_type"].is_string()) {
    const auto type = j["model_type"].get<std::string>();
    for (const auto& [name, architecture] : model_types()) {
      if (name == type) arch = architecture;
    }
    if (arch.empty()) arch = "model_type " + type;
  } else {
    fail(source, "config.json names no architecture (supported: " + join(supported) + ")");
  }
  if (std::find(supported.begin(), supported.end(), arch) == supported.end()) {
    fail(source, "unsupported architecture " + arch + " (supported: " + join(supported) + ")");
  }
  return arch;
}

int64_t read_int(const json& j, const char* key, std::string_view source, std::optional<int64_t> fallback) {
  if (!j.contains(key) || j[key].is_null()) {
    if (!fallback) fail(source, std::string("config.json lacks ") + key);
    return *fallback;
  }
  if (!j[key].is_number_integer()) fail(source, std::string("config.json ") + key + " is not an integer");
  const auto value = j[key].get<int64_t>();
  if (value <= 0) fail(source, std::string("config.json ") + key + " must be positive, got " + std::to_string(value));
  return value;
}

double read_double(const json& j, const char* key, std::string_view source, double fallback) {
  if (!j.contains(key) || j[key].is_null()) return fallback;
  if (!j[key].is_number()) fail(source, std::string("config.json ") + key + " is not a number");
  const auto value = j[key].get<double>();
  if (!(value > 0)) fail(source, std::string("config.json ") + key + " must be positive");
  return value;
}

bool read_bool(const json& j, const char* key, std::string_view source, bool fallback) {
  if (!j.contains(key) || j[key].is_null()) return fallback;
  if (!j[key].is_boolean()) fail(source, std::string("config.json ") + key + " is not a boolean");
  return j[key].get<bool>();
}

std::optional<int64_t> read_token_id(const json& j, const char* key, std::string_view source) {
  if (!j.contains(key) || j[key].is_null()) return std::nullopt;
  if (!j[key].is_number_integer()) fail(source, std::string("config.json ") + key + " is not an integer");
  return j[key].get<int64_t>();
}

std::optional<Llama3RopeScaling> read_rope_scaling(const json& j, std::string_view source) {
  if (!j.contains("rope_scaling") || j["rope_scaling"].is_null()) return std::nullopt;
  const json& rs = j["rope_scaling"];
  if (!rs.is_object()) fail(source, "config.json rope_scaling is not an object");
  std::string type;
  for (const char* key : {"rope_type", "type"}) {
    if (rs.contains(key) && rs[key].is_string()) type = rs[key].get<std::string>();
  }
  if (type == "default") return std::nullopt;
  if (type != "llama3") {
    fail(source, "unsupported rope_scaling type '" + type + "' (supported: llama3, default)");
  }
  Llama3RopeScaling s;
  s.factor = read_double(rs, "factor", source, s.factor);
  s.low_freq_factor = read_double(rs, "low_freq_factor", source, s.low_freq_factor);
  s.high_freq_factor = read_double(rs, "high_freq_factor", source, s.high_freq_factor);
  s.original_max_position_embeddings = read_int(rs, "original_max_position_embeddings", source,
                                                s.original_max_position_embeddings);
  if (!(s.high_freq_factor > s.low_freq_factor)) {
    fail(source, "config.json rope_scaling needs high_freq_factor > low_freq_factor");
  }
  return s;
}

}  // namespace

const std::vector<std::string>& LlamaConfig::supported_architectures() {
  static const std::vector<std::string> names = {"LlamaForCausalLM", "MistralForCausalLM",
                                                 "Qwen2ForCausalLM"};
  return names;
}

LlamaConfig LlamaConfig::from_json(const json& j, std::string_view source) {
  if (!j.is_object()) fail(source, "config.json is not a JSON object");
  LlamaConfig c;
  c.architecture = read_architecture(j, source);
  if (j.contains("hidden_act") && j["hidden_act"] != "silu") {
    fail(source, "unsupported hidden_act " + j["hidden_act"].dump() + " (supported: silu)");
  }
  c.vocab_size = read_int(j, "vocab_size", source, std::nullopt);
  c.hidden_size = read_int(j, "hidden_size", source, std::nullopt);
  c.intermediate_size = read_int(j, "intermediate_size", source, std::nullopt);
  c.num_hidden_layers = read_int(j, "num_hidden_layers", source, std::nullopt);
  c.num_attention_heads = read_int(j, "num_attention_heads", source, std::nullopt);
  c.num_key_value_heads = read_int(j, "num_key_value_heads", source, c.num_attention_heads);
  if (c.num_attention_heads % c.num_key_value_heads != 0) {
    fail(source, "num_attention_heads (" + std::to_string(c.num_attention_heads) +
                     ") is not a multiple of num_key_value_heads (" +
                     std::to_string(c.num_key_value_heads) + ")");
  }
  if (!j.contains("head_dim") && c.hidden_size % c.num_attention_heads != 0) {
    fail(source, "hidden_size is not a multiple of num_attention_heads");
  }
  c.head_dim = read_int(j, "head_dim", source, c.hidden_size / c.num_attention_heads);
  if (c.head_dim % 2 != 0) fail(source, "head_dim must be even for rotary embeddings");
  c.max_position_embeddings = read_int(j, "max_position_embeddings", source, c.max_position_embeddings);
  c.rms_norm_eps = read_double(j, "rms_norm_eps", source, c.rms_norm_eps);
  c.rope_theta = read_double(j, "rope_theta", source, c.rope_theta);
  c.rope_scaling = read_rope_scaling(j, source);
  c.tie_word_embeddings = read_bool(j, "tie_word_embeddings", source, false);
  const bool qwen2 = c.architecture == "Qwen2ForCausalLM";
  c.attention_bias = qwen2 || read_bool(j, "attention_bias", source, false);
  c.mlp_bias = read_bool(j, "mlp_bias", source, false);
  if (c.architecture == "MistralForCausalLM") {
    if (j.contains("sliding_window") && !j["sliding_window"].is_null()) {
      c.sliding_window = read_int(j, "sliding_window", source, std::nullopt);
    }
  } else if (qwen2 && read_bool(j, "use_sliding_window", source, false)) {
    fail(source, "Qwen2 use_sliding_window is not supported");
  }
  c.bos_token_id = read_token_id(j, "bos_token_id", source);
  c.pad_token_id = read_token_id(j, "pad_token_id", source);
  if (j.contains("eos_token_id") && j["eos_token_id"].is_array()) {
    for (const auto& id : j["eos_token_id"]) {
      if (!id.is_number_integer()) fail(source, "config.json eos_token_id holds a non-integer");
      c.eos_token_ids.push_back(id.get<int64_t>());
    }
  } else if (auto id = read_token_id(j, "eos_token_id", source)) {
    c.eos_token_ids.push_back(*id);
  }
  return c;
}

json LlamaConfig::to_json() const {
  json j;
  j["architectures"] = json::array({architecture});
  for (const auto& [type, arch] : model_types()) {
    if (arch == architecture) j["model_type"] = type;
  }
  j["hidden_act"] = "silu";
  j["vocab_size"] = vocab_size;
  j["hidden_size"] = hidden_size;
  j["intermediate_size"] = intermediate_size;
  j["num_hidden_layers"] = num_hidden_layers;
  j["num_attention_heads"] = num_attention_heads;
  j["num_key_value_heads"] = num_key_value_heads;
  j["head_dim"] = head_dim;
  j["max_position_embeddings"] = max_position_embeddings;
  j["rms_norm_eps"] = rms_norm_eps;
  j["rope_theta"] = rope_theta;
  if (rope_scaling) {
    j["rope_scaling"] = {{"rope_type", "llama3"},
                         {"factor", rope_scaling->factor},
                         {"low_freq_factor", rope_scaling->low_freq_factor},
                         {"high_freq_factor", rope_scaling->high_freq_factor},
                         {"original_max_position_embeddings", rope_scaling->original_max_position_embeddings}};
  } else {
    j["rope_scaling"] = nullptr;
  }
  j["attention_bias"] = attention_bias;
  j["mlp_bias"] = mlp_bias;
  j["tie_word_embeddings"] = tie_word_embeddings;
  j["sliding_window"] = sliding_window ? json(*sliding_window) : json(nullptr);
  if (bos_token_id) j["bos_token_id"] = *bos_token_id;
  if (eos_token_ids.size() == 1) j["eos_token_id"] = eos_token_ids[0];
  if (eos_token_ids.size() > 1) j["eos_token_id"] = eos_token_ids;
  if (pad_token_id) j["pad_token_id"] = *pad_token_id;
  return j;
}

std::vector<std::pair<std::string, std::vector<int64_t>>> LlamaConfig::weight_shapes() const {
  const int64_t q_out = num_attention_heads * head_dim;
  const int64_t kv_out = num_key_value_heads * head_dim;
  // Llama puts attention_bias on o_proj too; Qwen2 has q/k/v biases only.
  const bool o_bias = attention_bias && architecture != "Qwen2ForCausalLM";
  std::vector<std::pair<std::string, std::vector<int64_t>>> shapes;
  shapes.push_back({"model.embed_tokens.weight", {vocab_size, hidden_size}});
  for (int64_t i = 0; i < num_hidden_layers; ++i) {
    const std::string p = "model.layers." + std::to_string(i) + ".";
    shapes.push_back({p + "input_layernorm.weight", {hidden_size}});
    for (const auto& [proj, out] : {std::pair{"q_proj", q_out}, {"k_proj", kv_out}, {"v_proj", kv_out}}) {
      shapes.push_back({p + "self_attn." + proj + ".weight", {out, hidden_size}});
      if (attention_bias) shapes.push_back({p + "self_attn." + proj + ".bias", {out}});
    }
    shapes.push_back({p + "self_attn.o_proj.weight", {hidden_size, q_out}});
    if (o_bias) shapes.push_back({p + "self_attn.o_proj.bias", {hidden_size}});
    shapes.push_back({p + "post_attention_layernorm.weight", {hidden_size}});
    shapes.push_back({p + "mlp.gate_proj.weight", {intermediate_size, hidden_size}});
    if (mlp_bias) shapes.push_back({p + "mlp.gate_proj.bias", {intermediate_size}});
    shapes.push_back({p + "mlp.up_proj.weight", {intermediate_size, hidden_size}});
    if (mlp_bias) shapes.push_back({p + "mlp.up_proj.bias", {intermediate_size}});
    shapes.push_back({p + "mlp.down_proj.weight", {hidden_size, intermediate_size}});
    if (mlp_bias) shapes.push_back({p + "mlp.down_proj.bias", {hidden_size}});
  }
  shapes.push_back({"model.norm.weight", {hidden_size}});
  if (!tie_word_embeddings) shapes.push_back({"lm_head.weight", {vocab_size, hidden_size}});
  return shapes;
}

}  // namespace hallmark::fitness
