// What a parent model says about itself: the Hugging Face model card front matter (README.md)
// and an optional provenance file (provenance.json) declaring its training data with digests,
// plus the outcome of checking those digests and, through a hook, its OpenSSF signature.
#pragma once

#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace hallmark::provenance {

inline constexpr std::string_view kModelCardFile = "README.md";
inline constexpr std::string_view kProvenanceFile = "provenance.json";

// The model card fields hallmark reads. Absent keys stay empty; other keys are ignored (model
// cards carry many keys hallmark has no use for).
struct ModelCard {
  bool has_front_matter = false;
  std::optional<std::string> license;       // Hub id as written, e.g. "apache-2.0", "other"
  std::optional<std::string> license_name;  // with license: other
  std::optional<std::string> license_link;
  std::vector<std::string> base_model;  // a string or a list in the card
  std::optional<std::string> base_model_relation;  // adapter, merge, quantized, finetune
  std::vector<std::string> datasets;
  std::vector<std::string> tags;
  std::optional<std::string> library_name;
};

// Parses the YAML front matter (between a first line "---" and the next "---" line) of a model
// card. No front matter: has_front_matter false, everything empty. Throws InputError
// "SOURCE:LINE:COL: REASON" (line and column in the card file, 1-based) for malformed YAML,
// or naming the key for a value of the wrong type (e.g. license given as a list).
ModelCard parse_model_card(std::string_view text, std::string_view source_name);
ModelCard read_model_card(const std::filesystem::path& readme);

// One dataset declared in provenance.json:
//   {"datasets": [{"name", "source", "license", "sha256", "collection",
//                  "path" (optional, relative to the model directory)}]}
// name is required; the others may be absent (absence is what the auditability score counts).
struct DatasetDeclaration {
  std::string name;
  std::optional<std::string> source;      // URL or description of where it came from
  std::optional<std::string> license;     // Hub id or SPDX expression, as declared
  std::optional<std::string> sha256;      // lowercase hex digest of the data file
  std::optional<std::string> collection;  // how it was collected
  std::optional<std::string> path;        // the data file inside the model directory
};

struct ProvenanceFile {
  std::vector<DatasetDeclaration> datasets;
};

// Throws InputError naming the file (and the dataset index / key) for malformed JSON, a
// missing name, a key of the wrong type, a digest that is not 64 hex characters, an unknown
// key, or a path that is absolute or leaves the model directory.
ProvenanceFile parse_provenance_file(std::string_view text, std::string_view source_name);
ProvenanceFile read_provenance_file(const std::filesystem::path& path);

// The outcome of checking one declared dataset digest against its data.
enum class DigestStatus {
  kVerified,     // the data file's SHA-256 equals the declared digest
  kMismatch,     // it does not: a failed check
  kMissingData,  // path declared but no such file
  kNotCheckable, // digest declared, no path to the data
  kNoDigest,     // no digest declared
};
std::string_view to_string(DigestStatus status);

struct DatasetCheck {
  std::string dataset;
  DigestStatus status = DigestStatus::kNoDigest;
  std::string detail;  // one sentence, e.g. "data/train.jsonl has digest 3f.. , declared 9a.."
};

// The verification of a parent's OpenSSF model signature. Provenance does not verify
// signatures; the reports module does, through SignatureVerifier.
enum class SignatureStatus {
  kAbsent,      // no signature file
  kNotChecked,  // a signature is present but no key (or no verifier) was given
  kVerified,    // signature valid for the key and the files match the signed manifest
  kFailed,      // invalid signature or files that do not match: a failed check
};
std::string_view to_string(SignatureStatus status);

struct SignatureCheck {
  SignatureStatus status = SignatureStatus::kAbsent;
  std::string detail;      // why, one sentence
  std::string key_hint;    // the key identity the verifier reports, when verified
  std::string root_digest; // the signed root digest, when verified
};

// Verifies `signature_file` over `model_dir` with `public_key` (a PEM file).
using SignatureVerifier = std::function<SignatureCheck(const std::filesystem::path& model_dir,
                                                       const std::filesystem::path& signature_file,
                                                       const std::filesystem::path& public_key)>;

struct ParentMetadataOptions {
  std::optional<std::filesystem::path> public_key;  // key to check model.sig with
  SignatureVerifier verify_signature;               // empty: signatures are not checked
};

// Everything a parent directory declares, with the checks done.
struct ParentMetadata {
  std::filesystem::path dir;
  std::optional<ModelCard> card;              // README.md absent: nullopt
  std::optional<ProvenanceFile> provenance;   // provenance.json absent: nullopt
  std::vector<DatasetCheck> dataset_checks;   // one per declared dataset, in order
  SignatureCheck signature;

  // The failed checks as one-line sentences naming the parent directory: digest mismatches,
  // missing data files, a signature that failed. Empty when nothing failed.
  std::vector<std::string> failures() const;
  // Throws CheckFailed with the first failure, if any.
  void require_passed() const;
};

// Reads README.md and provenance.json from `dir`, hashes each declared data file, and runs
// the signature hook when model.sig is present and a key and verifier are given. Malformed
// files throw InputError; failed checks are recorded (see failures()), not thrown.
ParentMetadata read_parent_metadata(const std::filesystem::path& dir,
                                    const ParentMetadataOptions& options = {});

}  // namespace hallmark::provenance
