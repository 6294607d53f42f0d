#include <catch2/catch.hpp>

#include <cstdlib>

#include "checkpoint/checkpoint.h"
#include "checkpoint/writer.h"
#include "common/error.h"
#include "tests/support/scratch_dir.h"

using namespace hallmark::checkpoint;
using hallmark::testing::ScratchDir;
namespace fs = std::filesystem;

namespace {

// A checkpoint with four 16-byte F32 tensors, sharded at `max_shard_bytes`.
void make_checkpoint(const fs::path& dir, uint64_t max_shard_bytes) {
  fs::create_directories(dir);
  hallmark::testing::write_bytes(dir / "config.json", R"({"architectures":["LlamaForCausalLM"]})");
  std::vector<TensorSpec> specs;
  for (std::string name : {"w.0", "w.1", "w.2", "w.3"}) specs.push_back({name, DType::F32, {4}});
  ShardedWriter writer(dir, specs, {max_shard_bytes, {{"format", "pt"}}});
  std::vector<float> values{1, 2, 3, 4};
  for (const auto& s : specs) writer.write(s.name, {reinterpret_cast<const std::byte*>(values.data()), 16});
  writer.finish();
}

}  // namespace

TEST_CASE("a single-file checkpoint opens with its config and tensors") {
  ScratchDir dir;
  make_checkpoint(dir.path(), 1 << 20);
  auto c = Checkpoint::open(dir.path().string());
  CHECK(c.config()["architectures"][0] == "LlamaForCausalLM");
  CHECK(c.tensor_names() == std::vector<std::string>{"w.0", "w.1", "w.2", "w.3"});
  CHECK(c.files().size() == 1);
  CHECK(c.total_tensor_bytes() == 64);
  CHECK_FALSE(c.tokenizer_model().has_value());
  CHECK_THROWS_WITH(c.info("nope"), Catch::Contains("no tensor nope"));
}

TEST_CASE("a sharded checkpoint opens through its index") {
  ScratchDir dir;
  make_checkpoint(dir.path(), 40);
  CHECK(fs::exists(dir / "model-00001-of-00002.safetensors"));
  CHECK(fs::exists(dir / "model.safetensors.index.json"));
  auto c = Checkpoint::open(dir.path().string());
  CHECK(c.files().size() == 2);
  CHECK(c.has_tensor("w.3"));
  CHECK(c.file_of("w.3").path().filename() == "model-00002-of-00002.safetensors");
}

TEST_CASE("a shard index pointing outside the directory is refused") {
  ScratchDir dir;
  make_checkpoint(dir / "m", 40);
  hallmark::testing::write_bytes(dir / "m/model.safetensors.index.json",
                                 R"({"weight_map":{"w.0":"../evil.safetensors"}})");
  hallmark::testing::write_bytes(dir / "evil.safetensors", "x");
  CHECK_THROWS_WITH(Checkpoint::open((dir / "m").string()),
                    Catch::Contains("shard '../evil.safetensors' points outside the checkpoint directory"));
}

TEST_CASE("a missing shard is refused") {
  ScratchDir dir;
  make_checkpoint(dir.path(), 40);
  fs::remove(dir / "model-00002-of-00002.safetensors");
  CHECK_THROWS_WITH(Checkpoint::open(dir.path().string()),
                    Catch::Contains("shard 'model-00002-of-00002.safetensors' is missing"));
}

TEST_CASE("an index that disagrees with the shards is refused") {
  ScratchDir dir;
  make_checkpoint(dir.path(), 40);
  hallmark::testing::write_bytes(dir / "model.safetensors.index.json",
                                 R"({"weight_map":{"w.0":"model-00002-of-00002.safetensors",)"
                                 R"("w.1":"model-00001-of-00002.safetensors"}})");
  CHECK_THROWS_WITH(Checkpoint::open(dir.path().string()), Catch::Contains("not in shard"));
}

TEST_CASE("missing config or weights are named") {
  ScratchDir dir;
  CHECK_THROWS_WITH(Checkpoint::open(dir.path().string()), Catch::Contains("missing config.json"));
  hallmark::testing::write_bytes(dir / "config.json", "{}");
  CHECK_THROWS_WITH(Checkpoint::open(dir.path().string()), Catch::Contains("no model.safetensors"));
  hallmark::testing::write_bytes(dir / "config.json", "{oops");
  CHECK_THROWS_WITH(Checkpoint::open(dir.path().string()), Catch::Contains("config.json: not valid JSON"));
}

TEST_CASE("hub ids resolve offline in the local Hugging Face cache") {
  ScratchDir cache;
  const fs::path repo = cache / "models--acme--tiny";
  make_checkpoint(repo / "snapshots" / "abc123", 1 << 20);
  fs::create_directories(repo / "refs");
  hallmark::testing::write_bytes(repo / "refs" / "main", "abc123\n");
  ::setenv("HF_HUB_CACHE", cache.path().c_str(), 1);
  CHECK(resolve_model("acme/tiny") == repo / "snapshots" / "abc123");
  CHECK(resolve_model("acme/tiny@abc123") == repo / "snapshots" / "abc123");
  CHECK(Checkpoint::open("acme/tiny").name() == "acme/tiny");
  CHECK_THROWS_WITH(resolve_model("acme/absent"), Catch::Contains("hallmark never downloads models"));
  CHECK_THROWS_WITH(resolve_model("no-such-dir"), Catch::Contains("no-such-dir: no such model directory"));
  ::unsetenv("HF_HUB_CACHE");
}
