// Model Breadcrumbs pruning followed by TIES sign election.
#include "merge/src/task_vectors.h"

namespace hallmark::merge {

std::unique_ptr<Method> make_breadcrumbs_ties() {
  return std::make_unique<TaskVectorMerge>(
      "breadcrumbs_ties", TaskVectorMethod{.sparsification = Sparsification::MagnitudeOutliers,
                                .sign_consensus = true,
                                .default_normalize = false,
                                .default_rescale = false});
}

}  // namespace hallmark::merge
