// Helpers for the fitness tests: scratch directories, random tiny checkpoints of each
// supported architecture, a tokenizer trained with spm_train, and the Python references.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "fitness/config.h"
#include "fitness/model.h"
#include "tests/support/scratch_dir.h"

namespace hallmark::fitness::testing {

using ::hallmark::testing::ScratchDir;

// Tiny configs: "llama" (GQA, llama3 rope scaling), "llama_bias" (attention and MLP biases,
// explicit head_dim, tied), "mistral" (sliding window 5), "qwen2" (q/k/v biases, tied, GQA 4:1).
LlamaConfig tiny_config(const std::string& kind, int64_t vocab_size = 96);
std::vector<std::string> tiny_kinds();

// Deterministic random fp32 weights for `config`.
WeightMap random_weights(const LlamaConfig& config, uint64_t seed);

// config.json + model.safetensors (weights stored in `dtype`, F32 or BF16).
void write_checkpoint(const std::filesystem::path& dir, const LlamaConfig& config,
                      const WeightMap& weights, c10::ScalarType dtype = c10::ScalarType::Float);

// Runs tests/fitness/SCRIPT with /usr/bin/python3; returns the exit status.
int run_python(const std::string& script, const std::vector<std::string>& args);
// Whether /usr/bin/python3 can import torch and sentencepiece.
bool python_available();

// A SentencePiece model trained by spm_train on a generated English-like corpus
// (model_type unigram, or bpe with byte fallback (256 byte pieces: vocab_size > 300);
// vocabulary at most vocab_size; bos 1, eos 2, unk 0, pad 3).
std::filesystem::path train_tokenizer(const std::filesystem::path& dir, const std::string& model_type,
                                      int vocab_size = 300);
// The sentences the tokenizer was trained on (deterministic).
std::vector<std::string> corpus_sentences(size_t count);

nlohmann::json read_json(const std::filesystem::path& path);

}  // namespace hallmark::fitness::testing
