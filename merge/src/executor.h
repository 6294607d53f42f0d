// Runs the jobs of a plan one tensor at a time and accumulates the attribution.
#pragma once

#include <map>

#include <ATen/core/Tensor.h>

#include "merge/attribution.h"
#include "merge/merger.h"
#include "merge/src/plan.h"

namespace hallmark::merge {

class Executor {
 public:
  // With reuse_output, run() may return a view of one buffer that the next run() overwrites:
  // for callers that consume each tensor before asking for the next (the streaming writer),
  // so that the CPU fast paths write into memory already mapped instead of faulting in fresh
  // pages for every tensor.
  Executor(const MergePlan& plan, const Parents& parents, const MergeOptions& options,
           bool reuse_output = false);
  // The child's tensor in the job's dtype, on the parents' device. Throws InputError naming
  // the tensor (and model) for non-finite inputs or inputs the method refuses.
  at::Tensor run(const TensorJob& job);
  Attribution attribution() const;

 private:
  at::Tensor input(const InputRef& ref) const;
  at::Tensor output_buffer(const TensorJob& job, const at::Tensor& like);

  const MergePlan& plan_;
  const Parents& parents_;
  MergeOptions options_;
  Attribution attribution_;
  bool reuse_output_;
  std::map<c10::ScalarType, at::Tensor> buffers_;  // per output dtype, sized for the largest job
};

}  // namespace hallmark::merge
