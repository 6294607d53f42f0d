#include "fitness/generate.h"

#include <ATen/ATen.h>
#include <c10/core/InferenceMode.h>

#include <algorithm>
#include <cstdio>
#include <functional>

#include "common/error.h"
#include "fitness/src/batching.h"

namespace hallmark::fitness {
namespace {

struct Decoded {
  std::vector<int64_t> tokens;
  StopReason reason = StopReason::kMaxNewTokens;
};

// Whether row `index` should stop after producing `generated` (for stop strings).
using StopCheck = std::function<bool(size_t index, const std::vector<int64_t>& generated)>;

void check_budget(const LlamaModel& model, int64_t max_new_tokens) {
  const int64_t window = model.config().max_position_embeddings;
  if (max_new_tokens < 1 || max_new_tokens >= window) {
    throw InputError("max new tokens must be between 1 and " + std::to_string(window - 1) +
                     " (the context window minus one), got " + std::to_string(max_new_tokens));
  }
}

// Greedy decoding of one batch of left-padded prompts with a KV cache.
void decode_batch(const LlamaModel& model, const std::vector<const std::vector<int64_t>*>& prompts,
                  const std::vector<size_t>& indices, int64_t max_new_tokens,
                  const std::vector<int64_t>& stop_ids, const StopCheck& stop_check,
                  int64_t vocab_limit, std::vector<Decoded>& out) {
  const auto batch = static_cast<int64_t>(prompts.size());
  PaddedBatch padded = pad_left(prompts);
  const at::Device device = model.options().device;
  at::Tensor mask = padded.mask.to(device);
  KVCache cache(model, batch, padded.ids.size(1) + max_new_tokens);
  at::Tensor logits = model.forward_cached(padded.ids.to(device), mask, cache, /*last_only=*/true);
  std::vector<bool> done(batch, false);
  int64_t remaining = batch;
  const at::Tensor ones = at::ones({batch, 1}, mask.options());
  for (int64_t step = 0; step < max_new_tokens && remaining > 0; ++step) {
    at::Tensor last = logits.select(1, 0);  // [B, V]
    if (vocab_limit < last.size(-1)) last = last.narrow(-1, 0, vocab_limit);
    const at::Tensor next = last.argmax(-1);  // [B]
    const at::Tensor next_cpu = next.to(at::kCPU);
    const int64_t* next_ids = next_cpu.data_ptr<int64_t>();
    for (int64_t b = 0; b < batch; ++b) {
      if (done[b]) continue;
      Decoded& row = out[indices[b]];
      const int64_t token = next_ids[b];
      if (std::find(stop_ids.begin(), stop_ids.end(), token) != stop_ids.end()) {
        row.reason = StopReason::kEos;
      } else {
        row.tokens.push_back(token);
        if (stop_check && stop_check(indices[b], row.tokens)) {
          row.reason = StopReason::kStopString;
        } else if (static_cast<int64_t>(row.tokens.size()) < max_new_tokens) {
          continue;
        }
      }
      done[b] = true;
      --remaining;
    }
    if (remaining == 0 || step + 1 == max_new_tokens) break;
    // Finished rows keep decoding alongside (rows never see each other); their tokens are dropped.
    mask = at::cat({mask, ones}, 1);
    logits = model.forward_cached(next.unsqueeze(1), mask, cache, /*last_only=*/true);
  }
}

std::vector<Decoded> greedy(const LlamaModel& model, const std::vector<std::vector<int64_t>>& prompts,
                            int64_t max_new_tokens, const std::vector<int64_t>& stop_ids,
                            int64_t batch_size, const StopCheck& stop_check, int64_t vocab_limit) {
  check_budget(model, max_new_tokens);
  if (batch_size < 1) throw InputError("batch size must be at least 1");
  std::vector<int64_t> lengths;
  for (const auto& p : prompts) {
    if (p.empty()) throw InputError("cannot generate from an empty prompt");
    if (static_cast<int64_t>(p.size()) + max_new_tokens > model.config().max_position_embeddings) {
      throw InputError("a prompt of " + std::to_string(p.size()) + " tokens plus " +
                       std::to_string(max_new_tokens) + " new tokens exceeds the context window of " +
                       std::to_string(model.config().max_position_embeddings));
    }
    lengths.push_back(static_cast<int64_t>(p.size()));
  }
  c10::InferenceMode inference;
  std::vector<Decoded> out(prompts.size());
  const std::vector<size_t> order = longest_first(lengths);
  for (size_t start = 0; start < order.size(); start += static_cast<size_t>(batch_size)) {
    const size_t end = std::min(order.size(), start + static_cast<size_t>(batch_size));
    std::vector<const std::vector<int64_t>*> rows;
    std::vector<size_t> indices;
    for (size_t i = start; i < end; ++i) {
      rows.push_back(&prompts[order[i]]);
      indices.push_back(order[i]);
    }
    decode_batch(model, rows, indices, max_new_tokens, stop_ids, stop_check, vocab_limit, out);
  }
  return out;
}

// The first position of any stop string in `text`, or npos.
size_t find_stop(const std::string& text, const std::vector<std::string>& stop) {
  size_t first = std::string::npos;
  for (const auto& s : stop) {
    if (s.empty()) continue;
    first = std::min(first, text.find(s));
  }
  return first;
}

}  // namespace

std::vector<std::vector<int64_t>> generate_ids(const LlamaModel& model,
                                               const std::vector<std::vector<int64_t>>& prompts,
                                               int64_t max_new_tokens,
                                               const std::vector<int64_t>& stop_ids,
                                               int64_t batch_size) {
  std::vector<std::vector<int64_t>> out;
  for (auto& d : greedy(model, prompts, max_new_tokens, stop_ids, batch_size, nullptr,
                        model.config().vocab_size)) {
    out.push_back(std::move(d.tokens));
  }
  return out;
}

std::vector<Generation> generate(const LanguageModel& lm, const std::vector<std::string>& prompts,
                                 const GenerationOptions& options) {
  const LlamaModel& model = lm.model;
  check_budget(model, options.max_new_tokens);
  const int64_t budget = model.config().max_position_embeddings - options.max_new_tokens;
  std::vector<std::vector<int64_t>> ids;
  std::vector<Generation> results(prompts.size());
  size_t truncated = 0;
  for (size_t i = 0; i < prompts.size(); ++i) {
    std::vector<int64_t> tokens = lm.tokenizer.encode(prompts[i], options.add_bos);
    if (tokens.empty()) {
      // Nothing to condition on: start from BOS (or EOS) as lm-evaluation-harness does.
      const int64_t start = lm.tokenizer.bos_id() >= 0 ? lm.tokenizer.bos_id() : lm.tokenizer.eos_id();
      if (start < 0) throw InputError(lm.name + ": empty prompt and no BOS or EOS token to start from");
      tokens.push_back(start);
    }
    const auto length = static_cast<int64_t>(tokens.size());
    if (length > budget) {
      // Keep the BOS token and the most recent budget - 1 tokens.
      const bool keep_bos = options.add_bos && tokens.front() == lm.tokenizer.bos_id();
      const int64_t keep_tail = keep_bos ? budget - 1 : budget;
      std::vector<int64_t> cut;
      if (keep_bos) cut.push_back(tokens.front());
      cut.insert(cut.end(), tokens.end() - keep_tail, tokens.end());
      results[i].prompt_tokens_dropped = length - static_cast<int64_t>(cut.size());
      tokens = std::move(cut);
      ++truncated;
    }
    results[i].prompt_tokens = static_cast<int64_t>(tokens.size());
    ids.push_back(std::move(tokens));
  }
  if (truncated > 0) {
    std::fprintf(stderr, "hallmark: warning: %s: %zu prompt(s) cut from the left to fit the context window of %lld tokens with %lld new tokens\n",
                 lm.name.c_str(), truncated, static_cast<long long>(model.config().max_position_embeddings),
                 static_cast<long long>(options.max_new_tokens));
  }
  std::vector<int64_t> stop_ids;
  if (options.stop_at_eos) {
    stop_ids = model.config().eos_token_ids;
    if (lm.tokenizer.eos_id() >= 0) stop_ids.push_back(lm.tokenizer.eos_id());
  }
  StopCheck check;
  if (!options.stop.empty()) {
    check = [&](size_t, const std::vector<int64_t>& generated) {
      return find_stop(lm.tokenizer.decode(generated), options.stop) != std::string::npos;
    };
  }
  // Ids past the tokenizer's vocabulary (padded embeddings) have no text: never pick them.
  std::vector<Decoded> decoded = greedy(model, ids, options.max_new_tokens, stop_ids, options.batch_size, check,
                                        lm.tokenizer.vocab_size());
  for (size_t i = 0; i < decoded.size(); ++i) {
    Generation& g = results[i];
    g.text = lm.tokenizer.decode(decoded[i].tokens);
    if (const size_t cut = find_stop(g.text, options.stop); cut != std::string::npos) g.text.resize(cut);
    g.tokens = std::move(decoded[i].tokens);
    g.reason = decoded[i].reason;
  }
  return results;
}

}  // namespace hallmark::fitness
