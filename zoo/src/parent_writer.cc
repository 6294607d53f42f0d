#include "zoo/src/parent_writer.h"

#include <ATen/ATen.h>

#include <nlohmann/json.hpp>

#include "checkpoint/aten.h"
#include "checkpoint/safetensors.h"
#include "common/atomic_output.h"
#include "zoo/src/sha256.h"

namespace hallmark::zoo {
namespace {

std::string model_card(const ParentSpec& spec) {
  std::string card = "---\nlicense: " + spec.license + "\n";
  if (!spec.base_model.empty()) {
    card += "base_model: " + spec.base_model + "\nbase_model_relation: finetune\n";
  }
  if (spec.documented && !spec.datasets.empty()) {
    card += "datasets:\n";
    for (const auto& d : spec.datasets) card += "- " + d.name + "\n";
  }
  card += "tags:\n- hallmark-zoo\n- llama\nlibrary_name: transformers\n---\n\n";
  card += "# " + zoo_model_id(spec.dir) + "\n\n" + spec.summary + "\n\n";
  card +=
      "A tiny Llama-architecture model of the hallmark demo world, trained on CPU with libtorch "
      "by `hallmark zoo`. It is a demonstration artefact, not a useful language model.\n";
  if (spec.documented) {
    card += "\n## Training data\n\n";
    for (const auto& d : spec.datasets) {
      card += "- `" + d.name + "` (" + d.license + "): " + d.collection + " File: `data/" +
              d.file + "`, listed with its SHA-256 in `provenance.json`.\n";
    }
  }
  return card;
}

std::string provenance(const ParentSpec& spec) {
  nlohmann::json datasets = nlohmann::json::array();
  for (const auto& d : spec.datasets) {
    datasets.push_back({{"name", d.name},
                        {"source", d.source},
                        {"license", d.license},
                        {"sha256", sha256_hex(d.bytes)},
                        {"collection", d.collection},
                        {"path", "data/" + d.file}});
  }
  return nlohmann::json{{"datasets", datasets}}.dump(2) + "\n";
}

}  // namespace

std::string zoo_model_id(const std::string& dir) { return "hallmark-zoo/" + dir; }

void write_parent(const std::filesystem::path& dir, const ParentSpec& spec,
                  const fitness::LlamaConfig& config, const fitness::WeightMap& weights,
                  const std::filesystem::path& tokenizer_model) {
  std::filesystem::create_directories(dir);
  auto json = config.to_json();
  json["torch_dtype"] = "bfloat16";
  write_file_atomic(dir / "config.json", json.dump(2) + "\n");

  std::vector<at::Tensor> keep;
  std::vector<checkpoint::TensorView> views;
  for (const auto& [name, shape] : config.weight_shapes()) {
    keep.push_back(weights.at(name).detach().to(at::kBFloat16).contiguous());
    views.push_back(checkpoint::view_of(name, keep.back()));
  }
  write_file_atomic(dir / "model.safetensors",
                    checkpoint::serialize_safetensors(views, {{"format", "pt"}}));
  std::filesystem::copy_file(tokenizer_model, dir / "tokenizer.model");
  write_file_atomic(dir / "README.md", model_card(spec));
  if (spec.documented) {
    write_file_atomic(dir / "provenance.json", provenance(spec));
    std::filesystem::create_directories(dir / "data");
    for (const auto& d : spec.datasets) write_file_atomic(dir / "data" / d.file, d.bytes);
  }
}

}  // namespace hallmark::zoo
