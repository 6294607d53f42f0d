// Applying a recipe. merge_in_memory gives the child as tensors for the evolutionary search
// (no disk); merge_to_directory (child_writer.h) is the streaming CLI path.
#pragma once

#include <cstdint>
#include <map>
#include <string>

#include <ATen/core/Tensor.h>
#include <nlohmann/json.hpp>

#include "merge/attribution.h"
#include "merge/parents.h"
#include "merge/recipe.h"

namespace hallmark::merge {

struct MergeOptions {
  uint64_t seed = 0;             // keys DARE / DELLA masks
  bool allow_nonfinite = false;  // otherwise NaN or Inf in a parent tensor is an InputError
};

struct Child {
  std::map<std::string, at::Tensor> tensors;  // on the parents' device, in the output dtype
  nlohmann::json config;                      // config.json of the child
  Attribution attribution;
};

// Throws InputError (one line naming the recipe, model or tensor) for anything unmergeable.
Child merge_in_memory(const Recipe& recipe, const Parents& parents, const MergeOptions& options = {});

}  // namespace hallmark::merge
