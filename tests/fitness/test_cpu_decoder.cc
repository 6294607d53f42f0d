// The fp32 CPU inference path (fitness/src/cpu_decoder.h) against the generic ATen path of the
// same model: forward_cached runs the fast path with autograd off and the generic one with it
// on. Both are compared on random tiny checkpoints of every architecture (GQA, llama3 rope
// scaling, q/k/v, o and MLP biases, tied embeddings, a sliding window shorter than the
// sequences), on a left-padded batch, through prefill and greedy decoding.
#include <ATen/ATen.h>
#include <ATen/Parallel.h>
#include <c10/core/InferenceMode.h>

#include <algorithm>
#include <optional>

#include "common/error.h"
#include "fitness/model.h"
#include "fitness/src/cpu_kernels.h"
#include "tiny_model.h"

// Catch2 last: libtorch's headers pull in glog, whose CHECK macro would replace Catch's.
#include <catch2/catch.hpp>

using namespace hallmark::fitness;
using namespace hallmark::fitness::testing;

namespace {

// Three prompts of 9, 6 and 2 tokens, left-padded to 9.
struct Prompts {
  at::Tensor ids, mask;
};

Prompts left_padded(int64_t vocab) {
  const int64_t lengths[3] = {9, 6, 2}, width = 9;
  Prompts p{at::zeros({3, width}, at::kLong), at::zeros({3, width}, at::kLong)};
  for (int64_t row = 0; row < 3; ++row) {
    for (int64_t t = width - lengths[row]; t < width; ++t) {
      p.ids[row][t] = (5 * t + 11 * row + 3) % vocab;
      p.mask[row][t] = 1;
    }
  }
  return p;
}

double max_diff_at(const at::Tensor& a, const at::Tensor& b, const at::Tensor& mask) {
  const at::Tensor real = mask.ne(0).unsqueeze(-1).expand_as(a);
  return (a - b).abs().masked_select(real).max().item<double>();
}

// Prefill then `steps` greedy steps; returns the last-position logits of every step [B,steps,V].
at::Tensor decode(const LlamaModel& model, const Prompts& p, int64_t steps, bool fast, at::Tensor& prefill) {
  std::optional<c10::InferenceMode> inference;
  if (fast) inference.emplace();
  const int64_t batch = p.ids.size(0);
  KVCache cache(model, batch, p.ids.size(1) + steps);
  at::Tensor mask = p.mask;
  prefill = model.forward_cached(p.ids, mask, cache);
  at::Tensor last = prefill.narrow(1, prefill.size(1) - 1, 1);
  std::vector<at::Tensor> out;
  for (int64_t step = 0; step < steps; ++step) {
    out.push_back(last);
    mask = at::cat({mask, at::ones({batch, 1}, at::kLong)}, 1);
    last = model.forward_cached(last.argmax(-1), mask, cache, /*last_only=*/true);
  }
  return at::cat(out, 1);
}

}  // namespace

TEST_CASE("the fp32 CPU fast path equals the generic path", "[model][fast]") {
  for (const std::string& kind : tiny_kinds()) {
    SECTION(kind) {
      const LlamaConfig config = tiny_config(kind);
      const LlamaModel model(config, random_weights(config, 21));
      // The fast path holds q/k/v fused: k_proj's rows follow q_proj's in one tensor.
      const at::Tensor q = model.weights().at("model.layers.0.self_attn.q_proj.weight");
      const at::Tensor k = model.weights().at("model.layers.0.self_attn.k_proj.weight");
      CHECK(k.data_ptr<float>() == q.data_ptr<float>() + q.numel());

      const Prompts p = left_padded(config.vocab_size);
      at::Tensor fast_prefill, generic_prefill;
      const at::Tensor fast = decode(model, p, 12, true, fast_prefill);
      const at::Tensor generic = decode(model, p, 12, false, generic_prefill);
      CHECK_FALSE(fast.is_inference() == generic.is_inference());  // two different runs
      const double prefill_diff = max_diff_at(fast_prefill, generic_prefill, p.mask);
      const double decode_diff = (fast - generic).abs().max().item<double>();
      const double scale = generic.abs().max().item<double>();
      INFO(kind << ": max |logit diff| prefill " << prefill_diff << ", decode " << decode_diff << " of max |logit| "
                << scale);
      // 1e-5, or a few fp32 ulps of the largest logit where logits are large (biased models).
      const double tolerance = std::max(1e-5, 1e-6 * scale);
      CHECK(prefill_diff < tolerance);
      CHECK(decode_diff < tolerance);
      CHECK(at::equal(fast.argmax(-1), generic.argmax(-1)));  // identical greedy tokens
      CHECK(scale > 0.5);                                     // not a degenerate model
    }
  }
}

TEST_CASE("the fast path gives the same bits on 1 and 2 threads", "[model][fast]") {
  // A vocabulary large enough that the output projection is split between the threads.
  const LlamaConfig config = tiny_config("llama", 4000);
  const LlamaModel model(config, random_weights(config, 8));
  const Prompts p = left_padded(config.vocab_size);
  const int threads = at::get_num_threads();
  at::Tensor prefill_one, prefill_two;
  at::set_num_threads(1);
  const at::Tensor one = decode(model, p, 6, true, prefill_one);
  at::set_num_threads(2);
  const at::Tensor two = decode(model, p, 6, true, prefill_two);
  at::set_num_threads(threads);
  CHECK(at::equal(one, two));
  CHECK(at::equal(prefill_one, prefill_two));
}

TEST_CASE("a model whose weights require grad keeps them unfused", "[model][fast]") {
  const LlamaConfig config = tiny_config("qwen2");
  WeightMap weights = random_weights(config, 4);
  for (auto& [name, t] : weights) t.set_requires_grad(true);
  const LlamaModel model(config, weights);
  const std::string q = "model.layers.0.self_attn.q_proj.weight";
  CHECK(model.weights().at(q).is_same(weights.at(q)));
  // Inference on it still works (through the generic path) and matches an inference model.
  const LlamaModel frozen(config, random_weights(config, 4));
  const Prompts p = left_padded(config.vocab_size);
  c10::InferenceMode inference;
  KVCache a(model, 3, 9), b(frozen, 3, 9);
  CHECK(max_diff_at(model.forward_cached(p.ids, p.mask, a), frozen.forward_cached(p.ids, p.mask, b), p.mask) < 1e-5);
  // A cache of another shape is refused rather than written out of bounds.
  const LlamaConfig other = tiny_config("llama");
  KVCache wrong(LlamaModel(other, random_weights(other, 1)), 3, 9);
  CHECK_THROWS_AS(frozen.forward_cached(p.ids, p.mask, wrong), hallmark::InputError);
}

TEST_CASE("fast path kernels: split matrix products and masked attention", "[fast]") {
  at::manual_seed(3);
  // Sizes off the kernels' blocks: 70 rows (a tile of 64, then 4 + 2), 19 inputs (8 + 8 + 3).
  const at::Tensor x = at::randn({70, 19}), w = at::randn({7, 19}), bias = at::randn({7});
  at::Tensor y = at::empty({70, 7});
  cpu::linear(x.data_ptr<float>(), 70, 19, w.data_ptr<float>(), bias.data_ptr<float>(), 0, 3, y.data_ptr<float>(), 7);
  cpu::linear(x.data_ptr<float>(), 70, 19, w.data_ptr<float>(), bias.data_ptr<float>(), 3, 7, y.data_ptr<float>(), 7);
  CHECK((y - at::linear(x, w, bias)).abs().max().item<double>() < 1e-5);

  // Keys 2..6 with key 4 masked out; the others are ignored.
  const int64_t dim = 6;
  const at::Tensor query = at::randn({dim}), keys = at::randn({8, dim}), values = at::randn({8, dim});
  const std::vector<int64_t> mask = {1, 1, 1, 1, 0, 1, 1, 1};
  std::vector<float> scores(8), out(dim);
  cpu::attend(query.data_ptr<float>(), keys.data_ptr<float>(), values.data_ptr<float>(), dim, 2, 6, mask.data(),
              0.5f, scores.data(), out.data());
  const at::Tensor used = at::tensor({2, 3, 5, 6}, at::kLong);
  const at::Tensor probs = at::softmax(0.5 * at::mv(keys.index_select(0, used), query), 0);
  const at::Tensor expected = at::mv(values.index_select(0, used).t(), probs);
  CHECK((at::from_blob(out.data(), {dim}, at::kFloat) - expected).abs().max().item<double>() < 1e-6);

  // Nothing to attend to: zeros.
  const std::vector<int64_t> none(8, 0);
  cpu::attend(query.data_ptr<float>(), keys.data_ptr<float>(), values.data_ptr<float>(), dim, 0, 7, none.data(),
              0.5f, scores.data(), out.data());
  CHECK(std::all_of(out.begin(), out.end(), [](float v) { return v == 0.0f; }));
}
