// DELLA (Deep et al. 2024): magnitude-ranked random drop (MagPrune), sign election.
#include "merge/src/task_vectors.h"

namespace hallmark::merge {

std::unique_ptr<Method> make_della() {
  return std::make_unique<TaskVectorMerge>(
      "della", TaskVectorMethod{.sparsification = Sparsification::Della,
                                .sign_consensus = true,
                                .default_normalize = true,
                                .default_rescale = true});
}

}  // namespace hallmark::merge
