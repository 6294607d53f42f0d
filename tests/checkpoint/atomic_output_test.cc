#include <catch2/catch.hpp>

#include <stdexcept>

#include "common/atomic_output.h"
#include "common/error.h"
#include "common/files.h"
#include "tests/support/scratch_dir.h"

using hallmark::testing::ScratchDir;
namespace fs = std::filesystem;

TEST_CASE("an uncommitted output directory leaves nothing behind") {
  ScratchDir dir;
  try {
    hallmark::AtomicDir out(dir / "child", false);
    hallmark::write_file_atomic(out.path() / "a.txt", "half");
    throw std::runtime_error("merge failed");
  } catch (const std::runtime_error&) {
  }
  CHECK(fs::is_empty(dir.path()));
}

TEST_CASE("a committed output directory appears whole") {
  ScratchDir dir;
  hallmark::AtomicDir out(dir / "child", false);
  hallmark::write_file_atomic(out.path() / "a.txt", "done");
  CHECK_FALSE(fs::exists(dir / "child"));
  out.commit();
  CHECK(hallmark::read_file(dir / "child" / "a.txt") == "done");
}

TEST_CASE("an existing output is kept unless overwriting is asked for") {
  ScratchDir dir;
  fs::create_directories(dir / "child");
  hallmark::write_file_atomic(dir / "child" / "old.txt", "old");
  CHECK_THROWS_WITH(hallmark::AtomicDir(dir / "child", false), Catch::Contains("output already exists (use --force"));
  hallmark::AtomicDir out(dir / "child", true);
  hallmark::write_file_atomic(out.path() / "new.txt", "new");
  CHECK(fs::exists(dir / "child" / "old.txt"));
  out.commit();
  CHECK_FALSE(fs::exists(dir / "child" / "old.txt"));
  CHECK(fs::exists(dir / "child" / "new.txt"));
}
