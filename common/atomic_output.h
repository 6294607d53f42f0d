// Outputs appear whole or not at all: everything is written under a temporary name beside the
// destination, flushed to disk, then renamed into place.
#pragma once

#include <filesystem>
#include <string_view>

namespace hallmark {

// Writes `bytes` to `path` via a temporary file in the same directory, fsync and rename.
void write_file_atomic(const std::filesystem::path& path, std::string_view bytes);

// A directory that is built under a temporary name and renamed to its destination on commit().
// If the object is destroyed before commit() (an exception, a bad input), the temporary
// directory is removed, so no half-written output is left behind.
class AtomicDir {
 public:
  // Throws InputError if `dest` exists and `overwrite` is false. With `overwrite`, an existing
  // `dest` is replaced only at commit().
  AtomicDir(std::filesystem::path dest, bool overwrite);
  ~AtomicDir();
  AtomicDir(const AtomicDir&) = delete;
  AtomicDir& operator=(const AtomicDir&) = delete;

  // Where to write the contents before commit().
  const std::filesystem::path& path() const { return tmp_; }
  const std::filesystem::path& destination() const { return dest_; }

  // fsyncs every file, renames the temporary directory to the destination.
  void commit();

 private:
  std::filesystem::path dest_;
  std::filesystem::path tmp_;
  bool overwrite_;
  bool committed_ = false;
};

}  // namespace hallmark
