// The runtime against the independent Python reference (reference_llama.py) on random tiny
// checkpoints of every supported architecture, plus config and weight validation.
#include <ATen/ATen.h>
#include <ATen/Parallel.h>

#include <fstream>

#include "checkpoint/checkpoint.h"
#include "common/error.h"
#include "common/files.h"
#include "fitness/generate.h"
#include "fitness/loglikelihood.h"
#include "fitness/model.h"
#include "tiny_model.h"

// Catch2 last: libtorch's headers pull in glog, whose CHECK macro would replace Catch's.
#include <catch2/catch.hpp>

using namespace hallmark;
using namespace hallmark::fitness;
using namespace hallmark::fitness::testing;
namespace fs = std::filesystem;

namespace {

// Three rows: full length, left-padded, right-padded.
struct Batch {
  std::vector<std::vector<int64_t>> ids, mask;
};

Batch sample_batch(int64_t vocab) {
  Batch b;
  const int64_t T = 12;
  for (int64_t row = 0; row < 3; ++row) {
    std::vector<int64_t> ids, mask;
    for (int64_t t = 0; t < T; ++t) {
      const bool pad = (row == 1 && t < 3) || (row == 2 && t >= T - 4);
      ids.push_back(pad ? 0 : (7 * t + 13 * row + 5) % vocab);
      mask.push_back(pad ? 0 : 1);
    }
    b.ids.push_back(ids);
    b.mask.push_back(mask);
  }
  return b;
}

at::Tensor to_tensor(const std::vector<std::vector<int64_t>>& rows) {
  at::Tensor t = at::zeros({static_cast<int64_t>(rows.size()), static_cast<int64_t>(rows[0].size())}, at::kLong);
  for (size_t i = 0; i < rows.size(); ++i)
    for (size_t j = 0; j < rows[i].size(); ++j) t[i][j] = rows[i][j];
  return t;
}

std::vector<std::vector<int64_t>> sample_prompts(int64_t vocab) {
  std::vector<std::vector<int64_t>> prompts;
  for (int64_t p = 0; p < 5; ++p) {
    std::vector<int64_t> ids = {1};
    for (int64_t t = 0; t < 2 + 3 * p % 7; ++t) ids.push_back((11 * t + 17 * p + 3) % vocab);
    prompts.push_back(ids);
  }
  return prompts;
}

}  // namespace

TEST_CASE("fp32 logits, greedy generation and log-likelihoods match the Python reference", "[model][python]") {
  if (!python_available()) {
    WARN("/usr/bin/python3 lacks torch or sentencepiece; reference comparison skipped");
    return;
  }
  at::set_num_threads(2);
  for (const std::string& kind : tiny_kinds()) {
    SECTION(kind) {
      ScratchDir scratch;
      const LlamaConfig config = tiny_config(kind);
      // One architecture stored in bf16 (as the zoo ships its parents), computed in fp32.
      write_checkpoint(scratch.path() / "model", config, random_weights(config, 42),
                       kind == "llama_bias" ? at::kBFloat16 : at::kFloat);
      const Batch batch = sample_batch(config.vocab_size);
      const auto prompts = sample_prompts(config.vocab_size);
      const std::vector<std::pair<std::vector<int64_t>, std::vector<int64_t>>> ll_requests = {
          {{1, 5, 9}, {4, 8}}, {{1}, {30, 31, 32, 33}}, {{1, 60, 2, 7, 7, 7}, {9}}};
      nlohmann::json request;
      request["forward"] = {{"ids", batch.ids}, {"mask", batch.mask}};
      request["generate"] = {{"prompts", prompts}, {"max_new_tokens", 10}, {"stop_ids", nlohmann::json::array()}};
      request["loglikelihood"] = nlohmann::json::array();
      for (const auto& [c, t] : ll_requests) request["loglikelihood"].push_back({c, t});
      std::ofstream(scratch.path() / "request.json") << request.dump();
      REQUIRE(run_python("reference_llama.py", {(scratch.path() / "model").string(),
                                                (scratch.path() / "request.json").string(),
                                                scratch.path().string()}) == 0);
      const auto result = read_json(scratch.path() / "result.json");

      const auto ckpt = checkpoint::Checkpoint::open((scratch.path() / "model").string());
      const LlamaModel model = LlamaModel::load(ckpt);
      CHECK(model.config().architecture == config.architecture);

      // Logits at every real (unpadded) position.
      const at::Tensor mask = to_tensor(batch.mask);
      const at::Tensor logits = model.forward(to_tensor(batch.ids), mask);
      const std::string bytes = read_file(scratch.path() / "logits.f32");
      const at::Tensor expected = at::from_blob(const_cast<char*>(bytes.data()), logits.sizes(), at::kFloat).clone();
      REQUIRE(static_cast<int64_t>(bytes.size()) == logits.numel() * 4);
      const at::Tensor real = mask.ne(0).unsqueeze(-1).expand_as(logits);
      const double max_diff = (logits - expected).abs().masked_select(real).max().item<double>();
      INFO(kind << " max |logit diff| = " << max_diff);
      CHECK(max_diff <= 1e-4);
      CHECK(logits.abs().max().item<double>() > 0.5);  // not a degenerate model

      // Greedy generation: batched (with left padding and a KV cache) == one by one == reference.
      const auto batched = generate_ids(model, prompts, 10, {}, 4);
      const auto single = generate_ids(model, prompts, 10, {}, 1);
      CHECK(batched == single);
      CHECK(batched == result["generations"].get<std::vector<std::vector<int64_t>>>());

      const auto scores = loglikelihood_ids(model, ll_requests, 2);
      const auto expected_ll = result["loglikelihoods"].get<std::vector<double>>();
      REQUIRE(scores.size() == expected_ll.size());
      for (size_t i = 0; i < scores.size(); ++i) {
        CHECK(scores[i].logprob == Approx(expected_ll[i]).margin(1e-4));
        CHECK(scores[i].num_tokens == static_cast<int64_t>(ll_requests[i].second.size()));
      }
    }
  }
}

TEST_CASE("the KV cache gives the same logits as the full forward", "[model]") {
  const LlamaConfig config = tiny_config("mistral");
  const LlamaModel model(config, random_weights(config, 7));
  const Batch batch = sample_batch(config.vocab_size);
  const at::Tensor ids = to_tensor(batch.ids).narrow(0, 0, 2);  // full and left-padded rows
  const at::Tensor mask = to_tensor(batch.mask).narrow(0, 0, 2);
  const at::Tensor full = model.forward(ids, mask);
  KVCache cache(model, 2, 13);
  const at::Tensor first = model.forward_cached(ids.narrow(1, 0, 7), mask.narrow(1, 0, 7), cache);
  const at::Tensor rest = model.forward_cached(ids.narrow(1, 7, 5), mask, cache);
  CHECK(cache.length() == 12);
  CHECK(cache.capacity() == 13);
  const at::Tensor incremental = at::cat({first, rest}, 1);
  const at::Tensor real = mask.ne(0).unsqueeze(-1).expand_as(full);
  CHECK((full - incremental).abs().masked_select(real).max().item<double>() < 1e-5);
  const at::Tensor last = model.forward_cached(ids.narrow(1, 11, 1), at::cat({mask, at::ones({2, 1}, at::kLong)}, 1),
                                               cache, /*last_only=*/true);
  CHECK(last.sizes() == at::IntArrayRef({2, 1, config.vocab_size}));
}

TEST_CASE("generation stops at EOS ids and at max new tokens", "[model]") {
  const LlamaConfig config = tiny_config("llama");
  const LlamaModel model(config, random_weights(config, 3));
  const auto prompts = sample_prompts(config.vocab_size);
  const auto free_run = generate_ids(model, prompts, 8, {}, 8);
  for (const auto& out : free_run) CHECK(out.size() == 8);
  const int64_t stop = free_run[0][2];
  const auto stopped = generate_ids(model, prompts, 8, {stop}, 8);
  for (size_t i = 0; i < prompts.size(); ++i) {
    const auto at = std::find(free_run[i].begin(), free_run[i].end(), stop);
    CHECK(stopped[i] == std::vector<int64_t>(free_run[i].begin(), at));
  }
  CHECK(stopped[0].size() <= 2);
  CHECK_THROWS_AS(generate_ids(model, prompts, 64, {}, 8), InputError);  // no room in the window
  CHECK_THROWS_AS(generate_ids(model, {{}}, 4, {}, 8), InputError);
}

TEST_CASE("bf16 and fp16 runs follow fp32", "[model]") {
  const LlamaConfig config = tiny_config("qwen2");
  const WeightMap weights = random_weights(config, 11);
  const Batch batch = sample_batch(config.vocab_size);
  const at::Tensor ids = to_tensor(batch.ids), mask = to_tensor(batch.mask);
  const at::Tensor reference = LlamaModel(config, weights).forward(ids, mask);
  const at::Tensor real = mask.ne(0).unsqueeze(-1).expand_as(reference);
  const double scale = reference.abs().max().item<double>();
  for (const char* dtype : {"bf16", "fp16"}) {
    const LlamaModel model(config, weights, ModelOptions::parse("cpu", dtype));
    const at::Tensor logits = model.forward(ids, mask);
    CHECK(logits.scalar_type() == model.compute_dtype());
    const double diff = (logits.to(at::kFloat) - reference).abs().masked_select(real).max().item<double>();
    INFO(dtype << ": max diff " << diff << " of max |logit| " << scale);
    CHECK(diff < 0.05 * scale);
  }
}

TEST_CASE("forward is differentiable: a few AdamW-free SGD steps lower the loss", "[model][training]") {
  const LlamaConfig config = tiny_config("llama");
  WeightMap weights = random_weights(config, 5);
  for (auto& [name, t] : weights) t.set_requires_grad(true);
  const LlamaModel model(config, weights);
  // The model holds the very tensors given (same device and dtype).
  CHECK(model.weights().at("model.embed_tokens.weight").is_same(weights.at("model.embed_tokens.weight")));
  const Batch batch = sample_batch(config.vocab_size);
  const at::Tensor ids = to_tensor(batch.ids), mask = to_tensor(batch.mask);
  auto loss_of = [&] {
    const at::Tensor logits = model.forward(ids, mask).narrow(1, 0, 11);
    return at::cross_entropy_loss(logits.reshape({-1, config.vocab_size}), ids.narrow(1, 1, 11).reshape({-1}));
  };
  const double before = loss_of().item<double>();
  for (int step = 0; step < 5; ++step) {
    at::Tensor loss = loss_of();
    loss.backward();
    at::NoGradGuard no_grad;
    for (auto& [name, t] : weights) {
      REQUIRE(t.grad().defined());
      t.sub_(0.05 * t.grad());
      t.mutable_grad().zero_();
    }
  }
  CHECK(loss_of().item<double>() < before);
}

TEST_CASE("config.json parsing", "[config]") {
  for (const std::string& kind : tiny_kinds()) {
    const LlamaConfig c = tiny_config(kind);
    const LlamaConfig back = LlamaConfig::from_json(c.to_json(), "x");
    CHECK(back.to_json() == c.to_json());
    CHECK(back.weight_shapes() == c.weight_shapes());
  }
  nlohmann::json j = tiny_config("llama").to_json();
  SECTION("unsupported architecture lists the supported ones") {
    j["architectures"] = {"GPT2LMHeadModel"};
    CHECK_THROWS_WITH(LlamaConfig::from_json(j, "m/config.json"),
                      "m/config.json: unsupported architecture GPT2LMHeadModel (supported: LlamaForCausalLM, "
                      "MistralForCausalLM, Qwen2ForCausalLM)");
  }
  SECTION("model_type alone is enough") {
    j.erase("architectures");
    j["model_type"] = "qwen2";
    CHECK(LlamaConfig::from_json(j, "x").architecture == "Qwen2ForCausalLM");
    CHECK(LlamaConfig::from_json(j, "x").attention_bias);
  }
  SECTION("missing sizes, bad heads and rope types are errors") {
    j.erase("vocab_size");
    CHECK_THROWS_WITH(LlamaConfig::from_json(j, "x"), "x: config.json lacks vocab_size");
    j["vocab_size"] = 10;
    j["num_key_value_heads"] = 3;
    CHECK_THROWS_AS(LlamaConfig::from_json(j, "x"), InputError);
    j["num_key_value_heads"] = 2;
    j["rope_scaling"] = {{"rope_type", "yarn"}, {"factor", 2.0}};
    CHECK_THROWS_WITH(LlamaConfig::from_json(j, "x"), Catch::Contains("unsupported rope_scaling type 'yarn'"));
    j["rope_scaling"] = nullptr;
    j["hidden_act"] = "gelu";
    CHECK_THROWS_AS(LlamaConfig::from_json(j, "x"), InputError);
  }
  SECTION("eos_token_id may be a list") {
    j["eos_token_id"] = {2, 5};
    CHECK(LlamaConfig::from_json(j, "x").eos_token_ids == std::vector<int64_t>{2, 5});
  }
}

TEST_CASE("weights are validated against the config", "[model]") {
  const LlamaConfig config = tiny_config("llama");
  WeightMap weights = random_weights(config, 1);
  SECTION("missing tensor") {
    weights.erase("model.layers.1.mlp.up_proj.weight");
    CHECK_THROWS_WITH(LlamaModel(config, weights, {}, "m"), "m: missing tensor model.layers.1.mlp.up_proj.weight");
  }
  SECTION("wrong shape") {
    weights["model.norm.weight"] = at::ones({31});
    CHECK_THROWS_WITH(LlamaModel(config, weights, {}, "m"),
                      "m: tensor model.norm.weight has shape [31], config.json implies [32]");
  }
  SECTION("unexpected tensor") {
    weights["model.layers.0.self_attn.q_proj.bias"] = at::zeros({32});
    CHECK_THROWS_WITH(LlamaModel(config, weights, {}, "m"),
                      "m: unexpected tensor model.layers.0.self_attn.q_proj.bias for LlamaForCausalLM");
  }
  SECTION("token ids outside the vocabulary and sequences past the window") {
    const LlamaModel model(config, weights);
    CHECK_THROWS_WITH(model.forward(at::full({1, 3}, config.vocab_size, at::kLong), at::ones({1, 3}, at::kLong)),
                      Catch::Contains("outside the vocabulary"));
    CHECK_THROWS_WITH(model.forward(at::ones({1, 65}, at::kLong), at::ones({1, 65}, at::kLong)),
                      Catch::Contains("exceed the context window of 64"));
  }
  SECTION("device and dtype spellings") {
    CHECK(ModelOptions::parse("cpu", "bfloat16").dtype == at::kBFloat16);
    CHECK_THROWS_WITH(ModelOptions::parse("tpu", "fp32"), Catch::Contains("unknown device 'tpu'"));
    CHECK_THROWS_WITH(ModelOptions::parse("cpu", "int8"), Catch::Contains("unknown dtype 'int8'"));
  }
}
