// Model Breadcrumbs (Davari and Belilovsky 2024): drop outliers and small entries, then sum.
#include "merge/src/task_vectors.h"

namespace hallmark::merge {

std::unique_ptr<Method> make_breadcrumbs() {
  return std::make_unique<TaskVectorMerge>(
      "breadcrumbs", TaskVectorMethod{.sparsification = Sparsification::MagnitudeOutliers,
                                .sign_consensus = false,
                                .default_normalize = false,
                                .default_rescale = false});
}

}  // namespace hallmark::merge
