// Every merge method against small cases computed by hand.
#include <cmath>

#include <catch2/catch.hpp>

#include "merge/random.h"
#include "support.h"

using namespace hallmark::merge;
using namespace hallmark::merge::test;

namespace {

void check(const at::Tensor& actual, std::vector<float> expected) {
  INFO("actual " << actual);
  REQUIRE(actual.numel() == static_cast<int64_t>(expected.size()));
  CHECK(relative_error(actual, tensor(expected)) < 1e-6);
}

}  // namespace

TEST_CASE("the registry lists every method of the issue") {
  const auto names = method_names();
  for (const char* m : {"linear", "slerp", "nuslerp", "task_arithmetic", "ties", "dare_ties",
                        "dare_linear", "breadcrumbs", "breadcrumbs_ties", "della", "della_linear",
                        "model_stock", "passthrough"})
    CHECK(std::find(names.begin(), names.end(), m) != names.end());
  CHECK(find_method("no_such_method") == nullptr);
}

TEST_CASE("linear: weighted mean, or weighted sum without normalize") {
  auto a = tensor({1, 2}), b = tensor({3, 6});
  check(run("linear", {}, {model("linear", "a", a, {{"weight", 1.0}}),
                           model("linear", "b", b, {{"weight", 3.0}})}).tensor,
        {2.5f, 5.0f});
  check(run("linear", {}, {model("linear", "a", a, {{"weight", 1.0}}), model("linear", "b", b, {{"weight", 3.0}})},
            {{"normalize", false}}).tensor,
        {10.0f, 20.0f});
}

TEST_CASE("task_arithmetic: base plus lambda times the weighted task vectors") {
  auto base = tensor({1, 1, 1});
  auto x1 = tensor({2, 0, 1}), x2 = tensor({1, 3, 1});
  auto models = [&] {
    return std::vector<ModelTensor>{model("task_arithmetic", "a", x1, {{"weight", 0.5}}),
                                    model("task_arithmetic", "b", x2, {{"weight", 1.0}})};
  };
  auto r = run("task_arithmetic", base, models());
  check(r.tensor, {1.5f, 2.5f, 1.0f});
  REQUIRE(r.shares.size() == 2);
  CHECK(r.shares[0] == Approx(1.0));  // |0.5 * [1, -1, 0]|_1
  CHECK(r.shares[1] == Approx(2.0));
  check(run("task_arithmetic", base, models(), {{"lambda", 2.0}}).tensor, {2.0f, 4.0f, 1.0f});
}

TEST_CASE("ties: top-k trim, sign election by the sum, mean over agreeing models") {
  auto base = at::zeros({4});
  auto x1 = tensor({3, -1, 0.5f, -2}), x2 = tensor({-1, 2, 0.25f, -4});
  // k = 2 per model: x1 keeps 3, -2; x2 keeps 2, -4. Sum [3, 2, 0, -6]: signs + + + -.
  auto r = run("ties", base, {model("ties", "a", x1, {{"weight", 1.0}, {"density", 0.5}}),
                              model("ties", "b", x2, {{"weight", 1.0}, {"density", 0.5}})});
  check(r.tensor, {3, 2, 0, -3});
}

TEST_CASE("ties: disagreeing signs are dropped, a zero sum elects +") {
  auto base = at::zeros({2});
  // Element 0 sums to 0 (elects +): only x1 agrees. Element 1 sums to +1: only x2 agrees.
  auto r = run("ties", base, {model("ties", "a", tensor({2, -1}), {{"weight", 1.0}}),
                              model("ties", "b", tensor({-1, 3}), {{"weight", 1.0}}),
                              model("ties", "c", tensor({-1, -1}), {{"weight", 1.0}})});
  check(r.tensor, {2, 3});
}

TEST_CASE("dare_linear: counter-based mask, rescaled by 1/density or to the L1 norm") {
  const int64_t n = 1000;
  auto base = at::zeros({n});
  auto x = at::ones({n});
  const uint64_t seed = 42;
  const at::Tensor keep = uniform_tensor(mask_stream(seed, "w", "a"), {n}).lt(0.3).to(at::kFloat);
  auto by_density = run("dare_linear", base, {model("dare_linear", "a", x, {{"weight", 1.0}, {"density", 0.3}})},
                        {{"rescale_mode", std::string("density")}}, seed, "w");
  CHECK(relative_error(by_density.tensor, keep / 0.3) < 1e-6);
  auto by_l1 = run("dare_linear", base, {model("dare_linear", "a", x, {{"weight", 1.0}, {"density", 0.3}})},
                   {}, seed, "w");
  CHECK(by_l1.tensor.sum().item<double>() == Approx(1000.0).epsilon(1e-5));
  CHECK(by_l1.tensor.ne(0).equal(keep.ne(0)));
  // About 30% kept.
  CHECK(keep.sum().item<double>() == Approx(300).margin(60));
  auto unscaled = run("dare_linear", base, {model("dare_linear", "a", x, {{"weight", 1.0}, {"density", 0.3}})},
                      {{"rescale", false}}, seed, "w");
  CHECK(unscaled.tensor.equal(keep));
}

TEST_CASE("breadcrumbs: drops the gamma largest and the smallest, keeps density") {
  auto base = at::zeros({10});
  auto x = at::arange(1, 11, at::kFloat);
  // n = 10: target 5, n_top 1, n_bottom 4 -> keeps 5..9.
  auto r = run("breadcrumbs", base, {model("breadcrumbs", "a", x, {{"weight", 1.0}, {"density", 0.5}, {"gamma", 0.1}})});
  check(r.tensor, {0, 0, 0, 0, 5, 6, 7, 8, 9, 0});
}

TEST_CASE("della: keep probability grows with the magnitude rank within the row") {
  auto base = at::zeros({1, 3});
  auto x = tensor({2, 1, 3}).reshape({1, 3});
  // Ranks by magnitude: [1, 0, 2] -> rank_norm [0.5, 0, 1] -> p = 0.4 + 0.2 * rank_norm.
  const std::vector<float> p = {0.5f, 0.4f, 0.6f};
  const uint64_t stream = mask_stream(7, "w", "a");
  std::vector<float> expected;
  for (int i = 0; i < 3; ++i) {
    const bool keep = uniform_at(stream, static_cast<uint64_t>(i)) < p[static_cast<size_t>(i)];
    expected.push_back(keep ? x.reshape({-1})[i].item<float>() / p[static_cast<size_t>(i)] : 0.0f);
  }
  auto r = run("della_linear", base,
               {model("della_linear", "a", x, {{"weight", 1.0}, {"density", 0.5}, {"epsilon", 0.1}})},
               {{"rescale_mode", std::string("density")}}, 7, "w");
  check(r.tensor.reshape({-1}), expected);
}

TEST_CASE("della: density and epsilon must leave probabilities inside (0, 1)") {
  auto base = at::zeros({4});
  CHECK_THROWS_WITH(run("della", base, {model("della", "a", at::ones({4}), {{"weight", 1.0}, {"density", 0.1}, {"epsilon", 0.2}})}),
                    Catch::Contains("density - epsilon"));
}

TEST_CASE("slerp: spherical between orthogonal vectors, linear when colinear") {
  auto r = run("slerp", tensor({1, 0}), {model("slerp", "b", tensor({0, 1}))}, {{"t", 0.5}});
  const float h = static_cast<float>(std::sqrt(0.5));
  check(r.tensor, {h, h});
  check(run("slerp", tensor({1, 1}), {model("slerp", "b", tensor({2, 2}))}, {{"t", 0.25}}).tensor, {1.25f, 1.25f});
  check(run("slerp", tensor({1, 0}), {model("slerp", "b", tensor({0, 1}))}, {{"t", 0.0}}).tensor, {1, 0});
}

TEST_CASE("nuslerp: t = w1 / (w0 + w1), optional base") {
  auto r = run("nuslerp", {}, {model("nuslerp", "a", tensor({1, 0}), {{"weight", 1.0}}),
                               model("nuslerp", "b", tensor({0, 2}), {{"weight", 1.0}})});
  const float h = static_cast<float>(std::sqrt(0.5));
  check(r.tensor, {h, 2 * h});
  auto with_base = run("nuslerp", tensor({1, 1}), {model("nuslerp", "a", tensor({2, 1}), {{"weight", 1.0}}),
                                                   model("nuslerp", "b", tensor({1, 3}), {{"weight", 1.0}})});
  check(with_base.tensor, {1 + h, 1 + 2 * h});
}

TEST_CASE("model_stock: t = N cos / (1 + (N - 1) cos) between the average and the base") {
  auto r = run("model_stock", at::zeros({2}), {model("model_stock", "a", tensor({2, 0})),
                                              model("model_stock", "b", tensor({1, 1}))});
  const double c = std::sqrt(0.5);
  const double t = 2 * c / (1 + c);
  check(r.tensor, {static_cast<float>(1.5 * t), static_cast<float>(0.5 * t)});
  // Orthogonal task vectors: t = 0, the base.
  check(run("model_stock", tensor({1, 1}), {model("model_stock", "a", tensor({2, 1})),
                                            model("model_stock", "b", tensor({1, 2}))}).tensor,
        {1, 1});
}

TEST_CASE("passthrough: the model's tensor, optionally scaled") {
  auto x = tensor({1, -2, 3});
  CHECK(run("passthrough", {}, {model("passthrough", "a", x)}).tensor.equal(x));
  check(run("passthrough", {}, {model("passthrough", "a", x, {{"scale", 2.0}})}).tensor, {2, -4, 6});
}

TEST_CASE("ties: equal magnitudes at the threshold keep the lowest indices") {
  auto base = at::zeros({6});
  // |d| = [1, 2, 1, 1, 2, 1], k = 3: both 2s and the first 1.
  auto r = run("ties", base, {model("ties", "a", tensor({1, -2, -1, 1, 2, 1}), {{"weight", 1.0}, {"density", 0.5}})});
  check(r.tensor, {1, -2, 0, 0, 2, 0});
  // The same through the ATen path (a non-contiguous input skips the CPU fast path).
  auto x = tensor({1, -2, -1, 1, 2, 1}).reshape({2, 3}).t();
  auto r2 = run("ties", at::zeros({3, 2}), {model("ties", "a", x, {{"weight", 1.0}, {"density", 0.5}})});
  check(r2.tensor.t().reshape({-1}), {1, -2, 0, 0, 2, 0});
}

TEST_CASE("the CPU fast paths give the ATen path's results") {
  at::manual_seed(5);
  // Rounded to 1/8 so that many magnitudes tie at the thresholds.
  auto rounded = [](at::Tensor t) { return (t * 8).round() / 8; };
  const at::Tensor base = rounded(at::randn({64, 48})), a = rounded(at::randn({64, 48})), b = rounded(at::randn({64, 48}));
  auto strided = [](const at::Tensor& t) { return t.t().contiguous().t(); };  // same values, not contiguous
  for (const char* method : {"linear", "task_arithmetic", "ties", "dare_ties", "dare_linear", "breadcrumbs",
                             "breadcrumbs_ties"}) {
    for (const char* mode : {"l1", "density"}) {
      INFO(method << " " << mode);
      const bool base_used = std::string(method) != "linear";
      std::map<std::string, ParamValue> globals;
      if (base_used) globals["rescale_mode"] = std::string(mode);
      if (std::string(method) == "breadcrumbs") globals["rescale"] = true;
      auto models = [&](auto f) {
        return std::vector<ModelTensor>{
            model(method, "a", f(a), {{"weight", 0.7}, {"density", 0.4}, {"gamma", 0.05}}),
            model(method, "b", f(b), {{"weight", 0.5}, {"density", 0.6}, {"gamma", 0.1}})};
      };
      auto same = [](const at::Tensor& t) { return t; };
      const auto fast = run(method, base_used ? base : at::Tensor(), models(same), globals, 3);
      const auto slow = run(method, base_used ? strided(base) : at::Tensor(), models(strided), globals, 3);
      CHECK(relative_error(fast.tensor, slow.tensor) < 1e-6);
      REQUIRE(fast.shares.size() == slow.shares.size());
      for (size_t i = 0; i < fast.shares.size(); ++i) CHECK(fast.shares[i] == Approx(slow.shares[i]).epsilon(1e-5));
    }
  }
}

TEST_CASE("the CPU fast paths write into the caller's buffer when it fits") {
  at::manual_seed(6);
  const at::Tensor base = at::randn({40, 70}), a = at::randn({40, 70}), b = at::randn({40, 70});
  for (const char* method : {"linear", "task_arithmetic", "ties", "dare_ties", "breadcrumbs_ties"}) {
    for (const auto dtype : {at::kFloat, at::kBFloat16}) {
      INFO(method << " " << dtype);
      MergeArgs args;
      args.tensor_name = "w";
      args.seed = 4;
      args.out_dtype = dtype;
      args.globals = params(method, ParamScope::Global);
      if (std::string(method) != "linear") args.base = base;
      args.models = {model(method, "a", a, {{"weight", 0.6}, {"density", 0.5}}),
                     model(method, "b", b, {{"weight", 0.4}, {"density", 0.5}})};
      const at::Tensor fresh = find_method(method)->merge(args).tensor;
      args.out = at::full({40, 70}, 7.0, at::TensorOptions().dtype(dtype));
      const at::Tensor reused = find_method(method)->merge(args).tensor;
      CHECK(reused.data_ptr() == args.out.data_ptr());
      CHECK(reused.equal(fresh));
      // A buffer of the wrong shape is left alone.
      args.out = at::full({70, 40}, 7.0, at::TensorOptions().dtype(dtype));
      const at::Tensor other = find_method(method)->merge(args).tensor;
      CHECK(other.data_ptr() != args.out.data_ptr());
      CHECK(other.equal(fresh));
      CHECK(args.out.eq(7.0).all().item<bool>());
    }
  }
}

TEST_CASE("magnitude ties at the threshold spread over many blocks keep the lowest indices") {
  at::manual_seed(8);
  // Quarter steps: thousands of equal magnitudes, kept ties ending inside some block.
  auto coarse = [](at::Tensor t) { return (t * 4).round() / 4; };
  const at::Tensor base = coarse(at::randn({300, 101})), a = coarse(at::randn({300, 101}));
  auto strided = [](const at::Tensor& t) { return t.t().contiguous().t(); };
  for (const char* method : {"ties", "breadcrumbs_ties"}) {
    for (const double density : {0.1, 0.37, 0.5, 0.8}) {
      INFO(method << " density " << density);
      const std::map<std::string, ParamValue> p = {{"weight", 1.0}, {"density", density}, {"gamma", 0.02}};
      const auto fast = run(method, base, {model(method, "a", a, p)});
      const auto slow = run(method, strided(base), {model(method, "a", strided(a), p)});
      CHECK(fast.tensor.equal(slow.tensor));
    }
  }
}
