#include "merge/src/executor.h"

#include <ATen/ATen.h>

#include "checkpoint/aten.h"
#include "common/error.h"
#include "merge/src/finite.h"

namespace hallmark::merge {
namespace {

// A parent contributes to a tensor when neither its weight nor its density nor the
// interpolation position t rules it out.
bool contributes(const Params& model, const Params& globals) {
  auto positive = [](const Params& p, const char* name) { return !p.has(name) || p.number(name) > 0; };
  return positive(model, "weight") && positive(model, "density") && positive(globals, "t");
}

}  // namespace

Executor::Executor(const MergePlan& plan, const Parents& parents, const MergeOptions& options,
                   bool reuse_output)
    : plan_(plan), parents_(parents), options_(options), reuse_output_(reuse_output) {
  for (const auto& ref : plan.refs) {
    ParentAttribution a;
    a.model = ref;
    a.is_base = !plan.jobs.empty() && plan.jobs.front().base && ref == plan.reference;
    attribution_.parents.push_back(a);
  }
}

at::Tensor Executor::input(const InputRef& ref) const {
  at::Tensor t = parents_.tensor(ref.model, ref.tensor);
  if (!options_.allow_nonfinite && !all_finite(t))
    throw InputError(parents_.checkpoint(ref.model).dir().string() + ": tensor " + ref.tensor +
                     " contains NaN or Inf (use --allow-nonfinite to merge it anyway)");
  return t;
}

at::Tensor Executor::run(const TensorJob& job) {
  auto find = [&](const std::string& model) -> ParentAttribution& {
    for (auto& p : attribution_.parents)
      if (p.model == model) return p;
    throw std::logic_error("merge: unplanned model " + model);
  };
  if (job.copy_only) {
    const auto& ref = job.base ? *job.base : job.models.front().ref;
    return parents_.tensor(ref.model, ref.tensor);
  }
  MergeArgs args;
  args.tensor_name = job.name;
  args.globals = job.globals;
  args.seed = options_.seed;
  args.out_dtype = checkpoint::to_scalar_type(job.dtype);
  args.want_shares = true;
  if (job.base) args.base = input(*job.base);
  for (const auto& m : job.models) args.models.push_back(ModelTensor{m.ref.model, input(m.ref), m.params});
  if (reuse_output_) args.out = output_buffer(job, args.base.defined() ? args.base : args.models.front().tensor);

  MergeResult result;
  try {
    result = plan_.method->merge(args);
  } catch (const InputError& e) {
    throw InputError("tensor " + job.name + ": " + e.what());
  }
  if (job.base) find(job.base->model).tensors += 1;
  for (size_t i = 0; i < job.models.size(); ++i) {
    auto& parent = find(job.models[i].ref.model);
    if (contributes(job.models[i].params, job.globals)) parent.tensors += 1;
    if (i < result.shares.size()) parent.l1 += result.shares[i];
  }
  return result.tensor.to(args.out_dtype);
}

at::Tensor Executor::output_buffer(const TensorJob& job, const at::Tensor& like) {
  if (!like.device().is_cpu()) return {};  // only the CPU fast paths write into it
  const c10::ScalarType dtype = checkpoint::to_scalar_type(job.dtype);
  at::Tensor& buffer = buffers_[dtype];
  if (!buffer.defined()) {
    int64_t largest = 0;
    for (const auto& j : plan_.jobs)
      if (!j.copy_only && checkpoint::to_scalar_type(j.dtype) == dtype)
        largest = std::max(largest, c10::multiply_integers(j.shape));
    buffer = at::empty({largest}, like.options().dtype(dtype));
  }
  return buffer.narrow(0, 0, c10::multiply_integers(job.shape)).view(job.shape);
}

Attribution Executor::attribution() const {
  Attribution out = attribution_;
  double total = 0;
  for (const auto& p : out.parents) total += p.l1;
  for (auto& p : out.parents) p.share = total > 0 ? p.l1 / total : 0.0;
  return out;
}

}  // namespace hallmark::merge
