// Log-likelihood of continuations given contexts, as lm-evaluation-harness computes it for
// multiple choice: the context and the continuation are tokenized together and the
// continuation's tokens are those after the context's; their log-probabilities are summed.
//
// Context window: when context + continuation is longer than the window, the context is cut
// from the left (the continuation is always scored whole; a continuation longer than the
// window is an InputError). One warning line goes to stderr per call.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "fitness/language_model.h"

namespace hallmark::fitness {

struct LoglikelihoodRequest {
  std::string context;
  std::string continuation;
};

struct ContinuationScore {
  double logprob = 0.0;      // sum over the continuation's tokens, natural log
  int64_t num_tokens = 0;
  bool is_greedy = false;    // every continuation token is the argmax
};

// One score per request, in order. A BOS token is prepended to each context when the
// tokenizer has one. Results do not depend on batch_size.
std::vector<ContinuationScore> loglikelihood(const LanguageModel& lm,
                                             const std::vector<LoglikelihoodRequest>& requests,
                                             int64_t batch_size = 8);

// The same over token ids: contexts must be non-empty.
std::vector<ContinuationScore> loglikelihood_ids(
    const LlamaModel& model, const std::vector<std::pair<std::vector<int64_t>, std::vector<int64_t>>>& requests,
    int64_t batch_size = 8);

}  // namespace hallmark::fitness
