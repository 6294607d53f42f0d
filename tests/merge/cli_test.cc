// End-to-end: the built `hallmark merge` binary on checkpoints the test generates.
#include <fstream>

#include <catch2/catch.hpp>

#include "checkpoint/aten.h"
#include "checkpoint/checkpoint.h"
#include "common/files.h"
#include "merge/merger.h"
#include "support.h"

using namespace hallmark;
using namespace hallmark::merge;
using namespace hallmark::merge::test;
namespace fs = std::filesystem;

namespace {

const std::string kBinary = HALLMARK_BINARY_DIR "/cli/hallmark";

const char* const kTies =
    "merge_method: ties\nbase_model: base\nmodels:\n  - model: a\n    parameters: {weight: 0.6, density: 0.5}\n"
    "  - model: b\n    parameters: {weight: 0.4, density: 0.7}\ndtype: bfloat16\n";

struct World {
  ScratchDir dir;
  World() {
    write_checkpoint(dir / "base", llama_tensors(1, 2, 8, 16), llama_config(2, 8, 16));
    write_checkpoint(dir / "a", llama_tensors(2, 2, 8, 16), llama_config(2, 8, 16));
    write_checkpoint(dir / "b", llama_tensors(3, 2, 8, 16), llama_config(2, 8, 16));
    write_text(dir / "base" / "tokenizer.model", "base tokenizer");
    write_text(dir / "a" / "tokenizer.model", "a tokenizer");
  }
  std::string recipe(const std::string& yaml, const std::string& name = "recipe.yaml") const {
    return write_text(dir / name, yaml);
  }
  int merge(const std::string& args, std::string* output) const {
    return run_command(kBinary + " merge " + args, output);
  }
  std::string out(const std::string& name = "child") const { return (dir / name).string(); }
};

// Exit 2, one line naming `what`, and nothing at `out` (nor a temporary beside it).
void expect_refused(const World& w, const std::string& args, const std::string& what) {
  std::string output;
  const int status = w.merge(args + " --out " + w.out(), &output);
  INFO(output);
  CHECK(status == 2);
  CHECK(output.find(what) != std::string::npos);
  CHECK(std::count(output.begin(), output.end(), '\n') == 1);
  CHECK_FALSE(fs::exists(w.out()));
  for (const auto& entry : fs::directory_iterator(w.dir.path()))
    CHECK(entry.path().filename().string().find("child") == std::string::npos);
}

}  // namespace

TEST_CASE("hallmark merge writes weights, config, tokenizer and a model card") {
  World w;
  std::string output;
  REQUIRE(w.merge(w.recipe(kTies) + " --out " + w.out() + " --seed 5 --threads 2", &output) == 0);
  const auto child = checkpoint::Checkpoint::open(w.out());
  CHECK(child.tensor_names().size() == 3 + 2 * 9);
  CHECK(child.info("model.layers.1.mlp.up_proj.weight").dtype == checkpoint::DType::BF16);
  CHECK(child.config()["num_hidden_layers"] == 2);
  CHECK(child.config()["torch_dtype"] == "bfloat16");
  CHECK(read_file(fs::path(w.out()) / "tokenizer.model") == "base tokenizer");

  const std::string card = read_file(fs::path(w.out()) / "README.md");
  CHECK(card.rfind("---\nbase_model:\n- \"base\"\n- \"a\"\n- \"b\"\nbase_model_relation: merge\ntags:\n- merge\n- hallmark\n", 0) == 0);
  CHECK(card.find(kTies) != std::string::npos);
  CHECK(card.find("--seed 5") != std::string::npos);

  // The same bytes as the in-memory path.
  const Recipe r = parse_recipe_file(w.dir / "recipe.yaml");
  const Child mem = merge_in_memory(r, Parents::open_for(r), MergeOptions{5, false});
  for (const auto& [name, t] : mem.tensors) CHECK(checkpoint::load_tensor(child, name).equal(t));
}

TEST_CASE("hallmark merge is deterministic across runs and thread counts") {
  World w;
  const std::string dare =
      "merge_method: dare_ties\nbase_model: base\nmodels:\n  - model: a\n    parameters: {weight: 0.6, density: 0.5}\n"
      "  - model: b\n    parameters: {weight: 0.4, density: 0.3}\n";
  std::string output;
  REQUIRE(w.merge(w.recipe(dare) + " --out " + w.out("one") + " --seed 9 --threads 1", &output) == 0);
  REQUIRE(w.merge(w.recipe(dare) + " --out " + w.out("two") + " --seed 9 --threads 2", &output) == 0);
  REQUIRE(w.merge(w.recipe(dare) + " --out " + w.out("other") + " --seed 10", &output) == 0);
  const std::string one = read_file(fs::path(w.out("one")) / "model.safetensors");
  CHECK(one == read_file(fs::path(w.out("two")) / "model.safetensors"));
  CHECK(one != read_file(fs::path(w.out("other")) / "model.safetensors"));
}

TEST_CASE("hallmark merge: tokenizer_source and --force") {
  World w;
  std::string output;
  const std::string y = std::string(kTies) + "tokenizer_source: a\n";
  REQUIRE(w.merge(w.recipe(y) + " --out " + w.out(), &output) == 0);
  CHECK(read_file(fs::path(w.out()) / "tokenizer.model") == "a tokenizer");
  CHECK(w.merge(w.recipe(y) + " --out " + w.out() + " --force", &output) == 0);
}

TEST_CASE("hallmark merge refuses an existing output folder without --force") {
  World w;
  fs::create_directories(w.out());
  std::string output;
  CHECK(w.merge(w.recipe(kTies) + " --out " + w.out(), &output) == 2);
  CHECK(output.find(w.out()) != std::string::npos);
  CHECK(fs::is_empty(w.out()));
}

TEST_CASE("hallmark merge refuses bad recipes with exit 2 and writes nothing") {
  World w;
  expect_refused(w, w.recipe("merge_method: tiez\nbase_model: base\nmodels:\n  - model: a\n"), "unknown merge_method");
  expect_refused(w, w.recipe("merge_method: ties\nbase_model: base\nmodels:\n  - model: a\n    parameters: {weight: 1}\n"
                             "parameters: {allow_negative_neights: true}\n"),
                 "recipe.yaml:6:14: unknown parameter 'allow_negative_neights'");
  expect_refused(w, w.recipe("merge_method: ties\nbase_model: base\nmodels:\n  - model: a\n"
                             "    parameters: {weight: 1, density: 1.5}\n"),
                 "out of range");
  expect_refused(w, w.recipe("merge_method: ties\nbase_model: base\nmodels:\n  - model: a\n"
                             "    parameters: {weight: 11}\n"),
                 "weight");
  expect_refused(w, w.recipe("merge_method: ties\nbase_model: base\nmodels:\n  - model: nowhere\n"
                             "    parameters: {weight: 1}\n"),
                 "nowhere");
}

TEST_CASE("hallmark merge refuses parents that do not fit or are not finite") {
  World w;
  Tensors wide = llama_tensors(4, 2, 8, 16);
  wide["lm_head.weight"] = at::zeros({20, 8});
  write_checkpoint(w.dir / "wide", wide, llama_config(2, 8, 20));
  expect_refused(w, w.recipe("merge_method: ties\nbase_model: base\nmodels:\n  - model: wide\n    parameters: {weight: 1}\n"),
                 "lm_head.weight has shape [20, 8]");

  Tensors renamed = llama_tensors(4, 2, 8, 16);
  renamed["model.final_norm.weight"] = renamed["model.norm.weight"];
  renamed.erase("model.norm.weight");
  write_checkpoint(w.dir / "renamed", renamed, llama_config(2, 8, 16));
  expect_refused(w, w.recipe("merge_method: ties\nbase_model: base\nmodels:\n  - model: renamed\n    parameters: {weight: 1}\n"),
                 "model.final_norm.weight");

  Tensors nan = llama_tensors(4, 2, 8, 16);
  nan["model.layers.1.mlp.up_proj.weight"][0][0] = std::numeric_limits<float>::infinity();
  write_checkpoint(w.dir / "nan", nan, llama_config(2, 8, 16));
  const std::string y = w.recipe("merge_method: ties\nbase_model: base\nmodels:\n  - model: nan\n    parameters: {weight: 1}\n");
  expect_refused(w, y, "model.layers.1.mlp.up_proj.weight contains NaN or Inf");
  std::string output;
  CHECK(w.merge(y + " --out " + w.out() + " --allow-nonfinite", &output) == 0);
}

TEST_CASE("hallmark merge surfaces malformed checkpoints with exit 2 and writes nothing") {
  World w;
  const std::string y = w.recipe("merge_method: ties\nbase_model: base\nmodels:\n  - model: broken\n    parameters: {weight: 1}\n");
  const fs::path broken = w.dir / "broken";
  fs::create_directories(broken);
  write_text(broken / "config.json", llama_config(2, 8, 16).dump());
  const std::string good = read_file(w.dir / "a" / "model.safetensors");

  write_text(broken / "model.safetensors", good.substr(0, good.size() - 100));
  expect_refused(w, y, "model.safetensors");

  std::string huge = good;
  huge[0] = '\xff', huge[1] = '\xff', huge[2] = '\xff', huge[3] = '\x7f';
  write_text(broken / "model.safetensors", huge);
  expect_refused(w, y, "model.safetensors");

  std::string not_json = good;
  not_json[8] = '[';
  not_json[9] = '[';
  write_text(broken / "model.safetensors", not_json);
  expect_refused(w, y, "model.safetensors");

  fs::remove(broken / "model.safetensors");
  write_text(broken / "model.safetensors.index.json",
             R"({"metadata": {}, "weight_map": {"model.norm.weight": "../a/model.safetensors"}})");
  expect_refused(w, y, "model.safetensors.index.json");

  write_text(broken / "model.safetensors.index.json",
             R"({"metadata": {}, "weight_map": {"model.norm.weight": "model-00001-of-00002.safetensors"}})");
  expect_refused(w, y, "model-00001-of-00002.safetensors");
}
