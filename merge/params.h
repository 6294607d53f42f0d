// Merge parameters: the values a recipe gives (weight, density, t, normalize, ...) after they
// have been resolved for one tensor, and the specs methods use to declare which ones they take.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace hallmark::merge {

// A number, a flag or a word.
using ParamValue = std::variant<double, bool, std::string>;

// The parameters of one model (or the global ones) for one tensor, defaults filled in.
class Params {
 public:
  void set(const std::string& name, ParamValue value) { values_[name] = std::move(value); }
  bool has(const std::string& name) const { return values_.count(name) != 0; }
  // Throw std::logic_error when absent or of another kind (specs make that impossible).
  double number(const std::string& name) const;
  bool flag(const std::string& name) const;
  const std::string& word(const std::string& name) const;
  const std::map<std::string, ParamValue>& values() const { return values_; }

 private:
  std::map<std::string, ParamValue> values_;
};

enum class ParamKind { Number, Flag, Word };
// Per-model parameters (weight, density) may also be given globally as a default for every
// model; global ones (normalize, t) only globally (mergekit's tensor_parameters / parameters).
enum class ParamScope { PerModel, Global };

struct ParamSpec {
  std::string name;
  ParamKind kind = ParamKind::Number;
  ParamScope scope = ParamScope::PerModel;
  std::optional<ParamValue> default_value;  // nullopt: required
  double min = -1e300, max = 1e300;          // inclusive range for numbers
  std::vector<std::string> words;            // allowed words
  std::string doc;
};

}  // namespace hallmark::merge
