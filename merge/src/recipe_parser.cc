#include <algorithm>
#include <string>

#include <yaml-cpp/yaml.h>

#include "common/error.h"
#include "common/files.h"
#include "merge/method.h"
#include "merge/recipe.h"

namespace hallmark::merge {
namespace {

class Parser {
 public:
  explicit Parser(std::string origin) : origin_(std::move(origin)) {}

  std::string where(const YAML::Node& node) const {
    const YAML::Mark mark = node.Mark();
    if (mark.is_null()) return origin_;
    return origin_ + ":" + std::to_string(mark.line + 1) + ":" + std::to_string(mark.column + 1);
  }

  [[noreturn]] void fail(const YAML::Node& node, const std::string& reason) const {
    throw InputError(where(node) + ": " + reason);
  }

  void expect_map(const YAML::Node& node, const std::string& what) const {
    if (!node.IsMap()) fail(node, what + " must be a mapping");
  }
  void expect_keys(const YAML::Node& node, const std::string& what,
                   std::initializer_list<const char*> allowed) const {
    expect_map(node, what);
    for (const auto& item : node) {
      const std::string key = item.first.as<std::string>();
      if (std::none_of(allowed.begin(), allowed.end(), [&](const char* a) { return key == a; })) {
        std::string list;
        for (const char* a : allowed) list += std::string(list.empty() ? "" : ", ") + a;
        fail(item.first, "unknown key '" + key + "' in " + what + " (expected one of: " + list + ")");
      }
    }
  }
  std::string text(const YAML::Node& node, const std::string& what) const {
    if (!node.IsScalar()) fail(node, what + " must be a string");
    return node.as<std::string>();
  }

  double number(const YAML::Node& node, const ParamSpec& spec) const {
    double value = 0;
    if (!node.IsScalar() || !YAML::convert<double>::decode(node, value))
      fail(node, "parameter " + spec.name + " must be a number");
    if (!(value >= spec.min && value <= spec.max))
      fail(node, "parameter " + spec.name + " = " + node.as<std::string>() + " is out of range [" +
                     format(spec.min) + ", " + format(spec.max) + "]");
    return value;
  }

  ParamSetting setting(const YAML::Node& node, const ParamSpec& spec) const {
    ParamSetting s;
    s.where = where(node);
    if (node.IsSequence()) {
      if (node.size() == 0) fail(node, "parameter " + spec.name + " is an empty list");
      if (node[0].IsMap()) {
        s.kind = ParamSetting::Kind::Filters;
        for (const auto& entry : node) {
          expect_keys(entry, "a filtered value of " + spec.name, {"filter", "value"});
          if (!entry["value"]) fail(entry, "filtered value of " + spec.name + " has no value");
          ParamSetting::Filtered f{std::nullopt, setting(entry["value"], spec)};
          if (entry["filter"]) f.filter = text(entry["filter"], "filter");
          s.filters.push_back(std::move(f));
        }
        return s;
      }
      if (spec.kind != ParamKind::Number)
        fail(node, "parameter " + spec.name + " takes one value, not a gradient");
      s.kind = ParamSetting::Kind::Gradient;
      for (const auto& v : node) s.gradient.push_back(number(v, spec));
      return s;
    }
    switch (spec.kind) {
      case ParamKind::Number:
        s.scalar = number(node, spec);
        break;
      case ParamKind::Flag: {
        bool flag = false;
        if (!node.IsScalar() || !YAML::convert<bool>::decode(node, flag))
          fail(node, "parameter " + spec.name + " must be true or false");
        s.scalar = flag;
        break;
      }
      case ParamKind::Word: {
        const std::string word = text(node, "parameter " + spec.name);
        if (std::find(spec.words.begin(), spec.words.end(), word) == spec.words.end()) {
          std::string list;
          for (const auto& w : spec.words) list += (list.empty() ? "" : ", ") + w;
          fail(node, "parameter " + spec.name + " = '" + word + "' (expected one of: " + list + ")");
        }
        s.scalar = word;
        break;
      }
    }
    return s;
  }

  ParamMap parameters(const YAML::Node& node, const MethodInfo& method, bool per_model) const {
    ParamMap out;
    if (!node || node.IsNull()) return out;
    expect_map(node, "parameters");
    for (const auto& item : node) {
      const std::string key = item.first.as<std::string>();
      const ParamSpec* spec = method.find(key);
      if (!spec) {
        std::string list;
        for (const auto& p : method.params) list += (list.empty() ? "" : ", ") + p.name;
        fail(item.first, "unknown parameter '" + key + "' for merge_method " + method.name +
                             " (expected one of: " + list + ")");
      }
      if (per_model && spec->scope == ParamScope::Global)
        fail(item.first, "parameter " + key + " applies to the whole merge; give it in the top-level parameters");
      out[key] = setting(item.second, *spec);
    }
    return out;
  }

  static std::string format(double v) {
    std::string s = std::to_string(v);
    s.erase(s.find_last_not_of('0') + 1);
    if (!s.empty() && s.back() == '.') s.pop_back();
    return s;
  }

 private:
  std::string origin_;
};

std::string dtype_word(const Parser& p, const YAML::Node& node, const std::string& key) {
  const std::string value = p.text(node, key);
  if (value != "float32" && value != "float16" && value != "bfloat16")
    p.fail(node, key + " '" + value + "' (expected float32, float16 or bfloat16)");
  return value;
}

}  // namespace

Recipe parse_recipe(std::string_view yaml, std::string origin, std::filesystem::path directory) {
  Parser p(origin);
  YAML::Node root;
  try {
    root = YAML::Load(std::string(yaml));
  } catch (const YAML::Exception& e) {
    throw InputError(origin + ":" + std::to_string(e.mark.line + 1) + ":" +
                     std::to_string(e.mark.column + 1) + ": not valid YAML: " + e.msg);
  }
  if (!root.IsMap()) throw InputError(origin + ": a recipe must be a YAML mapping");
  p.expect_keys(root, "the recipe",
                {"merge_method", "base_model", "models", "parameters", "dtype", "out_dtype",
                 "slices", "tokenizer_source"});

  Recipe r;
  r.origin = origin;
  r.directory = std::move(directory);
  r.text = std::string(yaml);
  if (!root["merge_method"]) throw InputError(origin + ": merge_method is missing");
  r.merge_method = p.text(root["merge_method"], "merge_method");
  const Method* method = find_method(r.merge_method);
  if (!method) {
    std::string list;
    for (const auto& n : method_names()) list += (list.empty() ? "" : ", ") + n;
    p.fail(root["merge_method"], "unknown merge_method '" + r.merge_method + "' (known: " + list + ")");
  }
  const MethodInfo& info = method->info();

  if (root["base_model"]) r.base_model = p.text(root["base_model"], "base_model");
  if (root["dtype"]) r.dtype = dtype_word(p, root["dtype"], "dtype");
  if (root["out_dtype"]) r.out_dtype = dtype_word(p, root["out_dtype"], "out_dtype");
  if (root["tokenizer_source"]) {
    r.tokenizer_source = p.text(root["tokenizer_source"], "tokenizer_source");
    if (*r.tokenizer_source == "union")
      p.fail(root["tokenizer_source"],
             "tokenizer_source 'union' is not supported (use base or a model)");
  }
  r.parameters = p.parameters(root["parameters"], info, /*per_model=*/false);

  if (const YAML::Node models = root["models"]) {
    if (!models.IsSequence()) p.fail(models, "models must be a list");
    for (const auto& entry : models) {
      p.expect_keys(entry, "a models entry", {"model", "parameters"});
      if (!entry["model"]) p.fail(entry, "models entry without model");
      r.models.push_back({p.text(entry["model"], "model"),
                          p.parameters(entry["parameters"], info, /*per_model=*/true)});
    }
  }
  if (const YAML::Node slices = root["slices"]) {
    if (!slices.IsSequence() || slices.size() == 0) p.fail(slices, "slices must be a non-empty list");
    for (const auto& slice_node : slices) {
      p.expect_keys(slice_node, "a slice", {"sources", "parameters"});
      Slice slice;
      slice.parameters = p.parameters(slice_node["parameters"], info, /*per_model=*/false);
      const YAML::Node sources = slice_node["sources"];
      if (!sources || !sources.IsSequence() || sources.size() == 0)
        p.fail(slice_node, "a slice needs a non-empty list of sources");
      for (const auto& src : sources) {
        p.expect_keys(src, "a slice source", {"model", "layer_range", "parameters"});
        if (!src["model"]) p.fail(src, "slice source without model");
        SliceSource s{p.text(src["model"], "model"), std::nullopt,
                      p.parameters(src["parameters"], info, /*per_model=*/true)};
        if (const YAML::Node range = src["layer_range"]) {
          int64_t begin = 0, end = 0;
          if (!range.IsSequence() || range.size() != 2 ||
              !YAML::convert<int64_t>::decode(range[0], begin) ||
              !YAML::convert<int64_t>::decode(range[1], end) || begin < 0 || end <= begin)
            p.fail(range, "layer_range must be [begin, end) with 0 <= begin < end");
          s.layer_range = std::make_pair(begin, end);
        }
        slice.sources.push_back(std::move(s));
      }
      r.slices.push_back(std::move(slice));
    }
  }

  if (!r.models.empty() && !r.slices.empty())
    throw InputError(origin + ": give either models or slices, not both");
  if (r.models.empty() && r.slices.empty() && !r.base_model)
    throw InputError(origin + ": the recipe names no models (models, slices or base_model)");
  if (info.base == BaseRole::Required && !r.base_model)
    throw InputError(origin + ": merge_method " + info.name + " needs a base_model");
  return r;
}

Recipe parse_recipe_file(const std::filesystem::path& path) {
  return parse_recipe(read_file(path), path.string(), path.parent_path());
}

std::vector<std::string> Recipe::model_refs() const {
  std::vector<std::string> refs;
  auto add = [&](const std::string& ref) {
    if (std::find(refs.begin(), refs.end(), ref) == refs.end()) refs.push_back(ref);
  };
  if (base_model) add(*base_model);
  for (const auto& m : models) add(m.model);
  for (const auto& slice : slices)
    for (const auto& s : slice.sources) add(s.model);
  return refs;
}

std::string Recipe::locate(const std::string& ref) const {
  const std::filesystem::path p(ref);
  if (p.is_relative()) {
    std::error_code ec;
    const auto candidate = directory / p;
    if (std::filesystem::exists(candidate, ec)) return candidate.string();
  }
  return ref;
}

}  // namespace hallmark::merge
