// A unique temporary directory for one test, removed afterwards.
#pragma once

#include <filesystem>
#include <string>

namespace hallmark::testing {

class ScratchDir {
 public:
  ScratchDir();
  ~ScratchDir();
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;
  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path operator/(const std::string& name) const { return path_ / name; }

 private:
  std::filesystem::path path_;
};

// Writes raw bytes to a file (no atomicity needed in tests).
void write_bytes(const std::filesystem::path& path, const std::string& bytes);

}  // namespace hallmark::testing
