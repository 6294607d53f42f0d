// Test support shared by every module's tests: a fresh directory under the system temp dir for
// one test, removed with everything in it when the test ends.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

namespace hallmark::testing {

class ScratchDir {
 public:
  ScratchDir();
  // Restores owner permissions first, so that tests that make files read-only clean up too.
  ~ScratchDir();
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;
  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path operator/(const std::string& name) const { return path_ / name; }

 private:
  std::filesystem::path path_;
};

// Writes raw bytes to a file, creating its parent directories; throws when it cannot.
void write_bytes(const std::filesystem::path& path, std::string_view bytes);

}  // namespace hallmark::testing
