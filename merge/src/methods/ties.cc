// TIES (Yadav et al. 2023): top-k magnitude trim, sign election by summed weighted deltas, disjoint mean.
#include "merge/src/task_vectors.h"

namespace hallmark::merge {

std::unique_ptr<Method> make_ties() {
  return std::make_unique<TaskVectorMerge>(
      "ties", TaskVectorMethod{.sparsification = Sparsification::Magnitude,
                                .sign_consensus = true,
                                .default_normalize = true,
                                .default_rescale = false});
}

}  // namespace hallmark::merge
