#include "merge/src/plan.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <set>

#include "common/error.h"
#include "merge/src/resolve.h"

namespace hallmark::merge {
namespace {

using checkpoint::Checkpoint;
using checkpoint::DType;
using checkpoint::TensorInfo;

// "model.layers.12.mlp.up_proj.weight" -> {"model.layers.", 12, ".mlp.up_proj.weight"}.
struct LayerName {
  std::string prefix;
  int64_t layer = 0;
  std::string suffix;
};

std::optional<LayerName> split_layer(const std::string& name) {
  static const std::string kKey = "layers.";
  for (size_t pos = name.find(kKey); pos != std::string::npos; pos = name.find(kKey, pos + 1)) {
    if (pos != 0 && name[pos - 1] != '.') continue;
    const size_t begin = pos + kKey.size();
    size_t end = begin;
    while (end < name.size() && std::isdigit(static_cast<unsigned char>(name[end]))) ++end;
    if (end > begin && end - begin < 10 && end < name.size() && name[end] == '.')
      return LayerName{name.substr(0, begin), std::stoll(name.substr(begin, end - begin)),
                       name.substr(end)};
  }
  return std::nullopt;
}

std::string shape_text(const std::vector<int64_t>& shape) {
  std::string s = "[";
  for (size_t i = 0; i < shape.size(); ++i) s += (i ? ", " : "") + std::to_string(shape[i]);
  return s + "]";
}

int64_t layer_count(const Checkpoint& ckpt) {
  const auto& config = ckpt.config();
  if (config.is_object() && config.contains("num_hidden_layers") &&
      config["num_hidden_layers"].is_number_integer())
    return config["num_hidden_layers"].get<int64_t>();
  int64_t count = 0;
  for (const auto& name : ckpt.tensor_names())
    if (auto l = split_layer(name)) count = std::max(count, l->layer + 1);
  return count;
}

// Weights outside the layers take a gradient's first value before the layers (embeddings)
// and its last value after them (final norm, lm_head).
double outside_layer_position(const std::string& name) {
  return name.find("embed") != std::string::npos ? 0.0 : 1.0;
}

std::optional<DType> recipe_dtype(const Recipe& r) {
  const auto& word = r.out_dtype ? r.out_dtype : r.dtype;
  if (!word) return std::nullopt;
  if (*word == "float32") return DType::F32;
  if (*word == "float16") return DType::F16;
  return DType::BF16;
}

struct Source {
  std::string model;
  const ParamMap* parameters = nullptr;  // highest precedence first
  const ParamMap* slice_parameters = nullptr;
};

class Planner {
 public:
  Planner(const Recipe& recipe, const Parents& parents)
      : r_(recipe), parents_(parents), method_(find_method(recipe.merge_method)) {
    if (!method_) throw InputError(r_.origin + ": unknown merge_method '" + r_.merge_method + "'");
    plan_.method = method_;
    plan_.refs = r_.model_refs();
    dtype_ = recipe_dtype(r_);
  }

  MergePlan run() {
    if (r_.slices.empty()) plan_models();
    else plan_slices();
    std::sort(plan_.jobs.begin(), plan_.jobs.end(),
              [](const TensorJob& a, const TensorJob& b) { return a.name < b.name; });
    for (size_t i = 1; i < plan_.jobs.size(); ++i)
      if (plan_.jobs[i].name == plan_.jobs[i - 1].name)
        throw InputError(r_.origin + ": two slices produce tensor " + plan_.jobs[i].name);
    if (plan_.jobs.empty()) throw InputError(r_.origin + ": the merge produces no tensors");
    return std::move(plan_);
  }

 private:
  const MethodInfo& info() const { return method_->info(); }
  const Checkpoint& ckpt(const std::string& ref) const { return parents_.checkpoint(ref); }

  // The tensor `name` of `ref`, which must exist with the shape of `like` in `like_ref`.
  const TensorInfo& require(const std::string& ref, const std::string& name,
                            const TensorInfo& like, const std::string& like_ref) const {
    const auto& c = ckpt(ref);
    if (!c.has_tensor(name))
      throw InputError(c.dir().string() + ": no tensor " + name + " (model " + ref +
                       "; present in " + like_ref + ")");
    const TensorInfo& ti = c.info(name);
    if (ti.shape != like.shape) {
      std::string hint;
      if (name.find("embed") != std::string::npos || name.find("lm_head") != std::string::npos)
        hint = "; parents with different vocabulary sizes are refused (see docs/merging.md)";
      throw InputError(c.dir().string() + ": tensor " + name + " has shape " + shape_text(ti.shape) +
                       " but " + like_ref + " has " + shape_text(like.shape) + hint);
    }
    return ti;
  }

  // Splits sources into the base and the merged models according to the method's base role.
  void split_sources(const std::vector<Source>& sources, std::optional<Source>& base,
                     std::vector<Source>& models, const std::string& where) const {
    const BaseRole role = info().base;
    const bool use_base = r_.base_model && role != BaseRole::Ignored;
    for (const auto& s : sources) {
      if (use_base && s.model == *r_.base_model) base = s;
      else models.push_back(s);
    }
    if (use_base && !base) base = Source{*r_.base_model, nullptr, nullptr};
    if (role == BaseRole::Ignored && models.empty() && r_.base_model)
      models.push_back(Source{*r_.base_model, nullptr, nullptr});
    const auto& mi = info();
    if (models.size() < mi.min_models || (mi.max_models && models.size() > mi.max_models)) {
      std::string want = mi.max_models == mi.min_models ? std::to_string(mi.min_models)
                         : mi.max_models ? std::to_string(mi.min_models) + " to " + std::to_string(mi.max_models)
                                         : "at least " + std::to_string(mi.min_models);
      throw InputError(where + ": merge_method " + mi.name + " merges " + want +
                       (role == BaseRole::Ignored ? "" : " models besides the base") + ", got " +
                       std::to_string(models.size()));
    }
  }

  void add_job(const std::string& out_name, const std::optional<Source>& base,
               const std::vector<Source>& models, const std::vector<std::string>& names,
               const ParamMap* slice_parameters, double t, const std::string& reference_ref,
               const std::string& reference_name) {
    const TensorInfo& like = ckpt(reference_ref).info(reference_name);
    TensorJob job;
    job.name = out_name;
    job.shape = like.shape;
    job.copy_only = !checkpoint::is_mergeable(like.dtype);
    job.dtype = job.copy_only ? like.dtype : dtype_.value_or(like.dtype);
    const size_t offset = base ? 1 : 0;
    if (base) job.base = InputRef{base->model, names[0]};
    if (base) require(base->model, names[0], like, reference_ref);
    for (size_t i = 0; i < models.size(); ++i) {
      const auto& m = models[i];
      require(m.model, names[offset + i], like, reference_ref);
      job.models.push_back(ModelInput{
          InputRef{m.model, names[offset + i]},
          resolve_params(info(), ParamScope::PerModel, {m.parameters, slice_parameters, &r_.parameters},
                         out_name, t, r_.origin + ": model " + m.model)});
    }
    job.globals = resolve_params(info(), ParamScope::Global, {slice_parameters, &r_.parameters},
                                 out_name, t, r_.origin);
    plan_.jobs.push_back(std::move(job));
  }

  void plan_models() {
    std::vector<Source> sources;
    for (const auto& m : r_.models) sources.push_back(Source{m.model, &m.parameters, nullptr});
    std::optional<Source> base;
    std::vector<Source> models;
    split_sources(sources, base, models, r_.origin);
    const std::string reference = base ? base->model : models[0].model;
    plan_.reference = reference;
    const Checkpoint& ref_ckpt = ckpt(reference);
    const auto names = ref_ckpt.tensor_names();

    // Parents must hold the same tensors with the same shapes.
    std::set<std::string> used;
    if (base) used.insert(base->model);
    for (const auto& m : models) used.insert(m.model);
    const std::set<std::string> expected(names.begin(), names.end());
    for (const auto& ref : used) {
      for (const auto& name : ckpt(ref).tensor_names())
        if (!expected.count(name))
          throw InputError(ckpt(ref).dir().string() + ": tensor " + name + " is not in " + reference +
                           " (parents must have the same tensor names)");
    }

    const int64_t layers = layer_count(ref_ckpt);
    for (const auto& name : names) {
      double t = outside_layer_position(name);
      if (auto l = split_layer(name))
        t = layers > 1 ? static_cast<double>(l->layer) / static_cast<double>(layers - 1) : 0.0;
      std::vector<std::string> input_names(models.size() + (base ? 1 : 0), name);
      add_job(name, base, models, input_names, nullptr, t, reference, name);
    }
    plan_.config = ref_ckpt.config();
  }

  void plan_slices() {
    int64_t out_layer = 0;
    for (size_t si = 0; si < r_.slices.size(); ++si) {
      const Slice& slice = r_.slices[si];
      const std::string where = r_.origin + ": slices[" + std::to_string(si) + "]";
      std::vector<Source> sources;
      int64_t length = -1;
      for (const auto& s : slice.sources) {
        if (!s.layer_range) throw InputError(where + ": source " + s.model + " needs a layer_range");
        const int64_t n = s.layer_range->second - s.layer_range->first;
        if (length >= 0 && n != length)
          throw InputError(where + ": sources have layer ranges of different lengths");
        length = n;
        const int64_t available = layer_count(ckpt(s.model));
        if (s.layer_range->second > available)
          throw InputError(where + ": layer_range [" + std::to_string(s.layer_range->first) + ", " +
                           std::to_string(s.layer_range->second) + ") of " + s.model + " is beyond its " +
                           std::to_string(available) + " layers");
        sources.push_back(Source{s.model, &s.parameters, &slice.parameters});
      }
      std::optional<Source> base;
      std::vector<Source> models;
      split_sources(sources, base, models, where);
      auto begin_of = [&](const std::string& model) {
        for (const auto& s : slice.sources)
          if (s.model == model) return s.layer_range->first;
        return slice.sources[0].layer_range->first;  // a base not among the sources
      };
      const Source& reference = base ? *base : models[0];
      if (plan_.reference.empty()) plan_.reference = reference.model;
      for (int64_t k = 0; k < length; ++k) {
        const double t = length > 1 ? static_cast<double>(k) / static_cast<double>(length - 1) : 0.0;
        const int64_t ref_layer = begin_of(reference.model) + k;
        for (const auto& name : ckpt(reference.model).tensor_names()) {
          auto l = split_layer(name);
          if (!l || l->layer != ref_layer) continue;
          auto name_in = [&](const std::string& model) {
            return l->prefix + std::to_string(begin_of(model) + k) + l->suffix;
          };
          std::vector<std::string> input_names;
          if (base) input_names.push_back(name_in(base->model));
          for (const auto& m : models) input_names.push_back(name_in(m.model));
          add_job(l->prefix + std::to_string(out_layer + k) + l->suffix, base, models, input_names,
                  &slice.parameters, t, reference.model, name);
        }
      }
      out_layer += length;
    }
    plan_outside_layers();
    plan_.config = ckpt(plan_.reference).config();
    if (plan_.config.is_object()) plan_.config["num_hidden_layers"] = out_layer;
  }

  // Embeddings come from the first slice's sources, everything after the layers from the last.
  void plan_outside_layers() {
    for (bool first : {true, false}) {
      const Slice& slice = first ? r_.slices.front() : r_.slices.back();
      std::vector<Source> sources;
      for (const auto& s : slice.sources) sources.push_back(Source{s.model, &s.parameters, &slice.parameters});
      std::optional<Source> base;
      std::vector<Source> models;
      split_sources(sources, base, models, r_.origin);
      const Source& reference = base ? *base : models[0];
      for (const auto& name : ckpt(reference.model).tensor_names()) {
        if (split_layer(name)) continue;
        const double t = outside_layer_position(name);
        if ((t == 0.0) != first) continue;
        std::vector<std::string> input_names(models.size() + (base ? 1 : 0), name);
        add_job(name, base, models, input_names, &slice.parameters, t, reference.model, name);
      }
    }
  }

  const Recipe& r_;
  const Parents& parents_;
  const Method* method_;
  std::optional<DType> dtype_;
  MergePlan plan_;
};

}  // namespace

MergePlan plan_merge(const Recipe& recipe, const Parents& parents) {
  return Planner(recipe, parents).run();
}

}  // namespace hallmark::merge
