// The child's README.md: Hugging Face front matter (base_model = every parent,
// base_model_relation: merge, tags) and a body with the method, seed, parents' shares and the
// recipe that reproduces the child.
#pragma once

#include <cstdint>
#include <string>

#include "merge/attribution.h"
#include "merge/recipe.h"

namespace hallmark::merge {

std::string model_card(const Recipe& recipe, const Attribution& attribution, uint64_t seed,
                       const std::string& title);

}  // namespace hallmark::merge
