// Reading mergekit recipes: the format as is, and every bad input as one located error.
#include <catch2/catch.hpp>

#include "common/error.h"
#include "merge/recipe.h"

using namespace hallmark;
using namespace hallmark::merge;

namespace {

Recipe parse(const std::string& yaml) { return parse_recipe(yaml, "r.yaml", "/tmp"); }

}  // namespace

TEST_CASE("a mergekit ties recipe is read as is") {
  const Recipe r = parse(R"(models:
  - model: base
  - model: a
    parameters:
      density: [1, 0.7, 0.1]
      weight: 1.0
  - model: b
    parameters:
      density: 0.5
      weight: [0, 0.3, 0.7, 1]
merge_method: ties
base_model: base
parameters:
  normalize: true
  int8_mask: true
dtype: float16
)");
  CHECK(r.merge_method == "ties");
  CHECK(r.base_model == std::optional<std::string>("base"));
  REQUIRE(r.models.size() == 3);
  CHECK(r.models[1].parameters.at("density").kind == ParamSetting::Kind::Gradient);
  CHECK(r.dtype == std::optional<std::string>("float16"));
  CHECK(r.model_refs() == std::vector<std::string>{"base", "a", "b"});
}

TEST_CASE("gradients interpolate over the layer position, filters pick by name") {
  const Recipe r = parse(R"(merge_method: slerp
base_model: a
models:
  - model: b
parameters:
  t:
    - filter: self_attn
      value: [0, 0.5, 0.3, 0.7, 1]
    - filter: mlp
      value: [1, 0.5, 0.7, 0.3, 0]
    - value: 0.5
)");
  const ParamSetting& t = r.parameters.at("t");
  auto number = [](std::optional<ParamValue> v) { return std::get<double>(*v); };
  CHECK(number(t.evaluate("model.layers.0.self_attn.q_proj.weight", 0.0)) == Approx(0.0));
  CHECK(number(t.evaluate("model.layers.3.self_attn.q_proj.weight", 0.125)) == Approx(0.25));
  CHECK(number(t.evaluate("model.layers.3.mlp.up_proj.weight", 0.75)) == Approx(0.3));
  CHECK(number(t.evaluate("model.norm.weight", 1.0)) == Approx(0.5));
}

TEST_CASE("unknown keys are errors naming key and file:line:col") {
  CHECK_THROWS_WITH(parse("merge_method: linear\nmodels:\n  - model: a\nbase_modell: x\n"),
                    Catch::Contains("r.yaml:4:1") && Catch::Contains("base_modell"));
  CHECK_THROWS_WITH(parse("merge_method: ties\nbase_model: a\nmodels:\n  - model: b\nparameters:\n"
                          "  allow_negative_neights: true\n"),
                    Catch::Contains("r.yaml:6:3") && Catch::Contains("allow_negative_neights"));
  CHECK_THROWS_WITH(parse("merge_method: linear\nmodels:\n  - model: a\n    paramters: {weight: 1}\n"),
                    Catch::Contains("r.yaml:4:5") && Catch::Contains("paramters"));
}

TEST_CASE("unknown methods, out-of-range values and misplaced parameters are errors") {
  CHECK_THROWS_WITH(parse("merge_method: tiez\nmodels:\n  - model: a\n"),
                    Catch::Contains("r.yaml:1:15") && Catch::Contains("unknown merge_method 'tiez'"));
  CHECK_THROWS_WITH(parse("merge_method: ties\nbase_model: a\nmodels:\n  - model: b\n    parameters:\n"
                          "      weight: 1\n      density: 1.5\n"),
                    Catch::Contains("r.yaml:7:16") && Catch::Contains("density") &&
                        Catch::Contains("out of range [0, 1]"));
  CHECK_THROWS_WITH(parse("merge_method: ties\nbase_model: a\nmodels:\n  - model: b\n    parameters:\n"
                          "      weight: [1, -20]\n"),
                    Catch::Contains("r.yaml:6:19") && Catch::Contains("weight"));
  CHECK_THROWS_WITH(parse("merge_method: ties\nbase_model: a\nmodels:\n  - model: b\n    parameters:\n"
                          "      normalize: true\n"),
                    Catch::Contains("r.yaml:6:7") && Catch::Contains("whole merge"));
  CHECK_THROWS_WITH(parse("merge_method: ties\nmodels:\n  - model: b\n"), Catch::Contains("needs a base_model"));
  CHECK_THROWS_WITH(parse("merge_method: ties\nbase_model: a\nparameters:\n  rescale_mode: l2\n"),
                    Catch::Contains("rescale_mode") && Catch::Contains("l1, density"));
  CHECK_THROWS_WITH(parse("merge_method: [\n"), Catch::Contains("r.yaml:") && Catch::Contains("not valid YAML"));
  CHECK_THROWS_AS(parse("merge_method: linear\nmodels:\n  - model: a\ndtype: int8\n"), InputError);
}

TEST_CASE("slices with layer ranges are read") {
  const Recipe r = parse(R"(slices:
  - sources:
      - model: a
        layer_range: [0, 2]
  - sources:
      - model: b
        layer_range: [1, 3]
merge_method: passthrough
dtype: bfloat16
)");
  REQUIRE(r.slices.size() == 2);
  CHECK(r.slices[1].sources[0].layer_range == std::make_pair<int64_t, int64_t>(1, 3));
  CHECK_THROWS_WITH(parse("slices:\n  - sources:\n      - model: a\n        layer_range: [3, 1]\n"
                          "merge_method: passthrough\n"),
                    Catch::Contains("r.yaml:4:22") && Catch::Contains("layer_range"));
}

TEST_CASE("the example recipes are valid") {
  size_t count = 0;
  for (const auto& entry : std::filesystem::directory_iterator(HALLMARK_SOURCE_DIR "/examples/recipes")) {
    if (entry.path().extension() != ".yaml") continue;
    INFO(entry.path());
    CHECK_NOTHROW(parse_recipe_file(entry.path()));
    ++count;
  }
  CHECK(count >= 5);
}
