#include "provenance/src/model_files.h"

#include <algorithm>
#include <set>
#include <system_error>

#include "common/error.h"

namespace hallmark::provenance::detail {
namespace fs = std::filesystem;
namespace {

bool is_ignored(const std::string& rel, const std::vector<std::string>& ignore) {
  for (const auto& ig : ignore) {
    if (rel == ig) return true;
    if (rel.size() > ig.size() && rel.compare(0, ig.size(), ig) == 0 && rel[ig.size()] == '/')
      return true;
  }
  return false;
}

bool is_within(const fs::path& root, const fs::path& target) {
  auto r = root.begin();
  auto t = target.begin();
  for (; r != root.end(); ++r, ++t)
    if (t == target.end() || *r != *t) return false;
  return true;
}

class Walker {
 public:
  Walker(const fs::path& dir, const std::vector<std::string>& ignore, bool allow_symlinks)
      : ignore_(ignore), allow_symlinks_(allow_symlinks) {
    std::error_code ec;
    root_ = fs::canonical(dir, ec);
    if (ec) throw InputError(dir.string() + ": cannot open model directory: " + ec.message());
    if (!fs::is_directory(root_)) throw InputError(dir.string() + ": not a directory");
    shown_root_ = dir;
  }

  std::vector<ModelFile> run() {
    visited_.insert(root_);
    walk(shown_root_, "");
    std::sort(files_.begin(), files_.end(),
              [](const ModelFile& a, const ModelFile& b) { return a.rel < b.rel; });
    return std::move(files_);
  }

 private:
  void walk(const fs::path& dir, const std::string& prefix) {
    std::error_code ec;
    fs::directory_iterator it(dir, ec);
    if (ec) throw InputError(dir.string() + ": cannot list directory: " + ec.message());
    for (; it != fs::directory_iterator(); it.increment(ec)) {
      if (ec) throw InputError(dir.string() + ": cannot list directory: " + ec.message());
      const fs::path path = it->path();
      std::string rel = prefix.empty() ? path.filename().string()
                                       : prefix + "/" + path.filename().string();
      if (is_ignored(rel, ignore_)) continue;
      visit(path, rel);
    }
  }

  void visit(const fs::path& path, const std::string& rel) {
    std::error_code ec;
    fs::file_status st = fs::symlink_status(path, ec);
    if (ec) throw InputError(path.string() + ": cannot stat: " + ec.message());
    if (fs::is_symlink(st)) {
      if (!allow_symlinks_)
        throw InputError(path.string() + ": symbolic link in the model directory (symlinks "
                         "are not allowed unless requested)");
      fs::path target = fs::canonical(path, ec);
      if (ec) throw InputError(path.string() + ": broken symbolic link: " + ec.message());
      if (!is_within(root_, target))
        throw InputError(path.string() + ": symbolic link leads outside the model directory");
      st = fs::status(target, ec);
      if (fs::is_directory(st)) {
        if (visited_.insert(target).second) walk(path, rel);
        return;
      }
    }
    if (fs::is_regular_file(st)) {
      uint64_t size = fs::file_size(path, ec);
      if (ec) throw InputError(path.string() + ": cannot stat: " + ec.message());
      files_.push_back({rel, path, size});
    } else if (fs::is_directory(st)) {
      walk(path, rel);
    } else {
      throw InputError(path.string() + ": not a regular file or directory");
    }
  }

  fs::path root_;
  fs::path shown_root_;
  const std::vector<std::string>& ignore_;
  bool allow_symlinks_;
  std::set<fs::path> visited_;
  std::vector<ModelFile> files_;
};

}  // namespace

std::string normalize_ignore_path(const std::string& path) {
  std::string p = path;
  while (p.size() > 2 && p.compare(0, 2, "./") == 0) p.erase(0, 2);
  while (p.size() > 1 && p.back() == '/') p.pop_back();
  if (p.empty() || p == "." || p.front() == '/')
    throw InputError("ignore path '" + path + "': must be a non-empty relative path");
  for (const auto& part : fs::path(p))
    if (part == "..") throw InputError("ignore path '" + path + "': must not contain '..'");
  return p;
}

std::vector<ModelFile> list_model_files(const fs::path& dir, const std::vector<std::string>& ignore,
                                        bool allow_symlinks) {
  return Walker(dir, ignore, allow_symlinks).run();
}

}  // namespace hallmark::provenance::detail
