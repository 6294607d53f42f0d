// DARE (Yu et al. 2024) random drop with rescale, summed without sign election.
#include "merge/src/task_vectors.h"

namespace hallmark::merge {

std::unique_ptr<Method> make_dare_linear() {
  return std::make_unique<TaskVectorMerge>(
      "dare_linear", TaskVectorMethod{.sparsification = Sparsification::Random,
                                .sign_consensus = false,
                                .default_normalize = false,
                                .default_rescale = true});
}

}  // namespace hallmark::merge
