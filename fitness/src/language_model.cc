#include "fitness/language_model.h"

#include <string>

#include "checkpoint/checkpoint.h"
#include "common/error.h"

namespace hallmark::fitness {

void check_tokenizer_fits(const Tokenizer& tokenizer, const LlamaConfig& config, std::string_view name) {
  if (tokenizer.vocab_size() > config.vocab_size) {
    throw InputError(std::string(name) + ": tokenizer vocabulary (" + std::to_string(tokenizer.vocab_size()) +
                     ") is larger than the embedding (" + std::to_string(config.vocab_size) + ")");
  }
}

LanguageModel load_language_model(std::string_view path_or_hub_id, const ModelOptions& options) {
  const auto ckpt = checkpoint::Checkpoint::open(path_or_hub_id);
  const auto tokenizer_file = ckpt.tokenizer_model();
  if (!tokenizer_file) {
    throw InputError(ckpt.dir().string() + ": no tokenizer (tokenizer.model missing)");
  }
  Tokenizer tokenizer = Tokenizer::load(*tokenizer_file);
  // Check the tokenizer against config.json before paying for the weights.
  const LlamaConfig config = LlamaConfig::from_json(ckpt.config(), ckpt.dir().string() + "/config.json");
  check_tokenizer_fits(tokenizer, config, ckpt.dir().string());
  return LanguageModel{ckpt.name(), LlamaModel::load(ckpt, options), std::move(tokenizer)};
}

LanguageModel make_language_model(std::string name, LlamaConfig config, WeightMap weights,
                                  Tokenizer tokenizer, const ModelOptions& options) {
  check_tokenizer_fits(tokenizer, config, name);
  LlamaModel model(std::move(config), std::move(weights), options, name);
  return LanguageModel{std::move(name), std::move(model), std::move(tokenizer)};
}

}  // namespace hallmark::fitness
