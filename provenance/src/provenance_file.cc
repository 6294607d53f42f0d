// provenance.json: the training data a model declares, with digests.
#include <nlohmann/json.hpp>

#include <set>
#include <string>

#include "common/error.h"
#include "common/files.h"
#include "provenance/metadata.h"
#include "provenance/src/sha256.h"

namespace hallmark::provenance {
namespace {

// "LINE:COL" of byte offset `byte` (1-based) in `text`.
std::string position(std::string_view text, size_t byte) {
  size_t line = 1, col = 1;
  for (size_t i = 0; i < byte && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++line;
      col = 1;
    } else {
      ++col;
    }
  }
  return std::to_string(line) + ":" + std::to_string(col);
}

bool leaves_directory(const std::string& path) {
  if (path.empty() || path.front() == '/') return true;
  for (const auto& part : std::filesystem::path(path))
    if (part == "..") return true;
  return false;
}

DatasetDeclaration parse_dataset(const nlohmann::json& d, const std::string& where) {
  static const std::set<std::string> kKeys = {"name",       "source", "license", "sha256",
                                              "collection", "path"};
  if (!d.is_object()) throw InputError(where + ": must be an object");
  for (const auto& [key, value] : d.items())
    if (!kKeys.count(key))
      throw InputError(where + ": unknown key '" + key +
                       "' (known: name, source, license, sha256, collection, path)");
  auto text = [&](const char* key) -> std::optional<std::string> {
    if (!d.contains(key) || d.at(key).is_null()) return std::nullopt;
    if (!d.at(key).is_string()) throw InputError(where + ": '" + key + "' must be a string");
    return d.at(key).get<std::string>();
  };
  DatasetDeclaration out;
  std::optional<std::string> name = text("name");
  if (!name || name->empty()) throw InputError(where + ": 'name' is required");
  out.name = *name;
  out.source = text("source");
  out.license = text("license");
  out.sha256 = text("sha256");
  out.collection = text("collection");
  out.path = text("path");
  if (out.sha256 && !detail::is_sha256_hex(*out.sha256))
    throw InputError(where + " (" + out.name + "): 'sha256' must be 64 lowercase hex characters");
  if (out.path && leaves_directory(*out.path))
    throw InputError(where + " (" + out.name + "): 'path' must be relative to the model "
                     "directory and stay inside it");
  return out;
}

}  // namespace

ProvenanceFile parse_provenance_file(std::string_view text, std::string_view source_name) {
  const std::string source(source_name);
  nlohmann::json root;
  try {
    root = nlohmann::json::parse(text);
  } catch (const nlohmann::json::parse_error& e) {
    // nlohmann's message reads "[json.exception.parse_error.101] parse error at line L,
    // column C: REASON"; keep REASON and compute the position ourselves.
    std::string what = e.what();
    size_t column = what.find("column ");
    size_t colon = what.find(": ", column == std::string::npos ? 0 : column);
    std::string reason = colon == std::string::npos ? what : what.substr(colon + 2);
    throw InputError(source + ":" + position(text, e.byte == 0 ? 0 : e.byte - 1) +
                     ": invalid JSON: " + reason);
  }
  if (!root.is_object()) throw InputError(source + ": must be a JSON object with 'datasets'");
  for (const auto& [key, value] : root.items())
    if (key != "datasets") throw InputError(source + ": unknown key '" + key + "'");
  ProvenanceFile out;
  if (!root.contains("datasets")) return out;
  const auto& datasets = root.at("datasets");
  if (!datasets.is_array()) throw InputError(source + ": 'datasets' must be a list");
  std::set<std::string> names;
  for (size_t i = 0; i < datasets.size(); ++i) {
    out.datasets.push_back(
        parse_dataset(datasets[i], source + ": datasets[" + std::to_string(i) + "]"));
    if (!names.insert(out.datasets.back().name).second)
      throw InputError(source + ": dataset '" + out.datasets.back().name + "' is declared twice");
  }
  return out;
}

ProvenanceFile read_provenance_file(const std::filesystem::path& path) {
  return parse_provenance_file(read_file(path), path.string());
}

}  // namespace hallmark::provenance
