// Lineage records: built with the recipe digest and versions, round-tripped through JSON.
#include <catch2/catch.hpp>

#include "common/error.h"
#include "common/version.h"
#include "provenance/lineage.h"
#include "provenance/manifest.h"

using namespace hallmark;
using namespace hallmark::provenance;

namespace {

Lineage sample() {
  const std::string recipe =
      "merge_method: ties\nbase_model: base\nmodels:\n  - model: a\n    parameters: {weight: "
      "0.7, density: 0.5}\n";
  Lineage l = make_lineage({{"org/a", sha256_hex("a"), "apache-2.0", 0.7},
                            {"./local/b", sha256_hex("b"), std::nullopt, 0.3}},
                           recipe, 42, "cuda:0", "2.3.1");
  l.child_root_digest = sha256_hex("child");
  return l;
}

}  // namespace

TEST_CASE("make_lineage fills the recipe digest and hallmark version", "[lineage]") {
  Lineage l = sample();
  CHECK(l.recipe_sha256 == sha256_hex(l.recipe));
  CHECK(l.hallmark_version == version());
  CHECK(l.libtorch_version == "2.3.1");
  CHECK(l.seed == 42);
  CHECK_THROWS_AS(make_lineage({{"p", "not-a-digest", std::nullopt, 1.0}}, "r", 0, "cpu", "x"),
                  InputError);
  CHECK_THROWS_AS(make_lineage({{"p", sha256_hex("p"), std::nullopt, 1.5}}, "r", 0, "cpu", "x"),
                  InputError);
}

TEST_CASE("lineage JSON round trip", "[lineage]") {
  Lineage l = sample();
  nlohmann::json j = to_json(l);
  CHECK(j["format_version"] == kLineageFormatVersion);
  CHECK(j["parents"][1]["license"].is_null());
  Lineage back = lineage_from_json(nlohmann::json::parse(j.dump()));
  CHECK(to_json(back).dump() == j.dump());
  REQUIRE(back.parents.size() == 2);
  CHECK(back.parents[0].name == "org/a");
  CHECK(back.parents[0].license == "apache-2.0");
  CHECK_FALSE(back.parents[1].license);
  CHECK(back.parents[1].contribution == 0.3);
  CHECK(back.recipe == l.recipe);
  CHECK(back.seed == 42);
  CHECK(back.device == "cuda:0");
  CHECK(back.child_root_digest == l.child_root_digest);

  // Seeds use the full 64-bit range.
  l.seed = UINT64_MAX;
  CHECK(lineage_from_json(to_json(l)).seed == UINT64_MAX);
}

TEST_CASE("a lineage whose recipe does not match its digest fails the check", "[lineage]") {
  nlohmann::json j = to_json(sample());
  j["recipe"] = "merge_method: linear\n";
  CHECK_THROWS_AS(lineage_from_json(j), CheckFailed);
}

TEST_CASE("malformed lineage records are bad input", "[lineage]") {
  nlohmann::json good = to_json(sample());
  auto with = [&](auto edit) {
    nlohmann::json j = good;
    edit(j);
    return j;
  };
  CHECK_THROWS_WITH(lineage_from_json(with([](auto& j) { j["format_version"] = 2; })),
                    Catch::Contains("newer"));
  CHECK_THROWS_WITH(lineage_from_json(with([](auto& j) { j.erase("seed"); })),
                    Catch::Contains("'seed'"));
  CHECK_THROWS_AS(lineage_from_json(with([](auto& j) { j["seed"] = -1; })), InputError);
  CHECK_THROWS_AS(lineage_from_json(with([](auto& j) { j["parents"][0]["root_digest"] = "x"; })),
                  InputError);
  CHECK_THROWS_AS(lineage_from_json(with([](auto& j) { j["device"] = 3; })), InputError);
}
