#include "tiny_model.h"

#include <ATen/ATen.h>
#include <ATen/CPUGeneratorImpl.h>

#include <cstdlib>
#include <fstream>
#include <cctype>
#include <random>
#include <sstream>

#include "checkpoint/aten.h"
#include "checkpoint/safetensors.h"
#include "common/atomic_output.h"
#include "common/files.h"

namespace hallmark::fitness::testing {

namespace fs = std::filesystem;

std::vector<std::string> tiny_kinds() { return {"llama", "llama_bias", "mistral", "qwen2"}; }

LlamaConfig tiny_config(const std::string& kind, int64_t vocab_size) {
  LlamaConfig c;
  c.vocab_size = vocab_size;
  c.hidden_size = 32;
  c.intermediate_size = 48;
  c.num_hidden_layers = 2;
  c.num_attention_heads = 4;
  c.num_key_value_heads = 2;
  c.head_dim = 8;
  c.max_position_embeddings = 64;
  c.rms_norm_eps = 1e-5;
  c.bos_token_id = 1;
  c.eos_token_ids = {2};
  if (kind == "llama") {
    c.rope_theta = 5000.0;
    // A short original context so that all three frequency bands of the scaling are used.
    c.rope_scaling = Llama3RopeScaling{4.0, 1.0, 4.0, 16};
  } else if (kind == "llama_bias") {
    c.attention_bias = true;
    c.mlp_bias = true;
    c.tie_word_embeddings = true;
    c.head_dim = 12;  // not hidden_size / heads
    c.num_key_value_heads = 4;
  } else if (kind == "mistral") {
    c.architecture = "MistralForCausalLM";
    c.sliding_window = 5;
    c.rope_theta = 1e6;
  } else if (kind == "qwen2") {
    c.architecture = "Qwen2ForCausalLM";
    c.attention_bias = true;
    c.tie_word_embeddings = true;
    c.num_key_value_heads = 1;
    c.rms_norm_eps = 1e-6;
  } else {
    throw std::invalid_argument("unknown tiny model kind " + kind);
  }
  return c;
}

WeightMap random_weights(const LlamaConfig& config, uint64_t seed) {
  at::Generator gen = at::detail::createCPUGenerator(seed);
  WeightMap weights;
  for (const auto& [name, shape] : config.weight_shapes()) {
    at::Tensor t;
    if (name.ends_with("norm.weight")) {
      t = 1.0 + 0.1 * at::randn(shape, gen, at::kFloat);
    } else if (name.ends_with(".bias")) {
      t = 0.1 * at::randn(shape, gen, at::kFloat);
    } else if (name == "model.embed_tokens.weight") {
      t = at::randn(shape, gen, at::kFloat);
    } else {
      t = at::randn(shape, gen, at::kFloat) / std::sqrt(static_cast<double>(shape[1]));
    }
    weights[name] = t.contiguous();
  }
  return weights;
}

void write_checkpoint(const fs::path& dir, const LlamaConfig& config, const WeightMap& weights,
                      c10::ScalarType dtype) {
  fs::create_directories(dir);
  write_file_atomic(dir / "config.json", config.to_json().dump(2));
  std::vector<at::Tensor> stored;
  std::vector<checkpoint::TensorView> views;
  for (const auto& [name, tensor] : weights) {
    stored.push_back(tensor.to(dtype).contiguous());
    views.push_back(checkpoint::view_of(name, stored.back()));
  }
  write_file_atomic(dir / "model.safetensors", checkpoint::serialize_safetensors(views));
}

int run_python(const std::string& script, const std::vector<std::string>& args) {
  std::string command = "/usr/bin/python3 '" + std::string(HALLMARK_SOURCE_DIR) + "/tests/fitness/" + script + "'";
  for (const auto& a : args) command += " '" + a + "'";
  const int status = std::system(command.c_str());
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

bool python_available() {
  static const bool available =
      std::system("/usr/bin/python3 -c 'import torch, sentencepiece' >/dev/null 2>&1") == 0;
  return available;
}

std::vector<std::string> corpus_sentences(size_t count) {
  // English-like sentences over a few hundred made-up words (so that tokenizers of a few
  // hundred pieces fill their vocabulary), with some accented characters and digits.
  static const std::vector<std::string> syllables = {
      "ka", "lo", "mi", "ren", "tas", "vo", "ze", "pri", "dun", "sel", "gor", "ha", "qui", "né",
      "bra", "tol", "wi", "xe", "fu", "çon", "ap", "ist", "or", "um", "el", "an", "ter", "dos"};
  static const std::vector<std::string> glue = {"the", "a", "of", "and", "to", "is", "with", "for"};
  std::mt19937 rng(1234);
  auto word = [&] {
    std::string w;
    const size_t parts = 1 + rng() % 3;
    for (size_t i = 0; i < parts; ++i) w += syllables[rng() % syllables.size()];
    return w;
  };
  std::vector<std::string> lexicon;
  for (int i = 0; i < 400; ++i) lexicon.push_back(word());
  std::vector<std::string> out;
  for (size_t i = 0; i < count; ++i) {
    std::string sentence;
    const size_t words = 4 + rng() % 8;
    for (size_t w = 0; w < words; ++w) {
      if (w > 0) sentence += " ";
      const auto pick = rng() % 10;
      if (pick < 3) {
        sentence += glue[rng() % glue.size()];
      } else if (pick == 3) {
        sentence += std::to_string(rng() % 1000);
      } else {
        std::string token = lexicon[rng() % lexicon.size()];
        if (w == 0) token[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(token[0])));
        sentence += token;
      }
    }
    out.push_back(sentence + (rng() % 3 == 0 ? "!" : "."));
  }
  return out;
}

fs::path train_tokenizer(const fs::path& dir, const std::string& model_type, int vocab_size) {
  fs::create_directories(dir);
  const fs::path corpus = dir / ("corpus-" + model_type + ".txt");
  std::ostringstream text;
  for (const auto& s : corpus_sentences(2000)) text << s << "\n";
  write_file_atomic(corpus, text.str());
  const fs::path prefix = dir / ("tok-" + model_type);
  const std::string command = "spm_train --input='" + corpus.string() + "' --model_prefix='" + prefix.string() +
                              "' --model_type=" + model_type + " --vocab_size=" + std::to_string(vocab_size) +
                              " --hard_vocab_limit=false --character_coverage=1.0" +
                              (model_type == "bpe" ? " --byte_fallback=true" : "") +
                              " --unk_id=0 --bos_id=1 --eos_id=2 --pad_id=3 --num_threads=1 --minloglevel=2" +
                              " >/dev/null 2>&1";
  if (std::system(command.c_str()) != 0) throw std::runtime_error("spm_train failed: " + command);
  return prefix.string() + ".model";
}

nlohmann::json read_json(const fs::path& path) { return nlohmann::json::parse(read_file(path)); }

}  // namespace hallmark::fitness::testing
