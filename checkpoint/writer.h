// Writes the weights of a checkpoint directory: model.safetensors, or when the tensors exceed
// the shard size, model-0000i-of-0000N.safetensors plus model.safetensors.index.json (as
// transformers' save_pretrained does). Shards are planned up front from the tensor specs, so
// tensors can be produced one at a time, in any order, and memory does not grow with the model.
// Same specs and bytes give the same files.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "checkpoint/safetensors.h"

namespace hallmark::checkpoint {

struct TensorSpec {
  std::string name;
  DType dtype;
  std::vector<int64_t> shape;
  uint64_t nbytes() const;
};

struct WriteOptions {
  uint64_t max_shard_bytes = 5'000'000'000;  // transformers' default "5GB"
  std::map<std::string, std::string> metadata = {{"format", "pt"}};
};

class ShardedWriter {
 public:
  // `dir` must exist (normally an AtomicDir's temporary path). Tensors are laid out in the
  // order of `specs`; a new shard starts when the next tensor would pass max_shard_bytes.
  ShardedWriter(std::filesystem::path dir, std::vector<TensorSpec> specs, WriteOptions options = {});
  ~ShardedWriter();
  ShardedWriter(const ShardedWriter&) = delete;
  ShardedWriter& operator=(const ShardedWriter&) = delete;

  // Writes one tensor's bytes at its planned place; thread-safe for distinct tensors.
  // Throws std::invalid_argument for an unknown name, a repeated write or a wrong size.
  void write(const std::string& name, std::span<const std::byte> bytes);
  // Checks every tensor was written, writes the index when sharded, closes the files.
  // Returns the files written, relative to dir.
  std::vector<std::string> finish();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace hallmark::checkpoint
