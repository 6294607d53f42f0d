#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>

#include "common/error.h"
#include "common/files.h"
#include "tests/support/scratch_dir.h"
#include "zoo/world.h"

using namespace hallmark::zoo;
namespace fs = std::filesystem;

namespace {

using hallmark::testing::ScratchDir;

std::map<std::string, std::string> read_tree(const fs::path& root) {
  std::map<std::string, std::string> files;
  for (const auto& e : fs::recursive_directory_iterator(root)) {
    if (e.is_regular_file()) files[fs::relative(e.path(), root).generic_string()] = hallmark::read_file(e.path());
  }
  return files;
}

ZooOptions small(const fs::path& out) {
  ZooOptions o;
  o.out = out;
  o.scale = ZooScale::small;
  return o;
}

}  // namespace

TEST_CASE("zoo: two builds of a small world are byte-identical, whatever the worker count") {
  ScratchDir tmp;
  // One worker trains the fine-tunes one after another, four train them all at once.
  auto one = small(tmp / "a");
  one.workers = 1;
  auto four = small(tmp / "b");
  four.workers = 4;
  auto a = build_zoo(one);
  build_zoo(four);
  CHECK_FALSE(a.reused);
  auto ta = read_tree(tmp / "a");
  auto tb = read_tree(tmp / "b");
  REQUIRE(ta.size() == tb.size());
  for (const auto& [name, bytes] : ta) {
    INFO(name);
    REQUIRE(tb.count(name));
    CHECK(bytes == tb.at(name));
  }
  CHECK(ta.count("models/safe-assistant/model.safetensors"));
  CHECK(ta.count("models/base/tokenizer.model"));
  CHECK(ta.count("probes/refusal.jsonl"));
  // Another seed gives other weights.
  auto other = small(tmp / "c");
  other.seed = 8;
  build_zoo(other);
  CHECK(read_tree(tmp / "c").at("models/base/model.safetensors") !=
        ta.at("models/base/model.safetensors"));
}

TEST_CASE("zoo: a complete world is reused, a damaged or different one rebuilt") {
  ScratchDir tmp;
  auto options = small(tmp / "w");
  build_zoo(options);
  CHECK(zoo_is_current(options.out, options));
  CHECK(build_zoo(options).reused);
  // The worker count is not part of the recipe: any count reuses the world.
  auto more = options;
  more.workers = 3;
  CHECK(zoo_is_current(options.out, more));
  auto weights = options.out / "models" / "arith-specialist" / "model.safetensors";
  std::string original = hallmark::read_file(weights);
  std::ofstream(weights, std::ios::binary | std::ios::app) << "x";
  CHECK_FALSE(zoo_is_current(options.out, options));
  CHECK_FALSE(build_zoo(options).reused);
  CHECK(hallmark::read_file(weights) == original);
  auto seeded = options;
  seeded.seed = 9;
  CHECK_FALSE(zoo_is_current(options.out, seeded));
  std::ofstream(options.out / "stray.txt") << "extra";
  CHECK_FALSE(zoo_is_current(options.out, options));
}

TEST_CASE("zoo: refuses to replace a directory that is not a world") {
  ScratchDir tmp;
  fs::create_directories(tmp / "mine");
  std::ofstream(tmp / "mine" / "notes.txt") << "keep me";
  CHECK_THROWS_AS(build_zoo(small(tmp / "mine")), hallmark::InputError);
  CHECK(fs::exists(tmp / "mine" / "notes.txt"));
}
