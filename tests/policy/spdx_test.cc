// SPDX expression parser: valid expressions with their trees, invalid ones with the column.
#include <catch2/catch.hpp>

#include <string>

#include "common/error.h"
#include "policy/spdx.h"

using namespace hallmark;
using namespace hallmark::policy;

namespace {

std::string round_trip(const std::string& e) { return spdx::to_string(*spdx::parse(e)); }

std::string error_of(const std::string& e) {
  try {
    spdx::parse(e);
  } catch (const InputError& err) {
    return err.what();
  }
  return "";
}

}  // namespace

TEST_CASE("spdx: single ids, plus and exceptions") {
  auto n = spdx::parse("MIT");
  CHECK(n->kind == spdx::Node::Kind::license);
  CHECK(n->license == "MIT");
  n = spdx::parse("GPL-2.0+");
  CHECK(n->plus);
  CHECK(n->license == "GPL-2.0");
  n = spdx::parse("GPL-2.0-or-later WITH Classpath-exception-2.0");
  CHECK(n->exception == "Classpath-exception-2.0");
  CHECK(spdx::to_json(*n) == nlohmann::json{{"license", "GPL-2.0-or-later"}, {"exception", "Classpath-exception-2.0"}});
  n = spdx::parse("LicenseRef-llama3.1");
  CHECK(n->license == "LicenseRef-llama3.1");
  n = spdx::parse("DocumentRef-spdx-tool-1.2:LicenseRef-MIT-Style-2");
  CHECK(n->license == "DocumentRef-spdx-tool-1.2:LicenseRef-MIT-Style-2");
}

TEST_CASE("spdx: precedence WITH > AND > OR and right grouping") {
  auto n = spdx::parse("MIT OR Apache-2.0 AND BSD-3-Clause");
  REQUIRE(n->kind == spdx::Node::Kind::conjunction);
  CHECK_FALSE(n->is_and);
  CHECK(n->left->license == "MIT");
  CHECK(n->right->is_and);
  n = spdx::parse("MIT AND Apache-2.0 OR BSD-3-Clause");
  CHECK_FALSE(n->is_and);
  CHECK(n->left->is_and);
  n = spdx::parse("A AND B AND C");
  CHECK(n->left->license == "A");
  CHECK(n->right->is_and);
  CHECK(n->right->left->license == "B");
  n = spdx::parse("(MIT OR Apache-2.0) AND GPL-2.0-only WITH Classpath-exception-2.0");
  CHECK(n->is_and);
  CHECK_FALSE(n->left->is_and);
  CHECK(n->right->exception == "Classpath-exception-2.0");
}

TEST_CASE("spdx: operators are case-insensitive and output is canonical") {
  CHECK(round_trip("mit or apache-2.0") == "mit OR apache-2.0");
  CHECK(round_trip("MIT  and\t(Apache-2.0 Or BSD-2-Clause)") == "MIT AND (Apache-2.0 OR BSD-2-Clause)");
  CHECK(round_trip("((MIT))") == "MIT");
  CHECK(round_trip("(MIT AND Apache-2.0) AND ISC") == "(MIT AND Apache-2.0) AND ISC");
  CHECK(round_trip("MIT AND (Apache-2.0 AND ISC)") == "MIT AND Apache-2.0 AND ISC");
  CHECK(round_trip("GPL-2.0+ with Classpath-exception-2.0") == "GPL-2.0+ WITH Classpath-exception-2.0");
  CHECK(spdx::leaves(*spdx::parse("A OR (B AND C+)")).size() == 3);
}

TEST_CASE("spdx: invalid expressions give the column") {
  struct Bad {
    const char* expr;
    const char* expect;
  };
  const Bad cases[] = {
      {"", "column 1: empty expression"},
      {"   ", "column 1: empty expression"},
      {"MIT AND", "column 8: expected a license id, found end of expression"},
      {"AND MIT", "column 1: expected a license id, found 'AND'"},
      {"MIT OR OR Apache-2.0", "column 8: expected a license id, found 'OR'"},
      {"(MIT", "column 5: expected ')' to close the '(' at column 1"},
      {"MIT)", "column 4: unexpected ')'"},
      {"MIT Apache-2.0", "column 5: unexpected 'Apache-2.0'"},
      {"MIT WITH", "column 9: expected a license exception id after WITH"},
      {"MIT WITH AND", "column 10: expected a license exception id after WITH"},
      {"MIT +", "column 5: '+' must follow a license id directly"},
      {"+MIT", "column 1: '+' must follow a license id directly"},
      {"MIT/Apache-2.0", "column 4: unexpected character '/'"},
      {"MIT, Apache-2.0", "column 4: unexpected character ','"},
      {"LicenseRef-", "column 12: expected an idstring after LicenseRef-"},
      {"LicenseRef-x+", "column 13: '+' cannot follow a LicenseRef"},
      {"DocumentRef-a:MIT", "column 15: expected LicenseRef-ID after 'DocumentRef-a:'"},
      {"MIT:Apache", "column 4: ':' is only allowed in DocumentRef-ID:LicenseRef-ID"},
      {"()", "column 2: expected a license id, found ')'"},
      {"MIT AND (Apache-2.0 OR)", "column 23: expected a license id, found ')'"},
  };
  for (const auto& c : cases) {
    INFO(c.expr);
    std::string err = error_of(c.expr);
    CHECK_THAT(err, Catch::Contains(c.expect));
    CHECK_THAT(err, Catch::Contains(std::string("'") + c.expr + "'"));
  }
}

TEST_CASE("spdx: random inputs either parse and round-trip, or fail with a column") {
  const std::string alphabet[] = {"MIT", "Apache-2.0", "GPL-2.0", "LicenseRef-x", "DocumentRef-d:LicenseRef-y", "AND", "and",
                                  "OR",  "WITH",       "(",       ")",            "+",   " ",   ":",   "/", "LLVM-exception"};
  uint64_t state = 12345;
  auto next = [&] {
    state = state * 6364136223846793005ull + 1442695040888963407ull;
    return static_cast<size_t>(state >> 33);
  };
  size_t parsed = 0;
  for (int i = 0; i < 5000; ++i) {
    std::string e;
    const size_t n = 1 + next() % 9;
    for (size_t k = 0; k < n; ++k) e += alphabet[next() % std::size(alphabet)] + std::string(next() % 2 ? " " : "");
    try {
      auto tree = spdx::parse(e);
      std::string text = spdx::to_string(*tree);
      CHECK(spdx::to_json(*spdx::parse(text)) == spdx::to_json(*tree));
      ++parsed;
    } catch (const InputError& err) {
      CHECK_THAT(std::string(err.what()), Catch::Contains(": column "));
    }
  }
  CHECK(parsed > 50);
}
