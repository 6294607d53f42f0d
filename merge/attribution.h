// Which parents a child is made of, for lineage and license derivation. A parent contributes
// to a tensor when its weight and density are both > 0 there (methods without those
// parameters: when it is an input at all, the base always). Its share is the L1 norm of its
// weighted term in the child's change from the base (without a base: in the child), summed
// over tensors, divided by the sum over parents.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace hallmark::merge {

struct ParentAttribution {
  std::string model;        // the recipe's reference
  bool is_base = false;
  size_t tensors = 0;       // child tensors it contributes to
  double l1 = 0.0;          // summed L1 norm of its weighted contribution
  double share = 0.0;       // l1 / sum of l1 over parents (0 when that sum is 0)
  bool contributes() const { return tensors > 0; }
};

struct Attribution {
  std::vector<ParentAttribution> parents;  // in Recipe::model_refs() order
};

}  // namespace hallmark::merge
