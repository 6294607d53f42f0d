#include <cstdlib>
#include <fstream>

#include "checkpoint/checkpoint.h"
#include "common/error.h"

namespace fs = std::filesystem;

namespace hallmark::checkpoint {
namespace {

fs::path hub_cache() {
  if (const char* p = std::getenv("HF_HUB_CACHE"); p && *p) return p;
  if (const char* p = std::getenv("HF_HOME"); p && *p) return fs::path(p) / "hub";
  if (const char* p = std::getenv("XDG_CACHE_HOME"); p && *p) return fs::path(p) / "huggingface" / "hub";
  const char* home = std::getenv("HOME");
  return fs::path(home ? home : "/") / ".cache" / "huggingface" / "hub";
}

bool looks_like_hub_id(std::string_view id) {
  auto slash = id.find('/');
  if (slash == std::string_view::npos || slash == 0 || slash + 1 == id.size()) return false;
  if (id.find('/', slash + 1) != std::string_view::npos) return false;
  return id.front() != '.' && id.find("..") == std::string_view::npos;
}

}  // namespace

fs::path resolve_model(std::string_view path_or_hub_id) {
  const fs::path as_path(path_or_hub_id);
  if (fs::is_directory(as_path)) return as_path;
  std::string id(path_or_hub_id);
  std::string revision;
  if (auto at = id.find('@'); at != std::string::npos) {
    revision = id.substr(at + 1);
    id.resize(at);
  }
  if (!looks_like_hub_id(id))
    throw InputError(std::string(path_or_hub_id) + ": no such model directory");
  const fs::path repo = hub_cache() / ("models--" + id.substr(0, id.find('/')) + "--" + id.substr(id.find('/') + 1));
  if (revision.empty()) revision = "main";
  fs::path snapshot = repo / "snapshots" / revision;
  if (std::ifstream ref(repo / "refs" / revision); ref) {
    std::string commit;
    std::getline(ref, commit);
    snapshot = repo / "snapshots" / commit;
  }
  if (!fs::is_directory(snapshot))
    throw InputError(std::string(path_or_hub_id) + ": not a directory, and not in the local Hugging Face cache (" +
                     repo.string() + "); hallmark never downloads models");
  return snapshot;
}

}  // namespace hallmark::checkpoint
