// Model Stock (Jang et al. 2024): the average of the fine-tuned models pulled towards the base
// by t = N cos / (1 + (N - 1) cos), cos the mean pairwise cosine of their task vectors (over
// the flattened tensor, or per row with filter_wise).
#include <ATen/ATen.h>

#include "merge/method.h"

namespace hallmark::merge {
namespace {

class ModelStock : public Method {
 public:
  ModelStock() {
    info_.name = "model_stock";
    info_.base = BaseRole::Required;
    info_.min_models = 2;
    info_.params = {{"filter_wise", ParamKind::Flag, ParamScope::Global, false, 0, 0, {},
                     "one cosine per row instead of one per tensor"}};
  }
  const MethodInfo& info() const override { return info_; }

  MergeResult merge(const MergeArgs& args) const override {
    const bool filter_wise = args.globals.flag("filter_wise");
    const at::Tensor base = args.base.to(at::kFloat);
    auto shaped = [&](const at::Tensor& x) {
      if (!filter_wise) return x.reshape({-1});
      return x.dim() == 1 ? x.unsqueeze(0) : x;
    };
    const at::Tensor w0 = shaped(base);
    std::vector<at::Tensor> offsets;
    at::Tensor sum;
    for (const auto& model : args.models) {
      const at::Tensor w = shaped(model.tensor.to(at::kFloat));
      offsets.push_back(w - w0);
      sum = sum.defined() ? sum + w : w.clone();
    }
    std::vector<at::Tensor> cosines;
    for (size_t i = 0; i < offsets.size(); ++i) {
      for (size_t j = i + 1; j < offsets.size(); ++j) {
        const at::Tensor norms =
            offsets[i].norm(2, {-1}) * offsets[j].norm(2, {-1});
        cosines.push_back(((offsets[i] * offsets[j]).sum({-1}) / norms.clamp_min(1e-6)).clamp(-1, 1));
      }
    }
    const at::Tensor cos = at::stack(cosines).mean(0).unsqueeze(-1);
    const auto n = static_cast<double>(offsets.size());
    const at::Tensor t = (cos * n) / ((cos * (n - 1)).add_(1));
    const at::Tensor average = sum / n;
    MergeResult result;
    result.tensor = (t * average + (1 - t) * w0).reshape(args.base.sizes());
    if (args.want_shares) {
      for (const auto& offset : offsets)
        result.shares.push_back((t * offset / n).abs().sum().item<double>());
    }
    return result;
  }

 private:
  MethodInfo info_;
};

}  // namespace

std::unique_ptr<Method> make_model_stock() { return std::make_unique<ModelStock>(); }

}  // namespace hallmark::merge
