#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "checkpoint/checkpoint.h"
#include "checkpoint/writer.h"
#include "common/files.h"
#include "tests/support/scratch_dir.h"

using namespace hallmark::checkpoint;
using hallmark::testing::ScratchDir;
namespace fs = std::filesystem;

namespace {

std::vector<TensorSpec> specs() {
  return {{"a", DType::F32, {8}}, {"b", DType::BF16, {3, 4}}, {"c", DType::F16, {16}}, {"d", DType::F32, {2}}};
}

std::string bytes_for(const TensorSpec& s) {
  std::string out(s.nbytes(), '\0');
  for (size_t i = 0; i < out.size(); ++i) out[i] = static_cast<char>(s.name[0] + i);
  return out;
}

void write_all(const fs::path& dir, uint64_t shard, bool reverse) {
  auto plan = specs();
  ShardedWriter w(dir, plan, {shard});
  if (reverse) std::reverse(plan.begin(), plan.end());
  for (const auto& s : plan) {
    std::string b = bytes_for(s);
    w.write(s.name, {reinterpret_cast<const std::byte*>(b.data()), b.size()});
  }
  w.finish();
}

}  // namespace

TEST_CASE("the same tensors give the same bytes whatever the write order") {
  ScratchDir x, y;
  write_all(x.path(), 48, false);
  write_all(y.path(), 48, true);
  for (const auto& entry : fs::directory_iterator(x.path()))
    CHECK(hallmark::read_file(entry.path()) == hallmark::read_file(y / entry.path().filename().string()));
}

TEST_CASE("shards respect the size limit and the index lists every tensor") {
  ScratchDir dir;
  write_all(dir.path(), 48, false);
  auto index = nlohmann::json::parse(hallmark::read_file(dir / "model.safetensors.index.json"));
  CHECK(index["metadata"]["total_size"] == 32 + 24 + 32 + 8);
  CHECK(index["weight_map"].size() == 4);
  CHECK(index["weight_map"]["a"] == "model-00001-of-00003.safetensors");
  CHECK(index["weight_map"]["b"] == "model-00002-of-00003.safetensors");
  CHECK(index["weight_map"]["c"] == "model-00003-of-00003.safetensors");
  hallmark::testing::write_bytes(dir / "config.json", "{}");
  auto c = Checkpoint::open(dir.path().string());
  for (const auto& s : specs()) {
    auto data = c.data(s.name);
    CHECK(std::string(reinterpret_cast<const char*>(data.data()), data.size()) == bytes_for(s));
  }
}

TEST_CASE("a tensor larger than the shard limit gets a shard of its own") {
  ScratchDir dir;
  write_all(dir.path(), 1, false);
  CHECK(fs::exists(dir / "model-00004-of-00004.safetensors"));
}

TEST_CASE("the writer refuses unknown, repeated, wrongly sized and missing tensors") {
  ScratchDir dir;
  ShardedWriter w(dir.path(), specs());
  std::string b(32, 'x');
  auto span = [&](size_t n) { return std::span<const std::byte>(reinterpret_cast<const std::byte*>(b.data()), n); };
  CHECK_THROWS_WITH(w.write("zz", span(32)), Catch::Contains("tensor zz: not in the output plan"));
  CHECK_THROWS_WITH(w.write("a", span(4)), Catch::Contains("tensor a: 4 bytes, expected 32"));
  w.write("a", span(32));
  CHECK_THROWS_WITH(w.write("a", span(32)), Catch::Contains("tensor a: written twice"));
  CHECK_THROWS_WITH(w.finish(), Catch::Contains("tensor b: never written"));
}
