#pragma once

#include <filesystem>
#include <string>
#include <string_view>

namespace hallmark::zoo {

// Lowercase hex SHA-256 of bytes / of a file's contents.
std::string sha256_hex(std::string_view bytes);
std::string sha256_file(const std::filesystem::path& path);

}  // namespace hallmark::zoo
