#include "provenance/src/file_hash.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <memory>
#include <string>

#include "common/error.h"

namespace hallmark::provenance::detail {
namespace {

// Large enough that the syscall cost is negligible, small enough to stay in the L2 cache
// between the copy out of the page cache and the hash.
constexpr size_t kBlock = 1 << 20;

class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }

 private:
  int fd_;
};

[[noreturn]] void fail(const std::filesystem::path& path, int err) {
  throw InputError(path.string() + ": cannot read: " + std::strerror(err));
}

}  // namespace

FileHash hash_file(const std::filesystem::path& path) {
  Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (fd.get() < 0) fail(path, errno);
  ::posix_fadvise(fd.get(), 0, 0, POSIX_FADV_SEQUENTIAL);
  std::unique_ptr<char[]> buffer(new char[kBlock]);
  Sha256 sha;
  FileHash out;
  for (;;) {
    ssize_t n = ::read(fd.get(), buffer.get(), kBlock);
    if (n < 0) {
      if (errno == EINTR) continue;
      fail(path, errno);
    }
    if (n == 0) break;
    sha.update(buffer.get(), static_cast<size_t>(n));
    out.size += static_cast<uint64_t>(n);
  }
  out.digest = sha.finish();
  return out;
}

}  // namespace hallmark::provenance::detail
