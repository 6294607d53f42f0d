// Small file helpers with error messages that name the file.
#pragma once

#include <filesystem>
#include <string>

namespace hallmark {

// Reads a whole file; throws InputError("PATH: cannot read: REASON").
std::string read_file(const std::filesystem::path& path);

// fsync a file or directory by path; throws std::runtime_error on failure.
void fsync_path(const std::filesystem::path& path);

}  // namespace hallmark
