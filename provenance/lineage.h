// The lineage of a merged child: which parents (by root digest) went in, under which recipe,
// seed and device, built by which hallmark and libtorch: enough to re-derive the child and to
// check that the parents on disk are the ones that were used.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace hallmark::provenance {

inline constexpr int kLineageFormatVersion = 1;

struct LineageParent {
  std::string name;                    // as the user gave it (hub id or path)
  std::string root_digest;             // manifest root digest, lowercase hex
  std::optional<std::string> license;  // as declared in its model card
  double contribution = 0.0;           // share of the child's parameter change, in [0, 1]
};

struct Lineage {
  std::vector<LineageParent> parents;
  std::string recipe;         // the recipe text exactly as used (mergekit YAML)
  std::string recipe_sha256;  // SHA-256 of `recipe`, lowercase hex
  uint64_t seed = 0;
  std::string device;            // e.g. "cpu", "cuda:0"
  std::string hallmark_version;  // common/version.h
  std::string libtorch_version;  // given by the caller (this module does not link torch)
  std::optional<std::string> child_root_digest;  // once the child is written
};

// Fills recipe_sha256 and hallmark_version. Throws InputError for a parent root digest that is
// not 64 lowercase hex characters, or a contribution outside [0, 1].
Lineage make_lineage(std::vector<LineageParent> parents, std::string recipe, uint64_t seed,
                     std::string device, std::string libtorch_version);

// Deterministic JSON (keys sorted, parents in the given order), with "format_version".
nlohmann::json to_json(const Lineage& lineage);
// Throws InputError naming the key for a missing or mistyped field or a newer format_version;
// CheckFailed when recipe_sha256 does not match the recipe text.
Lineage lineage_from_json(const nlohmann::json& json);

}  // namespace hallmark::provenance
