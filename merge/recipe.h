// Merge recipes in mergekit's YAML format, read as is: merge_method, base_model, models
// (model, parameters), parameters, dtype, out_dtype, slices (sources: model, layer_range,
// parameters; parameters), tokenizer_source. Unknown keys, unknown methods, unknown or
// out-of-range parameters are errors that name file:line:col.
#pragma once

#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "merge/params.h"

namespace hallmark::merge {

// A parameter as written: a scalar, a layer gradient (a list of numbers interpolated over
// the layer index), or a list of name filters ({filter: substring, value: setting}; an entry
// without filter matches every tensor) of which the first that matches wins.
struct ParamSetting {
  struct Filtered;
  enum class Kind { Scalar, Gradient, Filters } kind = Kind::Scalar;
  ParamValue scalar;
  std::vector<double> gradient;
  std::vector<Filtered> filters;
  std::string where;  // "file:line:col", for error messages

  // The value for a tensor whose relative layer position is `t` in [0, 1]; nullopt when no
  // filter matches `tensor_name`.
  std::optional<ParamValue> evaluate(std::string_view tensor_name, double t) const;
};
struct ParamSetting::Filtered {
  std::optional<std::string> filter;
  ParamSetting value;
};

using ParamMap = std::map<std::string, ParamSetting>;

struct ModelEntry {
  std::string model;  // a path (relative to the recipe's folder) or a hub id, as written
  ParamMap parameters;
};

struct SliceSource {
  std::string model;
  std::optional<std::pair<int64_t, int64_t>> layer_range;  // [begin, end)
  ParamMap parameters;
};

struct Slice {
  std::vector<SliceSource> sources;
  ParamMap parameters;
};

struct Recipe {
  std::string merge_method;
  std::optional<std::string> base_model;
  std::vector<ModelEntry> models;
  std::vector<Slice> slices;  // empty unless the recipe uses slices
  ParamMap parameters;
  std::optional<std::string> dtype, out_dtype;  // "float32", "float16", "bfloat16"
  std::optional<std::string> tokenizer_source;  // "base" or a model
  std::string origin;               // the file name, for messages
  std::filesystem::path directory;  // relative model paths are resolved against it
  std::string text;                 // the YAML as given, for the model card

  // Every distinct model whose weights are merged: base first, then in order of appearance.
  std::vector<std::string> model_refs() const;
  // Where a reference points: an existing path relative to `directory`, else as written
  // (an absolute path or a hub id, resolved by checkpoint::resolve_model).
  std::string locate(const std::string& ref) const;
};

Recipe parse_recipe_file(const std::filesystem::path& path);
// `origin` names the text in messages; `directory` anchors relative model paths.
Recipe parse_recipe(std::string_view yaml, std::string origin, std::filesystem::path directory);

}  // namespace hallmark::merge
