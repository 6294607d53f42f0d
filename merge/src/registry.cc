#include <algorithm>
#include <memory>
#include <vector>

#include "merge/method.h"

namespace hallmark::merge {

#define X(name) std::unique_ptr<Method> make_##name();
#include "merge/src/methods/list.h"
#undef X

namespace {

const std::vector<std::unique_ptr<Method>>& registry() {
  static const std::vector<std::unique_ptr<Method>> methods = [] {
    std::vector<std::unique_ptr<Method>> all;
#define X(name) all.push_back(make_##name());
#include "merge/src/methods/list.h"
#undef X
    return all;
  }();
  return methods;
}

}  // namespace

const ParamSpec* MethodInfo::find(std::string_view param) const {
  for (const auto& spec : params)
    if (spec.name == param) return &spec;
  return nullptr;
}

const Method* find_method(std::string_view name) {
  for (const auto& method : registry())
    if (method->info().name == name) return method.get();
  return nullptr;
}

std::vector<std::string> method_names() {
  std::vector<std::string> names;
  for (const auto& method : registry()) names.push_back(method->info().name);
  std::sort(names.begin(), names.end());
  return names;
}

}  // namespace hallmark::merge
