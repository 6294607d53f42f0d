// Properties of whole merges in memory, on small generated checkpoints.
#include <ATen/Parallel.h>
#include <catch2/catch.hpp>

#include "common/error.h"
#include "merge/merger.h"
#include "support.h"

using namespace hallmark;
using namespace hallmark::merge;
using namespace hallmark::merge::test;

namespace {

struct World {
  ScratchDir dir;
  Tensors base = llama_tensors(1, 3, 8, 16), a = llama_tensors(2, 3, 8, 16), b = llama_tensors(3, 3, 8, 16);
  World() {
    write_checkpoint(dir / "base", base, llama_config(3, 8, 16));
    write_checkpoint(dir / "a", a, llama_config(3, 8, 16));
    write_checkpoint(dir / "b", b, llama_config(3, 8, 16));
  }
  Child merge(const std::string& yaml, uint64_t seed = 0, bool allow_nonfinite = false) const {
    const Recipe r = parse_recipe(yaml, "r.yaml", dir.path());
    return merge_in_memory(r, Parents::open_for(r), MergeOptions{seed, allow_nonfinite});
  }
};

bool same(const Child& x, const Child& y) {
  if (x.tensors.size() != y.tensors.size()) return false;
  for (const auto& [name, t] : x.tensors)
    if (!y.tensors.count(name) || !t.equal(y.tensors.at(name))) return false;
  return true;
}

double max_error(const Child& x, const Child& y) {
  double worst = 0;
  for (const auto& [name, t] : x.tensors) worst = std::max(worst, relative_error(t, y.tensors.at(name)));
  return worst;
}

std::string gta(const std::string& method, const std::string& a_params, const std::string& b_params,
                const std::string& globals = "{}", bool swap = false) {
  std::string ma = "  - model: a\n    parameters: " + a_params + "\n";
  std::string mb = b_params.empty() ? "" : "  - model: b\n    parameters: " + b_params + "\n";
  return "merge_method: " + method + "\nbase_model: base\nparameters: " + globals + "\nmodels:\n" +
         (swap ? mb + ma : ma + mb);
}

}  // namespace

TEST_CASE("linear with one weight 1 returns that model") {
  World w;
  const Child c = w.merge("merge_method: linear\nmodels:\n  - model: a\n    parameters: {weight: 0}\n"
                          "  - model: b\n    parameters: {weight: 1}\n");
  REQUIRE(c.tensors.size() == w.b.size());
  for (const auto& [name, t] : w.b) CHECK(c.tensors.at(name).equal(t));
  CHECK(c.attribution.parents.size() == 2);
  CHECK(c.attribution.parents[0].model == "a");
  CHECK_FALSE(c.attribution.parents[0].contributes());
  CHECK(c.attribution.parents[1].share == Approx(1.0));
}

TEST_CASE("ties with density 1 and one model equals task_arithmetic") {
  World w;
  const Child ties = w.merge(gta("ties", "{weight: 0.7, density: 1}", ""));
  const Child ta = w.merge(gta("task_arithmetic", "{weight: 0.7}", "", "{normalize: true}"));
  CHECK(same(ties, ta));
  const Child ties_plain = w.merge(gta("ties", "{weight: 0.7, density: 1}", "", "{normalize: false}"));
  const Child ta_plain = w.merge(gta("task_arithmetic", "{weight: 0.7}", ""));
  CHECK(same(ties_plain, ta_plain));
  CHECK_FALSE(same(ties, ta_plain));
}

TEST_CASE("DARE with density 1 equals task_arithmetic") {
  World w;
  const Child ta = w.merge(gta("task_arithmetic", "{weight: 0.6}", "{weight: 0.5}"));
  CHECK(same(w.merge(gta("dare_linear", "{weight: 0.6, density: 1}", "{weight: 0.5, density: 1}"), 5), ta));
  const Child ta_one = w.merge(gta("task_arithmetic", "{weight: 0.6}", ""));
  CHECK(same(w.merge(gta("dare_ties", "{weight: 0.6, density: 1}", ""), 5), ta_one));
}

TEST_CASE("merges that should not depend on the parents' order do not") {
  World w;
  for (const char* method : {"task_arithmetic", "ties", "dare_ties", "dare_linear", "breadcrumbs",
                             "breadcrumbs_ties", "della", "della_linear"}) {
    INFO(method);
    const std::string pa = "{weight: 0.6, density: 0.5, epsilon: 0.1}";
    const std::string pb = "{weight: 0.3, density: 0.7, epsilon: 0.2}";
    const std::string g = "{}";
    const std::string ya = std::string(method).find("della") != std::string::npos
                               ? gta(method, pa, pb, g)
                               : gta(method, "{weight: 0.6, density: 0.5}", "{weight: 0.3, density: 0.7}", g);
    const std::string yb = std::string(method).find("della") != std::string::npos
                               ? gta(method, pa, pb, g, true)
                               : gta(method, "{weight: 0.6, density: 0.5}", "{weight: 0.3, density: 0.7}", g, true);
    CHECK(max_error(w.merge(ya, 11), w.merge(yb, 11)) < 1e-6);
  }
  const Child l1 = w.merge("merge_method: linear\nmodels:\n  - model: a\n    parameters: {weight: 0.2}\n"
                           "  - model: b\n    parameters: {weight: 0.8}\n");
  const Child l2 = w.merge("merge_method: linear\nmodels:\n  - model: b\n    parameters: {weight: 0.8}\n"
                           "  - model: a\n    parameters: {weight: 0.2}\n");
  CHECK(max_error(l1, l2) < 1e-6);
  const Child m1 = w.merge("merge_method: model_stock\nbase_model: base\nmodels:\n  - model: a\n  - model: b\n");
  const Child m2 = w.merge("merge_method: model_stock\nbase_model: base\nmodels:\n  - model: b\n  - model: a\n");
  CHECK(max_error(m1, m2) < 1e-6);
}

TEST_CASE("the same recipe and seed give the same bytes for 1 and 2 threads; another seed differs") {
  World w;
  const int before = at::get_num_threads();
  for (const char* method : {"ties", "dare_ties", "della", "breadcrumbs_ties"}) {
    INFO(method);
    const std::string y = gta(method, "{weight: 0.6, density: 0.5}", "{weight: 0.4, density: 0.4}");
    at::set_num_threads(1);
    const Child one = w.merge(y, 3);
    at::set_num_threads(2);
    const Child two = w.merge(y, 3);
    CHECK(same(one, two));
    const bool random = std::string(method) == "dare_ties" || std::string(method) == "della";
    CHECK(same(one, w.merge(y, 4)) == !random);
  }
  at::set_num_threads(before);
}

TEST_CASE("parameter precedence: model parameters over top-level, layer gradients per layer") {
  World w;
  // Top-level weight gradient [0, 1] over 3 layers (t = 0, 0.5, 1); a's own weight overrides it.
  const Child c = w.merge("merge_method: task_arithmetic\nbase_model: base\nparameters: {weight: [0, 1]}\n"
                          "models:\n  - model: a\n  - model: b\n    parameters: {weight: 0.25}\n");
  for (int layer = 0; layer < 3; ++layer) {
    const std::string name = "model.layers." + std::to_string(layer) + ".mlp.up_proj.weight";
    const double wa = layer / 2.0;
    const at::Tensor expected = w.base.at(name) + (w.a.at(name) - w.base.at(name)) * wa +
                                (w.b.at(name) - w.base.at(name)) * 0.25;
    CHECK(relative_error(c.tensors.at(name), expected) < 1e-6);
  }
  // Outside the layers: embeddings take the first value, the rest the last.
  const auto& e = "model.embed_tokens.weight";
  CHECK(relative_error(c.tensors.at(e), w.base.at(e) + (w.b.at(e) - w.base.at(e)) * 0.25) < 1e-6);
}

TEST_CASE("passthrough slices stack layers from several models") {
  World w;
  const Child c = w.merge("slices:\n  - sources:\n      - model: a\n        layer_range: [0, 2]\n"
                          "  - sources:\n      - model: b\n        layer_range: [1, 3]\n"
                          "merge_method: passthrough\n");
  CHECK(c.config["num_hidden_layers"] == 4);
  CHECK(c.tensors.at("model.layers.1.self_attn.q_proj.weight").equal(w.a.at("model.layers.1.self_attn.q_proj.weight")));
  CHECK(c.tensors.at("model.layers.2.self_attn.q_proj.weight").equal(w.b.at("model.layers.1.self_attn.q_proj.weight")));
  CHECK(c.tensors.at("model.layers.3.mlp.down_proj.weight").equal(w.b.at("model.layers.2.mlp.down_proj.weight")));
  CHECK(c.tensors.at("model.embed_tokens.weight").equal(w.a.at("model.embed_tokens.weight")));
  CHECK(c.tensors.at("lm_head.weight").equal(w.b.at("lm_head.weight")));
  CHECK(c.tensors.size() == 3 + 4 * 9);
}

TEST_CASE("parents that do not fit together are refused naming the tensor") {
  World w;
  Tensors other = w.a;
  other["model.embed_tokens.weight"] = at::zeros({20, 8});
  write_checkpoint(w.dir / "wide", other, llama_config(3, 8, 20));
  CHECK_THROWS_WITH(w.merge(gta("ties", "{weight: 1}", "") + "  - model: wide\n    parameters: {weight: 1}\n"),
                    Catch::Contains("model.embed_tokens.weight") && Catch::Contains("[20, 8]") &&
                        Catch::Contains("vocabulary"));
  Tensors extra = w.a;
  extra["model.extra.weight"] = at::zeros({2});
  write_checkpoint(w.dir / "extra", extra, llama_config(3, 8, 16));
  CHECK_THROWS_WITH(w.merge(gta("ties", "{weight: 1}", "") + "  - model: extra\n    parameters: {weight: 1}\n"),
                    Catch::Contains("model.extra.weight") && Catch::Contains("same tensor names"));
}

TEST_CASE("NaN or Inf in a parent is refused unless allowed") {
  World w;
  Tensors bad = w.a;
  bad["model.norm.weight"][3] = std::numeric_limits<float>::quiet_NaN();
  write_checkpoint(w.dir / "bad", bad, llama_config(3, 8, 16));
  const std::string y = "merge_method: linear\nmodels:\n  - model: bad\n    parameters: {weight: 1}\n";
  CHECK_THROWS_WITH(w.merge(y), Catch::Contains("model.norm.weight") && Catch::Contains("NaN or Inf"));
  const Child c = w.merge(y, 0, true);
  CHECK(std::isnan(c.tensors.at("model.norm.weight")[3].item<float>()));
}

TEST_CASE("a model without the required weight is refused") {
  World w;
  CHECK_THROWS_WITH(w.merge("merge_method: ties\nbase_model: base\nmodels:\n  - model: a\n"),
                    Catch::Contains("model a") && Catch::Contains("weight"));
  CHECK_THROWS_WITH(w.merge("merge_method: slerp\nbase_model: base\nparameters: {t: 0.5}\nmodels:\n"
                            "  - model: a\n  - model: b\n"),
                    Catch::Contains("slerp merges 1"));
}

TEST_CASE("resident parents give the same child as memory-mapped ones") {
  World w;
  const Recipe r = parse_recipe(gta("dare_ties", "{weight: 0.5, density: 0.5}", "{weight: 0.5, density: 0.3}"),
                                "r.yaml", w.dir.path());
  const Child mapped = merge_in_memory(r, Parents::open_for(r), MergeOptions{8, false});
  const Child resident = merge_in_memory(r, Parents::open_for(r, ParentOptions{"cpu", true}), MergeOptions{8, false});
  CHECK(same(mapped, resident));
  CHECK_THROWS_AS(Parents::open_for(r, ParentOptions{"tpu:7", false}), InputError);
}
