// A model with its tokenizer: loading, text generation with stop strings, the context window,
// string log-likelihoods and task evaluation end to end.
#include <ATen/ATen.h>

#include <fstream>

#include "checkpoint/checkpoint.h"
#include "common/error.h"
#include "fitness/evaluate.h"
#include "fitness/generate.h"
#include "fitness/language_model.h"
#include "fitness/loglikelihood.h"
#include "fitness/task.h"
#include "tiny_model.h"

// Catch2 last: libtorch's headers pull in glog, whose CHECK macro would replace Catch's.
#include <catch2/catch.hpp>

using namespace hallmark;
using namespace hallmark::fitness;
using namespace hallmark::fitness::testing;
namespace fs = std::filesystem;

namespace {

// A tiny Llama with a trained tokenizer, on disk.
struct TinyWorld {
  ScratchDir scratch;
  fs::path model_dir;
  LlamaConfig config;
  WeightMap weights;

  // vocab: the embedding rows; the tokenizer's size when 0.
  explicit TinyWorld(int64_t vocab = 0) {
    const fs::path tokenizer = train_tokenizer(scratch.path() / "tok", "unigram", 300);
    config = tiny_config("llama", vocab > 0 ? vocab : Tokenizer::load(tokenizer).vocab_size());
    weights = random_weights(config, 9);
    model_dir = scratch.path() / "model";
    write_checkpoint(model_dir, config, weights);
    fs::copy_file(tokenizer, model_dir / "tokenizer.model");
  }
};

const std::vector<std::string> kPrompts = {"the cat reads", "an auditor signs the report.", "Zoë", ""};

}  // namespace

TEST_CASE("generate: text, stop strings and EOS", "[language-model]") {
  TinyWorld world;
  const LanguageModel lm = load_language_model(world.model_dir.string(), {});
  CHECK(lm.tokenizer.vocab_size() <= 300);

  GenerationOptions options;
  options.max_new_tokens = 12;
  options.stop_at_eos = false;
  const auto free_run = generate(lm, kPrompts, options);
  REQUIRE(free_run.size() == kPrompts.size());
  for (size_t i = 0; i < kPrompts.size(); ++i) {
    std::vector<int64_t> ids = lm.tokenizer.encode(kPrompts[i], true);
    CHECK(free_run[i].prompt_tokens == static_cast<int64_t>(ids.size()));
    CHECK(free_run[i].tokens == generate_ids(lm.model, {ids}, 12, {}, 1)[0]);
    CHECK(free_run[i].text == lm.tokenizer.decode(free_run[i].tokens));
    CHECK(free_run[i].reason == StopReason::kMaxNewTokens);
  }

  // Batch size does not change anything.
  options.batch_size = 1;
  const auto one_by_one = generate(lm, kPrompts, options);
  for (size_t i = 0; i < kPrompts.size(); ++i) CHECK(one_by_one[i].tokens == free_run[i].tokens);

  // A stop string taken from the free run's own output cuts it there.
  const std::string& text = free_run[0].text;
  REQUIRE(text.size() >= 4);
  const std::string stop = text.substr(text.size() / 2, 2);
  options.stop = {stop, "never appears \x01"};
  const auto stopped = generate(lm, kPrompts, options);
  CHECK(stopped[0].reason == StopReason::kStopString);
  CHECK(stopped[0].text == text.substr(0, text.find(stop)));
  CHECK(stopped[0].tokens.size() <= free_run[0].tokens.size());
  for (size_t i = 1; i < kPrompts.size(); ++i) {
    const std::string& full = free_run[i].text;
    CHECK(stopped[i].text == full.substr(0, std::min(full.size(), full.find(stop))));
  }

  // EOS: the model's first token for prompt 1 declared as an EOS id ends it at once.
  LlamaConfig eos_config = world.config;
  eos_config.eos_token_ids = {free_run[1].tokens.at(0)};
  const LanguageModel eos_lm = make_language_model("eos", eos_config, world.weights, lm.tokenizer, {});
  options.stop.clear();
  options.stop_at_eos = true;
  const auto eos_run = generate(eos_lm, {kPrompts[1]}, options);
  CHECK(eos_run[0].tokens.empty());
  CHECK(eos_run[0].reason == StopReason::kEos);
}

TEST_CASE("ids of a padded embedding past the tokenizer's vocabulary are never generated", "[language-model]") {
  TinyWorld world(400);
  const LanguageModel lm = load_language_model(world.model_dir.string(), {});
  REQUIRE(lm.tokenizer.vocab_size() < 400);
  GenerationOptions options;
  options.max_new_tokens = 20;
  options.stop_at_eos = false;
  bool beyond_in_free_run = false;
  for (const auto& g : generate(lm, kPrompts, options)) {
    for (const int64_t id : g.tokens) CHECK(id < lm.tokenizer.vocab_size());
  }
  for (const auto& ids : generate_ids(lm.model, {lm.tokenizer.encode(kPrompts[0], true)}, 20, {}, 1)) {
    for (const int64_t id : ids) beyond_in_free_run = beyond_in_free_run || id >= lm.tokenizer.vocab_size();
  }
  // The id-level API does not know the tokenizer: random weights do pick padded ids there.
  CHECK(beyond_in_free_run);
}

TEST_CASE("prompts longer than the context window are cut from the left, keeping BOS", "[language-model]") {
  TinyWorld world;
  const LanguageModel lm = load_language_model(world.model_dir.string(), {});
  std::string long_prompt;
  for (const auto& s : corpus_sentences(12)) long_prompt += s + " ";
  const std::vector<int64_t> ids = lm.tokenizer.encode(long_prompt, true);
  REQUIRE(ids.size() > 64);
  GenerationOptions options;
  options.max_new_tokens = 8;
  options.stop_at_eos = false;
  const auto out = generate(lm, {long_prompt, "short"}, options);
  CHECK(out[0].prompt_tokens == 56);  // window 64 - 8 new tokens
  CHECK(out[0].prompt_tokens_dropped == static_cast<int64_t>(ids.size()) - 56);
  CHECK(out[1].prompt_tokens_dropped == 0);
  std::vector<int64_t> kept = {ids.front()};
  kept.insert(kept.end(), ids.end() - 55, ids.end());
  CHECK(out[0].tokens == generate_ids(lm.model, {kept}, 8, {}, 1)[0]);
  options.max_new_tokens = 64;
  CHECK_THROWS_WITH(generate(lm, {"x"}, options), Catch::Contains("max new tokens must be between 1 and 63"));

  // Log-likelihood: the context is cut, the continuation scored whole.
  const auto scores = loglikelihood(lm, {{long_prompt, " the report."}});
  CHECK(scores[0].num_tokens > 0);
  CHECK(std::isfinite(scores[0].logprob));
}

TEST_CASE("string log-likelihoods follow lm-evaluation-harness tokenization", "[language-model]") {
  TinyWorld world;
  const LanguageModel lm = load_language_model(world.model_dir.string(), {});
  const auto scores = loglikelihood(lm, {{"the cat", " reads the report."}, {"the cat ", "reads the report."}});
  CHECK(scores[0].logprob == Approx(scores[1].logprob).margin(1e-9));  // trailing space moves over
  CHECK(scores[0].logprob < 0);
  const std::vector<int64_t> context = lm.tokenizer.encode("the cat", true);
  const std::vector<int64_t> whole = lm.tokenizer.encode("the cat reads the report.");
  const std::vector<int64_t> continuation(whole.begin() + static_cast<std::ptrdiff_t>(context.size() - 1), whole.end());
  const auto by_ids = loglikelihood_ids(lm.model, {{context, continuation}});
  CHECK(scores[0].logprob == Approx(by_ids[0].logprob).margin(1e-9));
  CHECK(scores[0].num_tokens == static_cast<int64_t>(continuation.size()));
}

TEST_CASE("an in-memory model equals the same model loaded from disk", "[language-model]") {
  TinyWorld world;
  const LanguageModel disk = load_language_model(world.model_dir.string(), {});
  const LanguageModel memory = make_language_model("child", world.config, world.weights, disk.tokenizer, {});
  const at::Tensor ids = at::arange(1, 20, at::kLong).unsqueeze(0);
  const at::Tensor mask = at::ones_like(ids);
  CHECK(disk.model.forward(ids, mask).equal(memory.model.forward(ids, mask)));
}

TEST_CASE("missing or oversized tokenizers are rejected", "[language-model][bad-input]") {
  TinyWorld world(200);  // embedding smaller than the 300-piece tokenizer
  CHECK_THROWS_WITH(load_language_model(world.model_dir.string(), {}),
                    world.model_dir.string() + ": tokenizer vocabulary (300) is larger than the embedding (200)");
  fs::remove(world.model_dir / "tokenizer.model");
  CHECK_THROWS_WITH(load_language_model(world.model_dir.string(), {}),
                    world.model_dir.string() + ": no tokenizer (tokenizer.model missing)");
  std::ofstream(world.model_dir / "config.json") << R"({"architectures": ["GPTNeoXForCausalLM"]})";
  std::ofstream(world.model_dir / "tokenizer.model") << "junk";
  CHECK_THROWS_WITH(load_language_model(world.model_dir.string(), {}), Catch::Contains("not a SentencePiece model"));
}

TEST_CASE("evaluate_task scores generations and multiple choice", "[language-model][task]") {
  TinyWorld world;
  const LanguageModel lm = load_language_model(world.model_dir.string(), {});
  const fs::path dir = world.scratch.path();

  // Generative: the answers of two items are the model's own outputs, two are not.
  const std::vector<std::string> prompts = {"the cat reads", "a model writes", "my friend", "every parent"};
  GenerationOptions options;
  options.max_new_tokens = 6;
  options.stop = {"\n"};
  const auto outputs = generate(lm, prompts, options);
  {
    std::ofstream items(dir / "gen.jsonl");
    for (size_t i = 0; i < prompts.size(); ++i) {
      const std::string answer = i < 2 ? outputs[i].text : "certainly not this";
      items << nlohmann::json{{"prompt", prompts[i]}, {"answer", answer}}.dump() << "\n";
    }
  }
  std::ofstream(dir / "gen.yaml") << "task: echo\ndata: gen.jsonl\nscorer: exact_match\nstop: [\"\\n\"]\nmax_new_tokens: 6\n";
  const TaskResult gen = evaluate_task(lm, load_task(dir / "gen.yaml"), {});
  CHECK(gen.task == "echo");
  CHECK(gen.accuracy().name == "exact_match");
  CHECK(gen.accuracy().value == Approx(0.5));
  CHECK(gen.accuracy().std_error == Approx(std::sqrt(1.0 / 3.0 / 4.0)));
  REQUIRE(gen.items.size() == 4);
  CHECK(gen.items[0].output == outputs[0].text);
  CHECK(gen.items[0].scores == std::vector<double>{1.0});
  const nlohmann::json j = to_json(gen);
  CHECK(j["accuracy"] == 0.5);
  CHECK(j["items"].size() == 4);
  CHECK(j["metrics"]["exact_match"]["n"] == 4);

  EvalOptions limited;
  limited.limit = 2;
  CHECK(evaluate_task(lm, load_task(dir / "gen.yaml"), limited).accuracy().value == 1.0);

  // Multiple choice: acc agrees with ranking the choices by hand.
  std::ofstream(dir / "mc.jsonl") << R"({"prompt": "the cat", "choices": ["reads the report.", "signs weights"], "gold": 0})" "\n"
                                  << R"({"prompt": "an auditor", "choices": ["checks", "refuses", "answers"], "gold": 2})" "\n";
  const Task mc_task = load_task(dir / "mc.jsonl");
  const TaskResult mc = evaluate_task(lm, mc_task, {});
  REQUIRE(mc.metrics.size() == 2);
  CHECK(mc.metrics[0].name == "acc");
  CHECK(mc.metrics[1].name == "acc_norm");
  double expected_acc = 0;
  for (const TaskItem& item : mc_task.items) {
    std::vector<LoglikelihoodRequest> requests;
    for (const auto& c : item.choices) requests.push_back({item.prompt, " " + c});
    const auto s = loglikelihood(lm, requests);
    size_t best = 0;
    for (size_t c = 1; c < s.size(); ++c) {
      if (s[c].logprob > s[best].logprob) best = c;
    }
    expected_acc += static_cast<int64_t>(best) == item.gold ? 0.5 : 0.0;
  }
  CHECK(mc.metrics[0].value == Approx(expected_acc));
}
