#include "fitness/loglikelihood.h"

#include <ATen/ATen.h>
#include <c10/core/InferenceMode.h>

#include <algorithm>
#include <cstdio>

#include "common/error.h"
#include "fitness/src/batching.h"

namespace hallmark::fitness {
namespace {

using IdRequest = std::pair<std::vector<int64_t>, std::vector<int64_t>>;

// Cuts contexts from the left (keeping a leading `keep_first` token) so that context +
// continuation - 1 fits the window; returns how many were cut.
size_t fit_window(std::vector<IdRequest>& requests, int64_t window, int64_t keep_first) {
  size_t cut = 0;
  for (auto& [context, continuation] : requests) {
    const auto cont = static_cast<int64_t>(continuation.size());
    if (cont > window) {
      throw InputError("a continuation of " + std::to_string(cont) +
                       " tokens does not fit the context window of " + std::to_string(window));
    }
    const int64_t room = window - cont + 1;  // the last continuation token is not an input
    if (static_cast<int64_t>(context.size()) <= room) continue;
    const bool keep = keep_first >= 0 && context.front() == keep_first && room >= 2;
    std::vector<int64_t> kept;
    if (keep) kept.push_back(context.front());
    const int64_t tail = room - static_cast<int64_t>(kept.size());
    kept.insert(kept.end(), context.end() - tail, context.end());
    context = std::move(kept);
    ++cut;
  }
  return cut;
}

std::vector<ContinuationScore> score(const LlamaModel& model, const std::vector<IdRequest>& requests,
                                     int64_t batch_size) {
  if (batch_size < 1) throw InputError("batch size must be at least 1");
  // Each row is context + continuation without its last token; the logits at the last
  // |continuation| positions predict the continuation.
  std::vector<std::vector<int64_t>> inputs;
  std::vector<int64_t> lengths;
  for (const auto& [context, continuation] : requests) {
    if (context.empty()) throw InputError("log-likelihood needs a non-empty context");
    if (continuation.empty()) throw InputError("log-likelihood needs a non-empty continuation");
    std::vector<int64_t> row = context;
    row.insert(row.end(), continuation.begin(), continuation.end() - 1);
    lengths.push_back(static_cast<int64_t>(row.size()));
    inputs.push_back(std::move(row));
  }
  c10::InferenceMode inference;
  std::vector<ContinuationScore> out(requests.size());
  const std::vector<size_t> order = longest_first(lengths);
  const at::Device device = model.options().device;
  for (size_t start = 0; start < order.size(); start += static_cast<size_t>(batch_size)) {
    const size_t end = std::min(order.size(), start + static_cast<size_t>(batch_size));
    std::vector<const std::vector<int64_t>*> rows;
    for (size_t i = start; i < end; ++i) rows.push_back(&inputs[order[i]]);
    const PaddedBatch padded = pad_right(rows);
    const at::Tensor logits = model.forward(padded.ids.to(device), padded.mask.to(device));
    for (size_t i = start; i < end; ++i) {
      const size_t index = order[i];
      const auto& continuation = requests[index].second;
      const auto n = static_cast<int64_t>(continuation.size());
      const int64_t first = lengths[index] - n;
      const at::Tensor row_logits = logits.select(0, static_cast<int64_t>(i - start)).narrow(0, first, n);
      const at::Tensor logprobs = at::log_softmax(row_logits.to(at::kFloat), -1);
      const at::Tensor targets = at::tensor(at::ArrayRef<int64_t>(continuation), at::kLong).to(device);
      const at::Tensor picked = logprobs.gather(1, targets.unsqueeze(1)).squeeze(1);
      out[index].logprob = picked.to(at::kDouble).sum().item<double>();
      out[index].num_tokens = n;
      out[index].is_greedy = logprobs.argmax(-1).eq(targets).all().item<bool>();
    }
  }
  return out;
}

}  // namespace

std::vector<ContinuationScore> loglikelihood_ids(const LlamaModel& model, const std::vector<IdRequest>& requests,
                                                 int64_t batch_size) {
  std::vector<IdRequest> fitted = requests;
  if (const size_t cut = fit_window(fitted, model.config().max_position_embeddings, -1); cut > 0) {
    std::fprintf(stderr, "hallmark: warning: %zu context(s) cut from the left to fit the context window\n", cut);
  }
  return score(model, fitted, batch_size);
}

std::vector<ContinuationScore> loglikelihood(const LanguageModel& lm, const std::vector<LoglikelihoodRequest>& requests,
                                             int64_t batch_size) {
  const Tokenizer& tok = lm.tokenizer;
  const int64_t prefix = tok.bos_id() >= 0 ? tok.bos_id() : tok.eos_id();
  if (prefix < 0) throw InputError(lm.name + ": the tokenizer has neither BOS nor EOS to start contexts with");
  std::vector<IdRequest> ids;
  for (const auto& r : requests) {
    // As lm-evaluation-harness: trailing spaces of the context move to the continuation, the
    // pair is tokenized whole and the continuation is what follows the context's tokens.
    std::string context = r.context, continuation = r.continuation;
    const size_t kept = context.find_last_not_of(' ');
    const size_t spaces = context.size() - (kept == std::string::npos ? 0 : kept + 1);
    if (spaces > 0) {
      continuation = context.substr(context.size() - spaces) + continuation;
      context.resize(context.size() - spaces);
    }
    std::vector<int64_t> context_ids = tok.encode(context);
    const std::vector<int64_t> whole = tok.encode(context + continuation);
    std::vector<int64_t> continuation_ids;
    const bool prefix_matches = whole.size() > context_ids.size() &&
                                std::equal(context_ids.begin(), context_ids.end(), whole.begin());
    if (prefix_matches) {
      continuation_ids.assign(whole.begin() + static_cast<int64_t>(context_ids.size()), whole.end());
    } else {
      continuation_ids = tok.encode(continuation);
    }
    if (continuation_ids.empty()) {
      throw InputError(lm.name + ": continuation '" + r.continuation + "' encodes to no tokens");
    }
    context_ids.insert(context_ids.begin(), prefix);
    ids.emplace_back(std::move(context_ids), std::move(continuation_ids));
  }
  if (const size_t cut = fit_window(ids, lm.model.config().max_position_embeddings, prefix); cut > 0) {
    std::fprintf(stderr, "hallmark: warning: %s: %zu context(s) cut from the left to fit the context window of %lld tokens\n",
                 lm.name.c_str(), cut, static_cast<long long>(lm.model.config().max_position_embeddings));
  }
  return score(lm.model, ids, batch_size);
}

}  // namespace hallmark::fitness
