// File manifests of a model directory and their root digest, laid out as the OpenSSF model
// signing specification v1.0 does with its "files" serialization: every regular file gets a
// SHA-256 digest, resources are sorted by relative POSIX path in code point order, and the root
// digest is SHA-256 over the concatenated raw (32-byte) resource digests in that order.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace hallmark::provenance {

// The conventional name of an OpenSSF model signature inside a model directory.
inline constexpr std::string_view kSignatureFile = "model.sig";

struct ManifestOptions {
  // Relative POSIX paths (files or directories) to leave out, in addition to the defaults.
  std::vector<std::string> ignore_paths;
  // Leave out .git, .gitignore, .gitattributes and .github (the spec's defaults).
  bool ignore_git_paths = true;
  // The signature file, left out of its own manifest. Empty: nothing.
  std::string signature_file = std::string(kSignatureFile);
  // Symbolic links are an error unless allowed; allowed links are followed, and must resolve
  // to a regular file or directory inside the model directory.
  bool allow_symlinks = false;
  // Hashing threads; 0 = std::thread::hardware_concurrency().
  unsigned threads = 0;
};

struct FileDigest {
  std::string path;    // relative POSIX path, e.g. "tokenizer/tokenizer.model"
  std::string sha256;  // lowercase hex, 64 characters
  uint64_t size = 0;   // bytes
};

struct Manifest {
  std::vector<FileDigest> files;  // sorted by path, code point order
  std::string root_digest;        // lowercase hex
  // The serialization parameters, as recorded in the predicate.
  std::vector<std::string> ignore_paths;  // sorted, defaults included
  bool allow_symlinks = false;

  uint64_t total_bytes() const;
  // The digest recorded for `path`, or nullptr.
  const FileDigest* find(std::string_view path) const;
};

// Hashes every regular file under `dir` (large files first, in parallel, streamed with large
// reads). Throws InputError naming the path for: a missing or unreadable directory or file, a
// symlink when not allowed (or one leaving the directory), a special file, no files at all.
Manifest compute_manifest(const std::filesystem::path& dir, const ManifestOptions& options = {});

// The root digest of already sorted resources (see the top of this file). Throws InputError
// for a digest that is not 64 hex characters.
std::string root_digest(const std::vector<FileDigest>& sorted_files);

// Re-hashes `dir` with the serialization parameters recorded in `expected` (plus `options`'
// thread count) and throws CheckFailed naming the first file that changed, is missing, or is
// present but not listed. (expected.root_digest is not consulted: compare it with the signed
// subject digest before calling this.)
void verify_manifest(const std::filesystem::path& dir, const Manifest& expected,
                     const ManifestOptions& options = {});

// The in-toto predicate pieces of the model signing v1.0 statement:
//   resources:     [{"name", "algorithm": "sha256", "digest"}...] in manifest order;
//   serialization: {"method": "files", "hash_type": "sha256", "allow_symlinks",
//                   "ignore_paths"}.
nlohmann::json resources_json(const Manifest& manifest);
nlohmann::json serialization_json(const Manifest& manifest);

// Reads a manifest back from a predicate {"serialization", "resources"} (as found inside a
// verified signature). Throws InputError for a malformed predicate or a method other than
// "files" / hash type other than "sha256". `files` come back sorted; root_digest is computed
// over the resources in the order the predicate lists them (as the reference verifier does),
// for comparison with the statement's subject digest.
Manifest manifest_from_predicate(const nlohmann::json& predicate);

// SHA-256 of a whole file (lowercase hex), streamed; InputError naming the file on failure.
std::string sha256_file(const std::filesystem::path& path);
// SHA-256 of bytes in memory (lowercase hex).
std::string sha256_hex(std::string_view bytes);

}  // namespace hallmark::provenance
