// DELLA's MagPrune random drop, summed without sign election.
#include "merge/src/task_vectors.h"

namespace hallmark::merge {

std::unique_ptr<Method> make_della_linear() {
  return std::make_unique<TaskVectorMerge>(
      "della_linear", TaskVectorMethod{.sparsification = Sparsification::Della,
                                .sign_consensus = false,
                                .default_normalize = false,
                                .default_rescale = true});
}

}  // namespace hallmark::merge
