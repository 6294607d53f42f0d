// Listing the files of a model directory the way the model signing "files" serialization sees
// them: regular files only, relative POSIX paths, ignored paths left out, symlinks checked.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace hallmark::provenance::detail {

struct ModelFile {
  std::string rel;              // relative POSIX path
  std::filesystem::path path;   // on disk (a followed symlink keeps its own path)
  uint64_t size = 0;
};

// Normalizes an ignore path to a relative POSIX path without "./" or a trailing "/".
// Throws InputError for an absolute path, an empty one, or one with "..".
std::string normalize_ignore_path(const std::string& path);

// Files under `dir`, sorted by rel (code point order). `ignore` holds normalized paths; a path
// is ignored when it equals one or lies under one. Throws InputError naming the path for a
// symlink that is not allowed or leads outside `dir`, a special file, or an unreadable
// directory.
std::vector<ModelFile> list_model_files(const std::filesystem::path& dir,
                                        const std::vector<std::string>& ignore,
                                        bool allow_symlinks);

}  // namespace hallmark::provenance::detail
