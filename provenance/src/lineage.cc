#include "provenance/lineage.h"

#include <cmath>

#include "common/error.h"
#include "common/version.h"
#include "provenance/manifest.h"
#include "provenance/src/sha256.h"

namespace hallmark::provenance {
namespace {

void check_parent(const LineageParent& p) {
  if (!detail::is_sha256_hex(p.root_digest))
    throw InputError("lineage: parent '" + p.name + "': root digest '" + p.root_digest +
                     "' is not 64 lowercase hex characters");
  if (!std::isfinite(p.contribution) || p.contribution < 0.0 || p.contribution > 1.0)
    throw InputError("lineage: parent '" + p.name + "': contribution " +
                     std::to_string(p.contribution) + " is outside [0, 1]");
}

const nlohmann::json& field(const nlohmann::json& obj, const std::string& key,
                            nlohmann::json::value_t type, const std::string& where) {
  if (!obj.is_object() || !obj.contains(key))
    throw InputError("lineage: " + where + " has no '" + key + "'");
  const auto& v = obj.at(key);
  bool ok = v.type() == type ||
            (type == nlohmann::json::value_t::number_float && v.is_number()) ||
            (type == nlohmann::json::value_t::number_unsigned &&
             (v.is_number_unsigned() || (v.is_number_integer() && v.get<int64_t>() >= 0)));
  if (!ok) throw InputError("lineage: " + where + ": '" + key + "' has the wrong type");
  return v;
}

}  // namespace

Lineage make_lineage(std::vector<LineageParent> parents, std::string recipe, uint64_t seed,
                     std::string device, std::string libtorch_version) {
  for (const auto& p : parents) check_parent(p);
  Lineage l;
  l.parents = std::move(parents);
  l.recipe_sha256 = sha256_hex(recipe);
  l.recipe = std::move(recipe);
  l.seed = seed;
  l.device = std::move(device);
  l.hallmark_version = version();
  l.libtorch_version = std::move(libtorch_version);
  return l;
}

nlohmann::json to_json(const Lineage& l) {
  nlohmann::json parents = nlohmann::json::array();
  for (const auto& p : l.parents) {
    nlohmann::json j = {
        {"name", p.name}, {"root_digest", p.root_digest}, {"contribution", p.contribution}};
    j["license"] = p.license ? nlohmann::json(*p.license) : nlohmann::json(nullptr);
    parents.push_back(std::move(j));
  }
  nlohmann::json out = {{"format_version", kLineageFormatVersion},
                        {"parents", std::move(parents)},
                        {"recipe", l.recipe},
                        {"recipe_sha256", l.recipe_sha256},
                        {"seed", l.seed},
                        {"device", l.device},
                        {"hallmark_version", l.hallmark_version},
                        {"libtorch_version", l.libtorch_version}};
  out["child_root_digest"] =
      l.child_root_digest ? nlohmann::json(*l.child_root_digest) : nlohmann::json(nullptr);
  return out;
}

Lineage lineage_from_json(const nlohmann::json& j) {
  using T = nlohmann::json::value_t;
  const auto& fv = field(j, "format_version", T::number_unsigned, "record");
  if (fv.get<uint64_t>() > static_cast<uint64_t>(kLineageFormatVersion))
    throw InputError("lineage: format_version " + fv.dump() + " is newer than this hallmark "
                     "reads (" + std::to_string(kLineageFormatVersion) + ")");
  Lineage l;
  const auto& parents = field(j, "parents", T::array, "record");
  for (size_t i = 0; i < parents.size(); ++i) {
    std::string where = "parents[" + std::to_string(i) + "]";
    LineageParent p;
    p.name = field(parents[i], "name", T::string, where).get<std::string>();
    p.root_digest = field(parents[i], "root_digest", T::string, where).get<std::string>();
    p.contribution = field(parents[i], "contribution", T::number_float, where).get<double>();
    if (parents[i].contains("license") && !parents[i].at("license").is_null())
      p.license = field(parents[i], "license", T::string, where).get<std::string>();
    check_parent(p);
    l.parents.push_back(std::move(p));
  }
  l.recipe = field(j, "recipe", T::string, "record").get<std::string>();
  l.recipe_sha256 = field(j, "recipe_sha256", T::string, "record").get<std::string>();
  l.seed = field(j, "seed", T::number_unsigned, "record").get<uint64_t>();
  l.device = field(j, "device", T::string, "record").get<std::string>();
  l.hallmark_version = field(j, "hallmark_version", T::string, "record").get<std::string>();
  l.libtorch_version = field(j, "libtorch_version", T::string, "record").get<std::string>();
  if (j.contains("child_root_digest") && !j.at("child_root_digest").is_null()) {
    l.child_root_digest = field(j, "child_root_digest", T::string, "record").get<std::string>();
    if (!detail::is_sha256_hex(*l.child_root_digest))
      throw InputError("lineage: child_root_digest is not 64 lowercase hex characters");
  }
  std::string actual = sha256_hex(l.recipe);
  if (actual != l.recipe_sha256)
    throw CheckFailed("lineage: the recipe text hashes to " + actual + " but recipe_sha256 is " +
                      l.recipe_sha256);
  return l;
}

}  // namespace hallmark::provenance
