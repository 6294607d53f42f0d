// Writes one parent of the world as a Hugging Face checkpoint directory: config.json, bf16
// model.safetensors, tokenizer.model, a README.md model card whose front matter declares the
// license, base model and datasets, and (for documented parents) provenance.json listing each
// training data file under data/ with its SHA-256.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "fitness/config.h"
#include "fitness/model.h"

namespace hallmark::zoo {

struct DatasetFile {
  std::string name;        // hub-style id, e.g. "hallmark-zoo/addition"
  std::string file;        // under data/, e.g. "addition-train.jsonl"
  std::string license;     // Hub id
  std::string source;      // where it came from
  std::string collection;  // how it was collected
  std::string bytes;
};

struct ParentSpec {
  std::string dir;          // directory name under models/
  std::string license;      // Hub id
  std::string base_model;   // empty for the base model
  std::string summary;      // one paragraph for the card
  std::vector<DatasetFile> datasets;
  bool documented = true;   // false: no datasets in the card, no provenance.json, no data/
};

// The hub-style id of a world model ("hallmark-zoo/NAME").
std::string zoo_model_id(const std::string& dir);

// `weights` are fp32; they are written as bf16. `dir` must not exist yet.
void write_parent(const std::filesystem::path& dir, const ParentSpec& spec,
                  const fitness::LlamaConfig& config, const fitness::WeightMap& weights,
                  const std::filesystem::path& tokenizer_model);

}  // namespace hallmark::zoo
