#include "merge/merger.h"

#include <ATen/ATen.h>

#include "merge/src/executor.h"
#include "merge/src/plan.h"

namespace hallmark::merge {

Child merge_in_memory(const Recipe& recipe, const Parents& parents, const MergeOptions& options) {
  const MergePlan plan = plan_merge(recipe, parents);
  Executor executor(plan, parents, options);
  Child child;
  for (const auto& job : plan.jobs) child.tensors.emplace(job.name, executor.run(job));
  child.config = plan.config;
  child.attribution = executor.attribution();
  return child;
}

}  // namespace hallmark::merge
