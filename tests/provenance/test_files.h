// Small file and process utilities for the provenance tests (ScratchDir is tests/support's).
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

#include "tests/support/scratch_dir.h"

namespace hallmark::provenance::test {

using hallmark::testing::ScratchDir;

// Writes `size` pseudo-random bytes (xorshift from `seed`) to `path`.
void write_random(const std::filesystem::path& path, uint64_t size, uint64_t seed);
// Runs a shell command and returns its standard output; fails the test on a non-zero exit.
std::string run(const std::string& command);
// Single-quotes a string for the shell.
std::string shell_quote(const std::string& text);

}  // namespace hallmark::provenance::test
