#include "merge/params.h"

#include <stdexcept>

namespace hallmark::merge {
namespace {

template <typename T>
const T& get(const std::map<std::string, ParamValue>& values, const std::string& name) {
  auto it = values.find(name);
  if (it == values.end()) throw std::logic_error("merge parameter '" + name + "' not resolved");
  const T* value = std::get_if<T>(&it->second);
  if (!value) throw std::logic_error("merge parameter '" + name + "' has another kind");
  return *value;
}

}  // namespace

double Params::number(const std::string& name) const { return get<double>(values_, name); }
bool Params::flag(const std::string& name) const { return get<bool>(values_, name); }
const std::string& Params::word(const std::string& name) const {
  return get<std::string>(values_, name);
}

}  // namespace hallmark::merge
