// DARE (Yu et al. 2024) random drop with rescale, then TIES sign election.
#include "merge/src/task_vectors.h"

namespace hallmark::merge {

std::unique_ptr<Method> make_dare_ties() {
  return std::make_unique<TaskVectorMerge>(
      "dare_ties", TaskVectorMethod{.sparsification = Sparsification::Random,
                                .sign_consensus = true,
                                .default_normalize = false,
                                .default_rescale = true});
}

}  // namespace hallmark::merge
