#include "common/atomic_output.h"

#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <string>

#include "common/error.h"
#include "common/files.h"

namespace fs = std::filesystem;

namespace hallmark {
namespace {

fs::path temp_sibling(const fs::path& dest) {
  static std::atomic<unsigned> counter{0};
  fs::path parent = dest.parent_path().empty() ? fs::path(".") : dest.parent_path();
  return parent / ("." + dest.filename().string() + ".tmp-" + std::to_string(::getpid()) + "-" +
                   std::to_string(counter++));
}

void write_all(int fd, std::string_view bytes, const fs::path& path) {
  while (!bytes.empty()) {
    ssize_t n = ::write(fd, bytes.data(), bytes.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      throw std::runtime_error(path.string() + ": write failed: " + std::strerror(errno));
    }
    bytes.remove_prefix(static_cast<size_t>(n));
  }
}

}  // namespace

void write_file_atomic(const fs::path& path, std::string_view bytes) {
  fs::path tmp = temp_sibling(path);
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) throw InputError(path.string() + ": cannot write: " + std::strerror(errno));
  try {
    write_all(fd, bytes, path);
    if (::fsync(fd) != 0) throw std::runtime_error(path.string() + ": fsync failed");
  } catch (...) {
    ::close(fd);
    ::unlink(tmp.c_str());
    throw;
  }
  ::close(fd);
  if (::rename(tmp.c_str(), path.c_str()) != 0) {
    int err = errno;
    ::unlink(tmp.c_str());
    throw std::runtime_error(path.string() + ": rename failed: " + std::strerror(err));
  }
}

AtomicDir::AtomicDir(fs::path dest, bool overwrite)
    : dest_(std::move(dest)), tmp_(temp_sibling(dest_)), overwrite_(overwrite) {
  if (fs::exists(dest_) && !overwrite_)
    throw InputError(dest_.string() + ": output already exists (use --force to replace it)");
  std::error_code ec;
  fs::create_directories(tmp_, ec);
  if (ec) throw InputError(dest_.string() + ": cannot create output: " + ec.message());
}

AtomicDir::~AtomicDir() {
  if (!committed_) {
    std::error_code ec;
    fs::remove_all(tmp_, ec);
  }
}

void AtomicDir::commit() {
  for (const auto& entry : fs::recursive_directory_iterator(tmp_))
    if (entry.is_regular_file()) fsync_path(entry.path());
  fsync_path(tmp_);
  if (fs::exists(dest_)) {
    if (!overwrite_)
      throw InputError(dest_.string() + ": output already exists (use --force to replace it)");
    fs::path old = temp_sibling(dest_);
    fs::rename(dest_, old);
    fs::rename(tmp_, dest_);
    std::error_code ec;
    fs::remove_all(old, ec);
  } else {
    fs::rename(tmp_, dest_);
  }
  fsync_path(dest_.parent_path().empty() ? fs::path(".") : dest_.parent_path());
  committed_ = true;
}

}  // namespace hallmark
