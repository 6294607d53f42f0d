#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <mutex>
#include <stdexcept>
#include <unordered_map>

#include <nlohmann/json.hpp>

#include "checkpoint/src/header.h"
#include "checkpoint/writer.h"
#include "common/atomic_output.h"

namespace hallmark::checkpoint {

struct ShardedWriter::Impl {
  struct Shard {
    std::string file;
    int fd = -1;
  };
  struct Slot {
    size_t shard;
    uint64_t offset;
    uint64_t nbytes;
    bool written = false;
  };
  std::filesystem::path dir;
  std::vector<TensorSpec> specs;
  std::vector<Shard> shards;
  std::unordered_map<std::string, Slot> slots;
  std::mutex mu;

  ~Impl() {
    for (auto& s : shards)
      if (s.fd >= 0) ::close(s.fd);
  }
};

namespace {

void pwrite_all(int fd, const std::byte* p, uint64_t n, uint64_t offset, const std::string& file) {
  while (n > 0) {
    ssize_t w = ::pwrite(fd, p, n, static_cast<off_t>(offset));
    if (w < 0) {
      if (errno == EINTR) continue;
      throw std::runtime_error(file + ": write failed: " + std::strerror(errno));
    }
    p += w;
    n -= static_cast<uint64_t>(w);
    offset += static_cast<uint64_t>(w);
  }
}

std::string shard_name(size_t i, size_t n) {
  if (n == 1) return "model.safetensors";
  char buf[64];
  std::snprintf(buf, sizeof buf, "model-%05zu-of-%05zu.safetensors", i + 1, n);
  return buf;
}

}  // namespace

ShardedWriter::ShardedWriter(std::filesystem::path dir, std::vector<TensorSpec> specs, WriteOptions options)
    : impl_(std::make_unique<Impl>()) {
  impl_->dir = std::move(dir);
  impl_->specs = std::move(specs);
  std::vector<std::vector<TensorSpec>> groups(1);
  uint64_t in_shard = 0;
  for (const auto& spec : impl_->specs) {
    if (in_shard > 0 && in_shard + spec.nbytes() > options.max_shard_bytes) {
      groups.emplace_back();
      in_shard = 0;
    }
    groups.back().push_back(spec);
    in_shard += spec.nbytes();
  }
  for (size_t i = 0; i < groups.size(); ++i) {
    Impl::Shard shard{shard_name(i, groups.size())};
    const std::string header = build_header(groups[i], options.metadata);
    uint64_t offset = header.size();
    for (const auto& spec : groups[i]) {
      impl_->slots.emplace(spec.name, Impl::Slot{i, offset, spec.nbytes()});
      offset += spec.nbytes();
    }
    const auto path = impl_->dir / shard.file;
    shard.fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (shard.fd < 0) throw std::runtime_error(path.string() + ": cannot create: " + std::strerror(errno));
    impl_->shards.push_back(shard);
    if (::ftruncate(shard.fd, static_cast<off_t>(offset)) != 0)
      throw std::runtime_error(path.string() + ": cannot size: " + std::strerror(errno));
    pwrite_all(shard.fd, reinterpret_cast<const std::byte*>(header.data()), header.size(), 0, path.string());
  }
}

ShardedWriter::~ShardedWriter() = default;

void ShardedWriter::write(const std::string& name, std::span<const std::byte> bytes) {
  Impl::Slot* slot;
  {
    std::lock_guard lock(impl_->mu);
    auto it = impl_->slots.find(name);
    if (it == impl_->slots.end()) throw std::invalid_argument("tensor " + name + ": not in the output plan");
    if (it->second.written) throw std::invalid_argument("tensor " + name + ": written twice");
    if (it->second.nbytes != bytes.size())
      throw std::invalid_argument("tensor " + name + ": " + std::to_string(bytes.size()) + " bytes, expected " +
                                  std::to_string(it->second.nbytes));
    it->second.written = true;
    slot = &it->second;
  }
  const auto& shard = impl_->shards[slot->shard];
  pwrite_all(shard.fd, bytes.data(), bytes.size(), slot->offset, shard.file);
}

std::vector<std::string> ShardedWriter::finish() {
  for (const auto& spec : impl_->specs)
    if (!impl_->slots.at(spec.name).written)
      throw std::invalid_argument("tensor " + spec.name + ": never written");
  std::vector<std::string> files;
  for (auto& shard : impl_->shards) {
    if (::fsync(shard.fd) != 0 || ::close(shard.fd) != 0) {
      shard.fd = -1;
      throw std::runtime_error(shard.file + ": flush failed: " + std::strerror(errno));
    }
    shard.fd = -1;
    files.push_back(shard.file);
  }
  if (impl_->shards.size() > 1) {
    uint64_t total = 0;
    nlohmann::json weight_map = nlohmann::json::object();
    for (const auto& spec : impl_->specs) {
      total += spec.nbytes();
      weight_map[spec.name] = impl_->shards[impl_->slots.at(spec.name).shard].file;
    }
    nlohmann::json index = {{"metadata", {{"total_size", total}}}, {"weight_map", weight_map}};
    write_file_atomic(impl_->dir / "model.safetensors.index.json", index.dump(2) + "\n");
    files.push_back("model.safetensors.index.json");
  }
  return files;
}

}  // namespace hallmark::checkpoint
