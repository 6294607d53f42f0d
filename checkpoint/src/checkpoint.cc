#include "checkpoint/checkpoint.h"

#include <algorithm>

#include "common/error.h"
#include "common/files.h"

namespace fs = std::filesystem;
using nlohmann::json;

namespace hallmark::checkpoint {
namespace {

json read_json(const fs::path& path) {
  try {
    return json::parse(read_file(path));
  } catch (const json::parse_error& e) {
    throw InputError(path.string() + ": not valid JSON: " + e.what());
  }
}

// The shard files named by model.safetensors.index.json, in order of first appearance, each
// checked to stay inside the checkpoint directory.
std::vector<fs::path> shards_from_index(const fs::path& dir, const fs::path& index_path) {
  const json index = read_json(index_path);
  auto map = index.find("weight_map");
  if (!index.is_object() || map == index.end() || !map->is_object())
    throw InputError(index_path.string() + ": missing weight_map");
  const fs::path root = fs::weakly_canonical(dir);
  std::vector<fs::path> shards;
  for (const auto& [tensor, file] : map->items()) {
    if (!file.is_string()) throw InputError(index_path.string() + ": tensor " + tensor + ": shard name is not a string");
    const fs::path rel(file.get<std::string>());
    const fs::path full = fs::weakly_canonical(dir / rel);
    auto [r, f] = std::mismatch(root.begin(), root.end(), full.begin(), full.end());
    if (rel.is_absolute() || r != root.end() || full == root)
      throw InputError(index_path.string() + ": tensor " + tensor + ": shard '" + rel.string() +
                       "' points outside the checkpoint directory");
    if (!fs::is_regular_file(full))
      throw InputError(index_path.string() + ": tensor " + tensor + ": shard '" + rel.string() + "' is missing");
    if (std::find(shards.begin(), shards.end(), dir / rel) == shards.end()) shards.push_back(dir / rel);
  }
  return shards;
}

}  // namespace

Checkpoint Checkpoint::open(std::string_view path_or_hub_id) {
  Checkpoint c;
  c.name_ = std::string(path_or_hub_id);
  c.dir_ = resolve_model(path_or_hub_id);
  const fs::path config = c.dir_ / "config.json";
  if (!fs::is_regular_file(config)) throw InputError(c.dir_.string() + ": missing config.json");
  c.config_ = read_json(config);
  if (!c.config_.is_object()) throw InputError(config.string() + ": not a JSON object");

  std::vector<fs::path> weight_paths;
  const fs::path index = c.dir_ / "model.safetensors.index.json";
  if (fs::is_regular_file(index)) {
    weight_paths = shards_from_index(c.dir_, index);
  } else if (fs::is_regular_file(c.dir_ / "model.safetensors")) {
    weight_paths.push_back(c.dir_ / "model.safetensors");
  } else {
    throw InputError(c.dir_.string() + ": no model.safetensors or model.safetensors.index.json");
  }
  for (const auto& p : weight_paths) {
    c.files_.push_back(SafetensorsFile::open(p));
    for (const auto& t : c.files_.back().tensors()) {
      auto [it, inserted] = c.where_.emplace(t.name, c.files_.size() - 1);
      if (!inserted)
        throw InputError(p.string() + ": tensor " + t.name + " also appears in " +
                         c.files_[it->second].path().filename().string());
    }
  }
  if (fs::is_regular_file(index)) {
    const json map = read_json(index)["weight_map"];
    for (const auto& [tensor, file] : map.items()) {
      auto it = c.where_.find(tensor);
      if (it == c.where_.end() || c.files_[it->second].path().filename() != fs::path(file.get<std::string>()).filename())
        throw InputError(index.string() + ": tensor " + tensor + " is not in shard " + file.get<std::string>());
    }
    if (map.size() != c.where_.size())
      throw InputError(index.string() + ": the shards hold tensors the index does not list");
  }
  return c;
}

std::vector<std::string> Checkpoint::tensor_names() const {
  std::vector<std::string> names;
  names.reserve(where_.size());
  for (const auto& [name, _] : where_) names.push_back(name);
  return names;
}

bool Checkpoint::has_tensor(std::string_view name) const { return where_.find(name) != where_.end(); }

const SafetensorsFile& Checkpoint::file_of(std::string_view name) const {
  auto it = where_.find(name);
  if (it == where_.end()) throw InputError(dir_.string() + ": no tensor " + std::string(name));
  return files_[it->second];
}

const TensorInfo& Checkpoint::info(std::string_view name) const { return *file_of(name).find(name); }

std::span<const std::byte> Checkpoint::data(std::string_view name) const {
  const auto& f = file_of(name);
  return f.data(*f.find(name));
}

uint64_t Checkpoint::total_tensor_bytes() const {
  uint64_t total = 0;
  for (const auto& f : files_)
    for (const auto& t : f.tensors()) total += t.nbytes;
  return total;
}

std::optional<fs::path> Checkpoint::tokenizer_model() const {
  if (fs::is_regular_file(dir_ / "tokenizer.model")) return dir_ / "tokenizer.model";
  return std::nullopt;
}

std::optional<fs::path> Checkpoint::model_card() const {
  if (fs::is_regular_file(dir_ / "README.md")) return dir_ / "README.md";
  return std::nullopt;
}

}  // namespace hallmark::checkpoint
