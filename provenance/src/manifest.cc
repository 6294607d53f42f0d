#include "provenance/manifest.h"

#include <algorithm>
#include <map>
#include <set>
#include <thread>

#include "common/error.h"
#include "provenance/src/file_hash.h"
#include "provenance/src/model_files.h"
#include "provenance/src/parallel_for.h"
#include "provenance/src/sha256.h"

namespace hallmark::provenance {
namespace fs = std::filesystem;
namespace {

std::vector<std::string> effective_ignore_paths(const ManifestOptions& options) {
  std::set<std::string> paths;
  if (options.ignore_git_paths)
    for (const char* p : {".git", ".gitignore", ".gitattributes", ".github"}) paths.insert(p);
  if (!options.signature_file.empty())
    paths.insert(detail::normalize_ignore_path(options.signature_file));
  for (const auto& p : options.ignore_paths) paths.insert(detail::normalize_ignore_path(p));
  return {paths.begin(), paths.end()};
}

unsigned thread_count(const ManifestOptions& options) {
  if (options.threads > 0) return options.threads;
  return std::max(1u, std::thread::hardware_concurrency());
}

Manifest hash_files(const fs::path& dir, std::vector<std::string> ignore, bool allow_symlinks,
                    unsigned threads) {
  std::vector<detail::ModelFile> files = detail::list_model_files(dir, ignore, allow_symlinks);
  if (files.empty())
    throw InputError(dir.string() + ": no files to hash after applying exclusions");

  // Largest files first, so that one big shard does not start last and run alone.
  std::vector<size_t> order(files.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return files[a].size > files[b].size; });

  Manifest m;
  m.files.resize(files.size());
  detail::parallel_for(order.size(), threads, [&](size_t k) {
    size_t i = order[k];
    detail::FileHash h = detail::hash_file(files[i].path);
    m.files[i] = {files[i].rel, detail::to_hex(h.digest), h.size};
  });
  m.root_digest = root_digest(m.files);
  m.ignore_paths = std::move(ignore);
  m.allow_symlinks = allow_symlinks;
  return m;
}

const nlohmann::json& member(const nlohmann::json& obj, const char* key, const char* where) {
  if (!obj.is_object() || !obj.contains(key))
    throw InputError(std::string("model signing predicate: ") + where + " has no '" + key + "'");
  return obj.at(key);
}

}  // namespace

uint64_t Manifest::total_bytes() const {
  uint64_t total = 0;
  for (const auto& f : files) total += f.size;
  return total;
}

const FileDigest* Manifest::find(std::string_view path) const {
  auto it = std::lower_bound(files.begin(), files.end(), path,
                             [](const FileDigest& f, std::string_view p) { return f.path < p; });
  return it != files.end() && it->path == path ? &*it : nullptr;
}

std::string root_digest(const std::vector<FileDigest>& sorted_files) {
  detail::Sha256 sha;
  for (const auto& f : sorted_files) {
    if (!detail::is_sha256_hex(f.sha256))
      throw InputError(f.path + ": digest '" + f.sha256 + "' is not 64 lowercase hex characters");
    detail::Digest raw = detail::from_hex(f.sha256);
    sha.update(raw.data(), raw.size());
  }
  return detail::to_hex(sha.finish());
}

Manifest compute_manifest(const fs::path& dir, const ManifestOptions& options) {
  return hash_files(dir, effective_ignore_paths(options), options.allow_symlinks,
                    thread_count(options));
}

void verify_manifest(const fs::path& dir, const Manifest& expected,
                     const ManifestOptions& options) {
  std::vector<std::string> ignore;
  for (const auto& p : expected.ignore_paths) ignore.push_back(detail::normalize_ignore_path(p));
  std::vector<detail::ModelFile> files =
      detail::list_model_files(dir, ignore, expected.allow_symlinks);

  std::map<std::string, const FileDigest*> want;
  for (const auto& f : expected.files) want[f.path] = &f;
  std::set<std::string> present;
  for (const auto& f : files) {
    if (!want.count(f.rel))
      throw CheckFailed(dir.string() + ": " + f.rel + " is present but not in the manifest");
    present.insert(f.rel);
  }
  for (const auto& [path, f] : want)
    if (!present.count(path))
      throw CheckFailed(dir.string() + ": " + path + " is in the manifest but missing");

  Manifest actual = hash_files(dir, ignore, expected.allow_symlinks, thread_count(options));
  for (const auto& f : actual.files) {
    const FileDigest* w = want.at(f.path);
    if (w->sha256 != f.sha256)
      throw CheckFailed(dir.string() + ": " + f.path + " changed: sha256 " + f.sha256 +
                        ", manifest " + w->sha256);
  }
}

nlohmann::json resources_json(const Manifest& manifest) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& f : manifest.files)
    out.push_back({{"name", f.path}, {"algorithm", "sha256"}, {"digest", f.sha256}});
  return out;
}

nlohmann::json serialization_json(const Manifest& manifest) {
  return {{"method", "files"},
          {"hash_type", "sha256"},
          {"allow_symlinks", manifest.allow_symlinks},
          {"ignore_paths", manifest.ignore_paths}};
}

Manifest manifest_from_predicate(const nlohmann::json& predicate) {
  const auto& ser = member(predicate, "serialization", "predicate");
  const auto& method = member(ser, "method", "serialization");
  if (method != "files")
    throw InputError("model signing predicate: serialization method " + method.dump() +
                     " is not supported (only \"files\")");
  const auto& hash_type = member(ser, "hash_type", "serialization");
  if (hash_type != "sha256")
    throw InputError("model signing predicate: hash_type " + hash_type.dump() +
                     " is not supported (only \"sha256\")");
  Manifest m;
  const auto& symlinks = member(ser, "allow_symlinks", "serialization");
  if (!symlinks.is_boolean())
    throw InputError("model signing predicate: allow_symlinks must be true or false");
  m.allow_symlinks = symlinks.get<bool>();
  if (ser.contains("ignore_paths")) {
    const auto& ig = ser.at("ignore_paths");
    if (!ig.is_array()) throw InputError("model signing predicate: ignore_paths must be a list");
    for (const auto& p : ig) {
      if (!p.is_string())
        throw InputError("model signing predicate: ignore_paths entries must be strings");
      m.ignore_paths.push_back(detail::normalize_ignore_path(p.get<std::string>()));
    }
    std::sort(m.ignore_paths.begin(), m.ignore_paths.end());
  }
  const auto& resources = member(predicate, "resources", "predicate");
  if (!resources.is_array()) throw InputError("model signing predicate: resources must be a list");
  std::set<std::string> seen;
  for (const auto& r : resources) {
    const auto& name = member(r, "name", "resource");
    const auto& algorithm = member(r, "algorithm", "resource");
    const auto& digest = member(r, "digest", "resource");
    if (!name.is_string() || !digest.is_string() || algorithm != "sha256")
      throw InputError("model signing predicate: resource " + r.dump() +
                       " needs a string name, algorithm \"sha256\" and a string digest");
    std::string path = name.get<std::string>();
    if (!seen.insert(path).second)
      throw InputError("model signing predicate: resource " + path + " is listed twice");
    if (!detail::is_sha256_hex(digest.get<std::string>()))
      throw InputError("model signing predicate: resource " + path +
                       ": digest is not 64 lowercase hex characters");
    m.files.push_back({path, digest.get<std::string>(), 0});
  }
  m.root_digest = root_digest(m.files);
  std::sort(m.files.begin(), m.files.end(),
            [](const FileDigest& a, const FileDigest& b) { return a.path < b.path; });
  return m;
}

std::string sha256_file(const fs::path& path) {
  return detail::to_hex(detail::hash_file(path).digest);
}

std::string sha256_hex(std::string_view bytes) {
  detail::Sha256 sha;
  sha.update(bytes.data(), bytes.size());
  return detail::to_hex(sha.finish());
}

}  // namespace hallmark::provenance
