// The standard demo world, built once per build tree and shared by every test that needs it.
// CTest runs test cases as separate processes, possibly at once, so the build is serialised
// with a file lock; build_zoo reuses a world that is already complete.
#pragma once

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <filesystem>

#include "zoo/world.h"

namespace hallmark::zoo::testing {

inline std::filesystem::path shared_world() {
  std::filesystem::path dir = std::filesystem::path(HALLMARK_BINARY_DIR) / "zoo-cache";
  std::filesystem::create_directories(dir);
  int fd = ::open((dir / "lock").c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd >= 0) ::flock(fd, LOCK_EX);
  ZooOptions options;
  options.out = dir / "world";
  build_zoo(options);
  if (fd >= 0) ::close(fd);
  return options.out;
}

}  // namespace hallmark::zoo::testing
