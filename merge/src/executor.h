// Runs the jobs of a plan one tensor at a time and accumulates the attribution.
#pragma once

#include <ATen/core/Tensor.h>

#include "merge/attribution.h"
#include "merge/merger.h"
#include "merge/src/plan.h"

namespace hallmark::merge {

class Executor {
 public:
  Executor(const MergePlan& plan, const Parents& parents, const MergeOptions& options);
  // The child's tensor in the job's dtype, on the parents' device. Throws InputError naming
  // the tensor (and model) for non-finite inputs or inputs the method refuses.
  at::Tensor run(const TensorJob& job);
  Attribution attribution() const;

 private:
  at::Tensor input(const InputRef& ref) const;

  const MergePlan& plan_;
  const Parents& parents_;
  MergeOptions options_;
  Attribution attribution_;
};

}  // namespace hallmark::merge
