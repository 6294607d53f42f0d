// A Hugging Face checkpoint directory: config.json, model.safetensors or shards listed in
// model.safetensors.index.json, tokenizer files and a README.md model card. Tensors are read
// lazily from memory-mapped files.
#pragma once

#include <cstddef>
#include <filesystem>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "checkpoint/safetensors.h"

namespace hallmark::checkpoint {

// A directory path, or a hub id ("org/name", optionally "org/name@revision") resolved offline
// in the local Hugging Face cache ($HF_HUB_CACHE, else $HF_HOME/hub, else
// ~/.cache/huggingface/hub; models--ORG--NAME/snapshots/REV, REV from refs/main unless given).
// Nothing is downloaded. Throws InputError when neither exists.
std::filesystem::path resolve_model(std::string_view path_or_hub_id);

class Checkpoint {
 public:
  // Opens and validates every weight file (headers only; data stays on disk until touched).
  // Throws InputError naming the file and reason: missing config.json or weights, a shard
  // index pointing outside the directory or at a missing shard, a tensor listed twice.
  static Checkpoint open(std::string_view path_or_hub_id);

  const std::filesystem::path& dir() const { return dir_; }
  // The name the user gave (hub id or path), for reports and model cards.
  const std::string& name() const { return name_; }
  const nlohmann::json& config() const { return config_; }

  // Sorted by name.
  std::vector<std::string> tensor_names() const;
  bool has_tensor(std::string_view name) const;
  // Throws InputError("DIR: no tensor NAME") when absent.
  const TensorInfo& info(std::string_view name) const;
  std::span<const std::byte> data(std::string_view name) const;
  const SafetensorsFile& file_of(std::string_view name) const;
  // The weight files, in shard order.
  const std::vector<SafetensorsFile>& files() const { return files_; }
  uint64_t total_tensor_bytes() const;

  // tokenizer.model (SentencePiece), when present.
  std::optional<std::filesystem::path> tokenizer_model() const;
  // README.md, when present.
  std::optional<std::filesystem::path> model_card() const;

 private:
  std::filesystem::path dir_;
  std::string name_;
  nlohmann::json config_;
  std::vector<SafetensorsFile> files_;
  std::map<std::string, size_t, std::less<>> where_;  // tensor name -> index in files_
};

}  // namespace hallmark::checkpoint
