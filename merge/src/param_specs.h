// The parameter specs shared by several methods, with mergekit's names and defaults.
#pragma once

#include "merge/params.h"

namespace hallmark::merge::specs {

inline ParamSpec weight() {
  return {"weight", ParamKind::Number, ParamScope::PerModel, std::nullopt, -10.0, 10.0, {},
          "the model's weight"};
}
inline ParamSpec density() {
  return {"density", ParamKind::Number, ParamScope::PerModel, 1.0, 0.0, 1.0, {},
          "fraction of the task vector kept"};
}
inline ParamSpec gamma() {
  return {"gamma", ParamKind::Number, ParamScope::PerModel, 0.01, 0.0, 1.0, {},
          "fraction of largest-magnitude entries dropped"};
}
inline ParamSpec epsilon() {
  return {"epsilon", ParamKind::Number, ParamScope::PerModel, 0.15, 0.0, 0.5, {},
          "spread of DELLA's keep probabilities around density"};
}
inline ParamSpec normalize(bool on) {
  return {"normalize", ParamKind::Flag, ParamScope::Global, on, 0, 0, {},
          "divide by the summed weights"};
}
inline ParamSpec rescale(bool on) {
  return {"rescale", ParamKind::Flag, ParamScope::Global, on, 0, 0, {},
          "rescale randomly pruned task vectors"};
}
inline ParamSpec rescale_mode() {
  return {"rescale_mode", ParamKind::Word, ParamScope::Global, std::string("l1"), 0, 0,
          {"l1", "density"},
          "l1: match the L1 norm (mergekit); density: divide by the keep probability (papers)"};
}
inline ParamSpec lambda() {
  return {"lambda", ParamKind::Number, ParamScope::Global, 1.0, -10.0, 10.0, {},
          "scale of the merged task vector"};
}
inline ParamSpec int8_mask() {
  return {"int8_mask", ParamKind::Flag, ParamScope::Global, false, 0, 0, {},
          "accepted for mergekit compatibility; no effect (masks are always exact)"};
}
inline ParamSpec t() {
  return {"t", ParamKind::Number, ParamScope::Global, std::nullopt, 0.0, 1.0, {},
          "interpolation position: 0 is the base"};
}

}  // namespace hallmark::merge::specs
