// Linear (model soup, Wortsman et al. 2022): sum_i w_i x_i, divided by sum_i w_i with
// normalize (the default). The base model takes part only when it is listed in models.
#include <ATen/ATen.h>

#include "common/error.h"
#include "merge/method.h"
#include "merge/src/fused_sum.h"
#include "merge/src/param_specs.h"

namespace hallmark::merge {
namespace {

class Linear : public Method {
 public:
  Linear() {
    info_.name = "linear";
    info_.base = BaseRole::Ignored;
    info_.params = {specs::weight(), specs::normalize(true)};
  }
  const MethodInfo& info() const override { return info_; }

  MergeResult merge(const MergeArgs& args) const override {
    double total = 0;
    for (const auto& model : args.models) total += model.params.number("weight");
    const bool normalize = args.globals.flag("normalize");
    if (normalize && std::abs(total) < 1e-8)
      throw InputError("linear: the weights sum to 0, cannot normalize");
    const double divisor = normalize ? total : 1.0;

    MergeResult result;
    WeightedSum fused;
    for (const auto& model : args.models) {
      fused.inputs.push_back(model.tensor);
      fused.weights.push_back(static_cast<float>(model.params.number("weight")));
    }
    if (normalize) fused.divisor = static_cast<float>(divisor);
    fused.out_dtype = args.out_dtype;
    fused.l1 = args.want_shares ? &result.shares : nullptr;
  fused.out = args.out;
    result.tensor = fused_weighted_sum(fused);
    if (result.tensor.defined()) {
      for (double& share : result.shares) share /= std::abs(divisor);
      return result;
    }
    result.shares.clear();

    at::Tensor sum;
    for (const auto& model : args.models) {
      const double weight = model.params.number("weight");
      at::Tensor term = model.tensor.to(at::kFloat) * weight;
      if (args.want_shares) result.shares.push_back(term.abs().sum().item<double>() / std::abs(divisor));
      sum = sum.defined() ? sum.add_(term) : term;
    }
    if (normalize) sum.div_(divisor);
    result.tensor = sum;
    return result;
  }

 private:
  MethodInfo info_;
};

}  // namespace

std::unique_ptr<Method> make_linear() { return std::make_unique<Linear>(); }

}  // namespace hallmark::merge
