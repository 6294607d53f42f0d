// Test helpers: a scratch directory under the system temp dir, removed at the end, and small
// file and process utilities.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

namespace hallmark::provenance::test {

class ScratchDir {
 public:
  ScratchDir();
  ~ScratchDir();
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

// Writes `bytes` to `path`, creating parent directories.
void write(const std::filesystem::path& path, std::string_view bytes);
// Writes `size` pseudo-random bytes (xorshift from `seed`) to `path`.
void write_random(const std::filesystem::path& path, uint64_t size, uint64_t seed);
// Runs a shell command and returns its standard output; fails the test on a non-zero exit.
std::string run(const std::string& command);
// Single-quotes a string for the shell.
std::string shell_quote(const std::string& text);

}  // namespace hallmark::provenance::test
