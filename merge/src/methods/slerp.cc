// SLERP (Shoemake 1985) between the base (t = 0) and one other model, over the flattened
// tensors; nearly colinear tensors (|cos| > 0.9995) fall back to linear interpolation.
#include <cmath>

#include <ATen/ATen.h>

#include "merge/method.h"
#include "merge/src/param_specs.h"

namespace hallmark::merge {
namespace {

constexpr double kDotThreshold = 0.9995;
constexpr double kNormEps = 1e-8;

class Slerp : public Method {
 public:
  Slerp() {
    info_.name = "slerp";
    info_.base = BaseRole::Required;
    info_.min_models = info_.max_models = 1;
    info_.params = {specs::t()};
  }
  const MethodInfo& info() const override { return info_; }

  MergeResult merge(const MergeArgs& args) const override {
    const double t = args.globals.number("t");
    const at::Tensor v0 = args.base.to(at::kFloat);
    const at::Tensor v1 = args.models[0].tensor.to(at::kFloat);
    // The cosine of the normalized copies (a norm below eps leaves the copy unnormalized).
    double n0 = v0.norm().item<double>(), n1 = v1.norm().item<double>();
    if (n0 <= kNormEps) n0 = 1;
    if (n1 <= kNormEps) n1 = 1;
    const double dot = (v0 * v1).sum().item<double>() / (n0 * n1);
    double s0 = 1 - t, s1 = t;
    if (std::abs(dot) <= kDotThreshold) {
      const double theta = std::acos(dot);
      s0 = std::sin((1 - t) * theta) / std::sin(theta);
      s1 = std::sin(t * theta) / std::sin(theta);
    }
    MergeResult result;
    result.tensor = v0 * s0 + v1 * s1;
    if (args.want_shares) result.shares = {v1.abs().sum().item<double>() * std::abs(s1)};
    return result;
  }

 private:
  MethodInfo info_;
};

}  // namespace

std::unique_ptr<Method> make_slerp() { return std::make_unique<Slerp>(); }

}  // namespace hallmark::merge
