// Cross-check of the SPDX parser against the npm package spdx-expression-parse (tests/js) on
// tests/policy/spdx_corpus.txt: the same expressions accepted, the same trees, the same ones
// rejected. Skipped with a warning when node or the installed package is missing.
#include <catch2/catch.hpp>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/error.h"
#include "policy/spdx.h"

namespace fs = std::filesystem;
using namespace hallmark::policy;

TEST_CASE("spdx parser agrees with spdx-expression-parse on the corpus") {
  const fs::path js = fs::path(HALLMARK_SOURCE_DIR) / "tests/js";
  const fs::path corpus = fs::path(HALLMARK_SOURCE_DIR) / "tests/policy/spdx_corpus.txt";
  if (std::system("node --version > /dev/null 2>&1") != 0 ||
      !fs::exists(js / "node_modules/spdx-expression-parse")) {
    WARN("node or tests/js/node_modules missing (run: cd tests/js && npm ci); cross-check skipped");
    return;
  }
  fs::path out = fs::temp_directory_path() / ("hallmark-spdx-npm-" + std::to_string(std::random_device{}()) + ".jsonl");
  std::string cmd = "node '" + (js / "spdx_parse.js").string() + "' '" + corpus.string() + "' > '" + out.string() + "'";
  REQUIRE(std::system(cmd.c_str()) == 0);

  std::ifstream results(out);
  std::ifstream lines(corpus);
  std::string line, result;
  size_t compared = 0, rejected = 0;
  while (std::getline(lines, line)) {
    if (line.empty() || line[0] == '#') continue;
    REQUIRE(std::getline(results, result));
    bool must_fail = line[0] == '!';
    std::string expr = must_fail ? line.substr(1) : line;
    INFO("expression: '" << expr << "'");
    auto theirs = nlohmann::json::parse(result);
    std::optional<nlohmann::json> ours;
    try {
      ours = spdx::to_json(*spdx::parse(expr));
    } catch (const hallmark::InputError&) {
    }
    CHECK(theirs.contains("ok") == ours.has_value());
    CHECK(must_fail == !ours.has_value());
    if (ours && theirs.contains("ok")) {
      CHECK(*ours == theirs["ok"]);
      ++compared;
    } else {
      ++rejected;
    }
  }
  CHECK_FALSE(std::getline(results, result));
  fs::remove(out);
  CHECK(compared >= 40);
  CHECK(rejected >= 15);
}
