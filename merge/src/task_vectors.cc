#include "merge/src/task_vectors.h"

#include <ATen/ATen.h>

#include "merge/random.h"
#include "merge/src/fused_sum.h"
#include "merge/src/fused_task_vectors.h"
#include "merge/src/param_specs.h"
#include "merge/src/sparsify.h"

namespace hallmark::merge {
namespace {

Rescale rescale_of(const Params& globals) {
  if (!globals.flag("rescale")) return Rescale::None;
  return globals.word("rescale_mode") == "density" ? Rescale::Density : Rescale::L1;
}

at::Tensor sparsify(const TaskVectorMethod& method, const MergeArgs& args,
                    const ModelTensor& model, const at::Tensor& delta, Rescale rescale) {
  const double density = model.params.number("density");
  switch (method.sparsification) {
    case Sparsification::None:
      return delta;
    case Sparsification::Magnitude:
      return sparsify_magnitude(delta, density, rescale);
    case Sparsification::MagnitudeOutliers:
      return sparsify_breadcrumbs(delta, density, model.params.number("gamma"), rescale);
    case Sparsification::Random:
      return sparsify_random(delta, density, mask_stream(args.seed, args.tensor_name, model.model),
                             rescale);
    case Sparsification::Della:
      return sparsify_della(delta, density, model.params.number("epsilon"),
                            mask_stream(args.seed, args.tensor_name, model.model), rescale);
  }
  return delta;
}

// True when some model's task vector is actually pruned (density < 1).
bool prunes(const TaskVectorMethod& method, const MergeArgs& args) {
  if (method.sparsification == Sparsification::None) return false;
  for (const auto& m : args.models)
    if (m.params.number("density") < 1) return true;
  return false;
}

double sum_of_weights(const MergeArgs& args) {
  double sum = 0;
  for (const auto& m : args.models) sum += m.params.number("weight");
  return std::abs(sum) < 1e-8 ? 1.0 : sum;
}

// Task arithmetic as one fused pass; result.tensor is undefined when the kernel does not apply.
MergeResult fused(const MergeArgs& args, bool normalize, double lambda) {
  MergeResult result;
  WeightedSum s;
  s.base = &args.base;
  for (const auto& m : args.models) {
    s.inputs.push_back(m.tensor);
    s.weights.push_back(static_cast<float>(m.params.number("weight")));
  }
  if (normalize) s.divisor = static_cast<float>(sum_of_weights(args));
  if (lambda != 1.0) s.lambda = static_cast<float>(lambda);
  s.out_dtype = args.out_dtype;
  s.l1 = args.want_shares ? &result.shares : nullptr;
  s.out = args.out;
  result.tensor = fused_weighted_sum(s);
  const double scale = std::abs(lambda) / (normalize ? std::abs(sum_of_weights(args)) : 1.0);
  for (double& share : result.shares) share *= scale;
  return result;
}

}  // namespace

MethodInfo task_vector_info(std::string name, const TaskVectorMethod& method) {
  MethodInfo info;
  info.name = std::move(name);
  info.base = BaseRole::Required;
  info.params = {specs::weight(), specs::density(), specs::normalize(method.default_normalize),
                 specs::rescale(method.default_rescale), specs::rescale_mode(), specs::lambda(),
                 specs::int8_mask()};
  if (method.sparsification == Sparsification::MagnitudeOutliers)
    info.params.push_back(specs::gamma());
  if (method.sparsification == Sparsification::Della) info.params.push_back(specs::epsilon());
  return info;
}

MergeResult merge_task_vectors(const TaskVectorMethod& method, const MergeArgs& args) {
  const at::Tensor base = args.base.to(at::kFloat);
  const Rescale rescale = rescale_of(args.globals);
  const bool normalize = args.globals.flag("normalize");
  const double lambda = args.globals.number("lambda");

  if (!method.sign_consensus && !prunes(method, args)) {
    MergeResult result = fused(args, normalize, lambda);
    if (result.tensor.defined()) return result;
  }
  if (MergeResult result = fused_task_vectors(method, args); result.tensor.defined()) return result;

  std::vector<at::Tensor> weighted;
  weighted.reserve(args.models.size());
  for (const auto& model : args.models) {
    at::Tensor delta = model.tensor.to(at::kFloat) - base;
    delta = sparsify(method, args, model, delta, rescale);
    weighted.push_back(delta.mul_(model.params.number("weight")));
  }

  // Per model: the factor its weighted delta enters the sum with (1, or the consensus mask).
  std::vector<at::Tensor> masks(weighted.size());
  at::Tensor mixed = at::zeros_like(base);
  at::Tensor divisor;
  if (method.sign_consensus) {
    at::Tensor total = at::zeros_like(base);
    for (const auto& w : weighted) total.add_(w);
    const at::Tensor positive = total.ge(0);  // a zero sum elects +
    divisor = at::zeros_like(base);
    for (size_t i = 0; i < weighted.size(); ++i) {
      // Agreeing entries only: a zero entry has no sign and agrees with neither.
      masks[i] = at::where(positive, weighted[i].gt(0), weighted[i].lt(0)).to(at::kFloat);
      mixed.add_(weighted[i] * masks[i]);
      divisor.add_(masks[i] * args.models[i].params.number("weight"));
    }
    divisor.masked_fill_(divisor.eq(0), 1.0);
  } else {
    double sum = 0;
    for (size_t i = 0; i < weighted.size(); ++i) {
      mixed.add_(weighted[i]);
      sum += args.models[i].params.number("weight");
    }
    if (std::abs(sum) < 1e-8) sum = 1;
    divisor = at::scalar_tensor(sum, base.options());
  }
  if (normalize) mixed.div_(divisor);
  if (lambda != 1.0) mixed.mul_(lambda);

  MergeResult result;
  if (args.want_shares) {
    for (size_t i = 0; i < weighted.size(); ++i) {
      at::Tensor term = masks[i].defined() ? weighted[i] * masks[i] : weighted[i];
      if (normalize) term = term / divisor;
      result.shares.push_back(term.abs().sum().item<double>() * std::abs(lambda));
    }
  }
  result.tensor = base + mixed;  // never in place: base may be the parent's own tensor
  return result;
}

}  // namespace hallmark::merge
