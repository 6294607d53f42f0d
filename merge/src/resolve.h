// Parameter resolution for one tensor with mergekit's precedence: the first level (highest
// precedence first) whose setting yields a value wins, then the spec's default.
#pragma once

#include <string>
#include <vector>

#include "merge/method.h"
#include "merge/recipe.h"

namespace hallmark::merge {

// `levels`: e.g. {slice source parameters, slice parameters, top-level parameters}.
// `t`: the tensor's relative layer position in [0, 1]. Throws InputError naming `who` and
// the tensor when a required parameter has no value.
Params resolve_params(const MethodInfo& method, ParamScope scope,
                      const std::vector<const ParamMap*>& levels, const std::string& tensor_name,
                      double t, const std::string& who);

}  // namespace hallmark::merge
