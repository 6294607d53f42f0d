// A read-only view of a whole file through a private copy-on-write mapping: pages are shared
// with the page cache until someone writes, and writes never reach the file.
#pragma once

#include <cstddef>
#include <filesystem>

namespace hallmark::checkpoint {

class MappedFile {
 public:
  explicit MappedFile(const std::filesystem::path& path);  // throws InputError
  ~MappedFile();
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;

  const std::byte* data() const { return data_; }
  size_t size() const { return size_; }

 private:
  std::byte* data_ = nullptr;
  size_t size_ = 0;
};

}  // namespace hallmark::checkpoint
