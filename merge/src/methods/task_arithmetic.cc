// Task arithmetic (Ilharco et al. 2023): base + lambda * sum_i w_i (x_i - base).
#include "merge/src/task_vectors.h"

namespace hallmark::merge {

std::unique_ptr<Method> make_task_arithmetic() {
  return std::make_unique<TaskVectorMerge>(
      "task_arithmetic", TaskVectorMethod{.sparsification = Sparsification::None,
                                .sign_consensus = false,
                                .default_normalize = false,
                                .default_rescale = false});
}

}  // namespace hallmark::merge
