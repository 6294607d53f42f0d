// A CPU fast path for the task-vector methods whose pruning is an element-wise predicate
// (ties, dare_*, breadcrumbs*): magnitude thresholds come from an exact radix select over
// |x - base| (two histogram passes, no sort, no copies), random masks are hashed inline, and
// pruning, weighting, sign election, normalization and the base are applied in one pass that
// reads the parents in their stored dtype and writes the output dtype. It performs the same
// fp32 operations in the same order as the ATen path (task_vectors.cc), which remains for
// other devices, mixed input dtypes and DELLA.
#pragma once

#include "merge/method.h"
#include "merge/src/task_vectors.h"

namespace hallmark::merge {

// result.tensor is undefined when the fast path does not apply.
MergeResult fused_task_vectors(const TaskVectorMethod& method, const MergeArgs& args);

}  // namespace hallmark::merge
