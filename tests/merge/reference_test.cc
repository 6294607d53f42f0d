// Every method against the independent Python reference (tests/merge/reference_merge.py,
// written from mergekit's formulas), fp32, random tensors and random masks.
#include <catch2/catch.hpp>

#include "checkpoint/aten.h"
#include "checkpoint/safetensors.h"
#include "merge/merger.h"
#include "support.h"

using namespace hallmark;
using namespace hallmark::merge;
using namespace hallmark::merge::test;

namespace {

struct Case {
  const char* name;
  const char* yaml;
};

const Case kCases[] = {
    {"linear", "merge_method: linear\nmodels:\n  - model: a\n    parameters: {weight: [0.3, 0.9]}\n"
               "  - model: b\n    parameters: {weight: 0.7}\n"},
    {"linear unnormalized with filters",
     "merge_method: linear\nparameters:\n  normalize: false\n  weight:\n    - filter: mlp\n      value: 0.2\n"
     "    - value: 0.5\nmodels:\n  - model: a\n  - model: b\n"},
    {"slerp", "merge_method: slerp\nbase_model: base\nmodels:\n  - model: a\nparameters:\n  t:\n"
              "    - filter: self_attn\n      value: [0.1, 0.5, 0.9]\n    - value: 0.3\n"},
    {"nuslerp with base", "merge_method: nuslerp\nbase_model: base\nmodels:\n  - model: a\n    parameters: {weight: 0.3}\n"
                          "  - model: b\n    parameters: {weight: 0.6}\n"},
    {"nuslerp row-wise", "merge_method: nuslerp\nparameters: {nuslerp_flatten: false, nuslerp_row_wise: true}\n"
                         "models:\n  - model: a\n    parameters: {weight: 0.4}\n  - model: b\n    parameters: {weight: 0.6}\n"},
    {"task_arithmetic", "merge_method: task_arithmetic\nbase_model: base\nparameters: {lambda: 0.8}\nmodels:\n"
                        "  - model: a\n    parameters: {weight: [0.2, 1.0]}\n  - model: b\n    parameters: {weight: -0.4}\n"},
    {"ties", "merge_method: ties\nbase_model: base\nmodels:\n  - model: base\n  - model: a\n    parameters: {weight: 0.7, density: 0.5}\n"
             "  - model: b\n    parameters: {weight: 0.5, density: [0.2, 0.6]}\n"},
    {"dare_ties", "merge_method: dare_ties\nbase_model: base\nmodels:\n  - model: a\n    parameters: {weight: 0.6, density: 0.6}\n"
                  "  - model: b\n    parameters: {weight: 0.5, density: 0.4}\n"},
    {"dare_linear by density", "merge_method: dare_linear\nbase_model: base\nparameters: {rescale_mode: density}\nmodels:\n"
                               "  - model: a\n    parameters: {weight: 0.6, density: 0.3}\n  - model: b\n    parameters: {weight: 0.5, density: 0.8}\n"},
    {"breadcrumbs", "merge_method: breadcrumbs\nbase_model: base\nmodels:\n  - model: a\n    parameters: {weight: 0.6, density: 0.8, gamma: 0.05}\n"
                    "  - model: b\n    parameters: {weight: 0.5, density: 0.5, gamma: 0.1}\n"},
    {"breadcrumbs_ties", "merge_method: breadcrumbs_ties\nbase_model: base\nparameters: {normalize: true}\nmodels:\n"
                         "  - model: a\n    parameters: {weight: 0.6, density: 0.7}\n  - model: b\n    parameters: {weight: 0.5, density: 0.6}\n"},
    {"della", "merge_method: della\nbase_model: base\nparameters: {lambda: 1.1}\nmodels:\n"
              "  - model: a\n    parameters: {weight: 0.6, density: 0.5, epsilon: 0.1}\n  - model: b\n    parameters: {weight: 0.5, density: 0.4}\n"},
    {"della_linear by density", "merge_method: della_linear\nbase_model: base\nparameters: {rescale_mode: density}\nmodels:\n"
                                "  - model: a\n    parameters: {weight: 0.6, density: 0.5}\n  - model: b\n    parameters: {weight: 0.5, density: 0.3, epsilon: 0.05}\n"},
    {"model_stock", "merge_method: model_stock\nbase_model: base\nmodels:\n  - model: a\n  - model: b\n"},
    {"model_stock filter-wise", "merge_method: model_stock\nbase_model: base\nparameters: {filter_wise: true}\nmodels:\n"
                                "  - model: a\n  - model: b\n"},
    {"passthrough", "merge_method: passthrough\nmodels:\n  - model: a\n    parameters: {scale: 0.5}\n"},
};

}  // namespace

TEST_CASE("every method matches the Python reference within 1e-6 (fp32)") {
  if (!python_has_torch()) {
    WARN("/usr/bin/python3 lacks torch, numpy or yaml: reference comparison skipped");
    return;
  }
  ScratchDir dir;
  for (const auto& [name, seed] : {std::pair{"base", 21}, {"a", 22}, {"b", 23}}) {
    Tensors t = llama_tensors(static_cast<uint64_t>(seed), 3, 16, 32);
    write_checkpoint(dir / name, t, llama_config(3, 16, 32));
  }
  const uint64_t mask_seed = 1234;
  for (const auto& c : kCases) {
    INFO(c.name);
    const auto recipe_path = write_text(dir / "recipe.yaml", c.yaml);
    const Recipe recipe = parse_recipe_file(recipe_path);
    const Child child = merge_in_memory(recipe, Parents::open_for(recipe), MergeOptions{mask_seed, false});
    std::string output;
    const int status = run_command("/usr/bin/python3 " HALLMARK_SOURCE_DIR "/tests/merge/reference_merge.py " +
                                       recipe_path + " " + (dir / "expected.safetensors").string() +
                                       " --seed " + std::to_string(mask_seed),
                                   &output);
    INFO(output);
    REQUIRE(status == 0);
    const auto expected = checkpoint::SafetensorsFile::open(dir / "expected.safetensors");
    REQUIRE(expected.tensors().size() == child.tensors.size());
    double worst = 0;
    std::string worst_name;
    for (const auto& info : expected.tensors()) {
      const double e = relative_error(child.tensors.at(info.name), checkpoint::load_tensor(expected, info));
      if (e > worst) worst = e, worst_name = info.name;
    }
    INFO("worst tensor " << worst_name);
    CHECK(worst <= 1e-6);
  }
}
