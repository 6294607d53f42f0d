// Trains the world's SentencePiece tokenizer with the `spm_train` program (Debian package
// sentencepiece), with options chosen so that the same input gives the same model bytes: one
// thread, every input sentence, no shuffling.
#pragma once

#include <filesystem>

namespace hallmark::zoo {

struct TokenizerSettings {
  int vocab_size = 640;
};

// Reads DIR/corpus.txt and writes DIR/tokenizer.model (and tokenizer.vocab); spm_train's
// output goes to DIR/spm_train.log. spm_train records its input and prefix arguments in the
// model, so it runs inside DIR with relative names: the bytes then do not depend on DIR.
// Throws std::runtime_error naming the program when it is missing or fails.
void run_spm_train(const std::filesystem::path& dir, const TokenizerSettings& settings);

}  // namespace hallmark::zoo
