#include "merge/src/resolve.h"

#include <cmath>

#include "common/error.h"

namespace hallmark::merge {

std::optional<ParamValue> ParamSetting::evaluate(std::string_view tensor_name, double t) const {
  switch (kind) {
    case Kind::Scalar:
      return scalar;
    case Kind::Gradient: {
      if (gradient.size() == 1) return gradient[0];
      // Piecewise-linear over evenly spaced anchors, as mergekit does.
      const double scaled = static_cast<double>(gradient.size() - 1) * t;
      const auto i0 = static_cast<size_t>(std::floor(scaled));
      const size_t i1 = std::min(gradient.size() - 1, i0 + 1);
      const double frac = scaled - static_cast<double>(i0);
      return (1 - frac) * gradient[std::min(i0, gradient.size() - 1)] + frac * gradient[i1];
    }
    case Kind::Filters:
      for (const auto& entry : filters)
        if (!entry.filter || tensor_name.find(*entry.filter) != std::string_view::npos)
          return entry.value.evaluate(tensor_name, t);
      return std::nullopt;
  }
  return std::nullopt;
}

Params resolve_params(const MethodInfo& method, ParamScope scope,
                      const std::vector<const ParamMap*>& levels, const std::string& tensor_name,
                      double t, const std::string& who) {
  Params out;
  for (const auto& spec : method.params) {
    if (spec.scope != scope) continue;
    std::optional<ParamValue> value;
    for (const ParamMap* level : levels) {
      if (!level) continue;
      auto it = level->find(spec.name);
      if (it == level->end()) continue;
      value = it->second.evaluate(tensor_name, t);
      if (value) break;
    }
    if (!value) value = spec.default_value;
    if (!value)
      throw InputError(who + ": merge_method " + method.name + " needs parameter " + spec.name +
                       " (no value for tensor " + tensor_name + ")");
    out.set(spec.name, *value);
  }
  return out;
}

}  // namespace hallmark::merge
