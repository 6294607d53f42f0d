// Batched greedy generation with a KV cache and left padding.
//
// Context window: a prompt that leaves fewer than max_new_tokens positions free in the
// model's context window (max_position_embeddings) is cut from the left (its oldest tokens are
// dropped, keeping the BOS token) so that prompt + max_new_tokens fits; the number of dropped
// tokens is reported per result and one warning line goes to stderr per call. max_new_tokens
// must be smaller than the context window (InputError otherwise).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "fitness/language_model.h"

namespace hallmark::fitness {

struct GenerationOptions {
  int64_t max_new_tokens = 64;
  // Generation of a sequence stops right after any of these appears in its output; the
  // output text is cut before the first occurrence.
  std::vector<std::string> stop;
  bool stop_at_eos = true;  // the tokenizer's EOS and config.json's eos_token_id(s)
  int64_t batch_size = 8;
  bool add_bos = true;  // prepend the tokenizer's BOS to each prompt
};

enum class StopReason { kEos, kStopString, kMaxNewTokens };

struct Generation {
  std::string text;             // decoded output, cut at the stop string
  std::vector<int64_t> tokens;  // generated ids, without the EOS
  StopReason reason = StopReason::kMaxNewTokens;
  int64_t prompt_tokens = 0;          // after truncation
  int64_t prompt_tokens_dropped = 0;  // by left truncation (see above)
};

// One result per prompt, in the prompts' order. Results do not depend on batch_size (prompts
// are grouped by length to limit padding). Only ids the tokenizer has are generated: when the
// embedding is padded past the tokenizer's vocabulary, the extra ids are never picked.
std::vector<Generation> generate(const LanguageModel& lm, const std::vector<std::string>& prompts,
                                 const GenerationOptions& options);

// The same over token ids, without stop strings (the ids are used as given, no BOS added).
// stop_ids end a sequence (not included in the output). Prompts must fit the context window
// together with max_new_tokens (InputError otherwise).
std::vector<std::vector<int64_t>> generate_ids(const LlamaModel& model,
                                               const std::vector<std::vector<int64_t>>& prompts,
                                               int64_t max_new_tokens,
                                               const std::vector<int64_t>& stop_ids,
                                               int64_t batch_size = 8);

}  // namespace hallmark::fitness
