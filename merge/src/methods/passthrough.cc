// Passthrough: copies one model's tensor unchanged. With slices it builds frankenmerges: each
// output layer is taken from the layer of the source named by the slice's layer_range.
#include <ATen/ATen.h>

#include "merge/method.h"

namespace hallmark::merge {
namespace {

class Passthrough : public Method {
 public:
  Passthrough() {
    info_.name = "passthrough";
    info_.base = BaseRole::Ignored;
    info_.min_models = info_.max_models = 1;
    info_.params = {{"scale", ParamKind::Number, ParamScope::PerModel, 1.0, -10.0, 10.0, {},
                     "multiplies the tensor (mergekit's scale)"}};
  }
  const MethodInfo& info() const override { return info_; }

  MergeResult merge(const MergeArgs& args) const override {
    const double scale = args.models[0].params.number("scale");
    MergeResult result;
    result.tensor = scale == 1.0 ? args.models[0].tensor : args.models[0].tensor.to(at::kFloat) * scale;
    if (args.want_shares) result.shares = {result.tensor.to(at::kFloat).abs().sum().item<double>()};
    return result;
  }

 private:
  MethodInfo info_;
};

}  // namespace

std::unique_ptr<Method> make_passthrough() { return std::make_unique<Passthrough>(); }

}  // namespace hallmark::merge
