// A model together with its tokenizer: what generation, log-likelihoods and scoring run on.
#pragma once

#include <string>
#include <string_view>

#include "fitness/model.h"
#include "fitness/tokenizer.h"

namespace hallmark::fitness {

struct LanguageModel {
  std::string name;  // for reports and error messages
  LlamaModel model;
  Tokenizer tokenizer;
};

// Opens a checkpoint directory or cached hub id (checkpoint::Checkpoint::open) and its
// tokenizer.model. Throws InputError for a missing tokenizer, a tokenizer whose vocabulary is
// larger than the embedding, or anything LlamaConfig / LlamaModel reject.
LanguageModel load_language_model(std::string_view path_or_hub_id, const ModelOptions& options);

// An in-memory model (a merge child or a freshly trained one): nothing touches disk.
// Same checks as load_language_model.
LanguageModel make_language_model(std::string name, LlamaConfig config, WeightMap weights,
                                  Tokenizer tokenizer, const ModelOptions& options);

// Throws InputError("NAME: tokenizer vocabulary (N) is larger than the embedding (M)").
void check_tokenizer_fits(const Tokenizer& tokenizer, const LlamaConfig& config,
                          std::string_view name);

}  // namespace hallmark::fitness
