#include "merge/src/finite.h"

#include <ATen/ATen.h>

#include <limits>

#include <catch2/catch.hpp>

namespace hallmark::merge {
namespace {

TEST_CASE("all_finite finds one NaN or Inf anywhere, in every merge dtype") {
  const float inf = std::numeric_limits<float>::infinity();
  for (const auto dtype : {at::kFloat, at::kBFloat16, at::kHalf}) {
    INFO(dtype);
    // Large finite values have every exponent bit but one set: they must pass.
    const double largest = dtype == at::kHalf ? 65504.0 : (dtype == at::kBFloat16 ? 3.38e38 : 3.4e38);
    at::Tensor t = at::full({3, 100003}, largest, at::TensorOptions().dtype(dtype));
    t[1][5] = -largest;
    CHECK(all_finite(t));
    CHECK(all_finite(t.t()));  // not contiguous: the ATen path
    for (const float bad : {std::numeric_limits<float>::quiet_NaN(), inf, -inf}) {
      for (const int64_t where : {int64_t{0}, int64_t{150000}, int64_t{300008}}) {
        at::Tensor u = t.clone();
        u.view({-1})[where] = bad;
        CHECK_FALSE(all_finite(u));
        CHECK_FALSE(all_finite(u.t()));
      }
    }
  }
}

}  // namespace
}  // namespace hallmark::merge
