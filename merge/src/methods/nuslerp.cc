// NuSLERP (mergekit): spherical interpolation of two models with t = w1 / (w0 + w1), over the
// flattened tensors (nuslerp_flatten, default), over rows (nuslerp_row_wise) or columns; with
// a base model it interpolates the two task vectors and adds the result to the base.
#include <cmath>

#include <ATen/ATen.h>

#include "merge/method.h"
#include "merge/src/param_specs.h"

namespace hallmark::merge {
namespace {

constexpr double kColinearEps = 1e-8;
constexpr double kNormEps = 1e-7;

at::Tensor normalized(const at::Tensor& x) {
  return x / x.norm(2, {-1}, /*keepdim=*/true).clamp_min(kNormEps);
}

// mergekit's nuslerp(): interpolates along the last dimension of v0 and v1.
at::Tensor interpolate(double t, at::Tensor v0, at::Tensor v1, bool row_wise, bool flatten) {
  const auto shape = v0.sizes().vec();
  if (flatten) {
    v0 = v0.reshape({-1});
    v1 = v1.reshape({-1});
  } else if (row_wise && v0.dim() > 1) {
    v0 = v0.transpose(0, -1);
    v1 = v1.transpose(0, -1);
  }
  const at::Tensor cos = (normalized(v0) * normalized(v1)).sum({-1}, /*keepdim=*/true);
  const at::Tensor theta = cos.clamp(-1, 1).acos();
  const at::Tensor sin_theta = theta.sin();
  at::Tensor result = ((theta * (1 - t)).sin() * v0 + (theta * t).sin() * v1) / sin_theta;
  const at::Tensor colinear = sin_theta.abs().lt(kColinearEps).expand_as(result);
  result = at::where(colinear, v0 * (1 - t) + v1 * t, result);
  if (!flatten && row_wise && result.dim() > 1) result = result.transpose(0, -1);
  return result.reshape(shape).contiguous();
}

class NuSlerp : public Method {
 public:
  NuSlerp() {
    info_.name = "nuslerp";
    info_.base = BaseRole::Optional;
    info_.min_models = info_.max_models = 2;
    info_.params = {
        specs::weight(),
        {"nuslerp_flatten", ParamKind::Flag, ParamScope::Global, true, 0, 0, {},
         "interpolate the flattened tensors"},
        {"nuslerp_row_wise", ParamKind::Flag, ParamScope::Global, false, 0, 0, {},
         "interpolate row vectors instead of column vectors"}};
  }
  const MethodInfo& info() const override { return info_; }

  MergeResult merge(const MergeArgs& args) const override {
    const double w0 = args.models[0].params.number("weight");
    const double w1 = args.models[1].params.number("weight");
    const double t = std::abs(w0 + w1) < 1e-6 ? 0.5 : w1 / (w0 + w1);
    const bool flatten = args.globals.flag("nuslerp_flatten");
    const bool row_wise = args.globals.flag("nuslerp_row_wise");
    at::Tensor x0 = args.models[0].tensor.to(at::kFloat);
    at::Tensor x1 = args.models[1].tensor.to(at::kFloat);
    MergeResult result;
    if (args.base.defined()) {
      const at::Tensor base = args.base.to(at::kFloat);
      x0 = x0 - base;
      x1 = x1 - base;
      result.tensor = base + interpolate(t, x0, x1, row_wise, flatten);
    } else {
      result.tensor = interpolate(t, x0, x1, row_wise, flatten);
    }
    if (args.want_shares)
      result.shares = {x0.abs().sum().item<double>() * (1 - t), x1.abs().sum().item<double>() * t};
    return result;
  }

 private:
  MethodInfo info_;
};

}  // namespace

std::unique_ptr<Method> make_nuslerp() { return std::make_unique<NuSlerp>(); }

}  // namespace hallmark::merge
