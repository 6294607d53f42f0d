#include "policy/src/report_view.h"

#include <cctype>
#include <set>

#include "common/error.h"

namespace hallmark::policy {
namespace {

class Fields {
 public:
  explicit Fields(std::string label) : label_(std::move(label)) {}

  [[noreturn]] void fail(const std::string& field, const std::string& reason) const {
    throw InputError(label_ + ": " + field + ": " + reason);
  }
  const nlohmann::json& object(const nlohmann::json& parent, const std::string& key, const std::string& field) const {
    if (!parent.contains(key)) fail(field, "missing");
    if (!parent[key].is_object()) fail(field, "expected an object");
    return parent[key];
  }
  std::string text(const nlohmann::json& parent, const std::string& key, const std::string& field, bool required) const {
    if (!parent.contains(key) || parent[key].is_null()) {
      if (required) fail(field, "missing");
      return "";
    }
    if (!parent[key].is_string()) fail(field, "expected a string");
    return parent[key].get<std::string>();
  }
  bool flag(const nlohmann::json& parent, const std::string& key, const std::string& field, bool fallback) const {
    if (!parent.contains(key)) return fallback;
    if (!parent[key].is_boolean()) fail(field, "expected true or false");
    return parent[key].get<bool>();
  }
  bool verified(const nlohmann::json& parent, const std::string& field) const {
    if (!parent.contains("signature") || parent["signature"].is_null()) return false;
    return flag(object(parent, "signature", field), "verified", field + ".verified", false);
  }

 private:
  std::string label_;
};

}  // namespace

ReportView read_report(const nlohmann::json& report, const std::string& label) {
  Fields f(label);
  if (!report.is_object()) f.fail("(root)", "a report is a JSON object");
  ReportView v;
  const auto& model = f.object(report, "model", "model");
  v.model = f.text(model, "name", "model.name", true);
  v.child_signature_verified = f.verified(model, "model.signature");
  if (!report.contains("parents") || !report["parents"].is_array() || report["parents"].empty()) {
    f.fail("parents", "expected a non-empty array");
  }
  for (size_t i = 0; i < report["parents"].size(); ++i) {
    const auto& p = report["parents"][i];
    std::string field = "parents[" + std::to_string(i) + "]";
    if (!p.is_object()) f.fail(field, "expected an object");
    ParentView pv;
    pv.license.name = f.text(p, "name", field + ".name", true);
    pv.license.license = f.text(p, "license", field + ".license", false);
    pv.license.license_name = f.text(p, "license_name", field + ".license_name", false);
    pv.license.license_link = f.text(p, "license_link", field + ".license_link", false);
    pv.license.contributes = f.flag(p, "contributes", field + ".contributes", true);
    pv.signature_verified = f.verified(p, field + ".signature");
    if (p.contains("datasets")) {
      if (!p["datasets"].is_array()) f.fail(field + ".datasets", "expected an array");
      for (size_t j = 0; j < p["datasets"].size(); ++j) {
        const auto& d = p["datasets"][j];
        std::string dfield = field + ".datasets[" + std::to_string(j) + "]";
        if (!d.is_object()) f.fail(dfield, "expected an object");
        DatasetView dv;
        dv.name = f.text(d, "name", dfield + ".name", true);
        dv.digest = f.text(d, "digest", dfield + ".digest", false);
        if (dv.digest.empty()) dv.digest = "no-digest";
        static const std::set<std::string> statuses = {"verified", "mismatch", "missing-data", "not-checkable", "no-digest"};
        if (!statuses.count(dv.digest)) {
          f.fail(dfield + ".digest",
                 "expected verified, mismatch, missing-data, not-checkable or no-digest, found '" + dv.digest + "'");
        }
        pv.datasets.push_back(std::move(dv));
      }
    }
    v.parents.push_back(std::move(pv));
  }
  return v;
}

const nlohmann::json* find_path(const nlohmann::json& root, const std::string& path) {
  const nlohmann::json* cur = &root;
  size_t i = 0;
  while (i < path.size()) {
    if (path[i] == '[') {
      size_t close = path.find(']', i);
      if (close == std::string::npos || !cur->is_array()) return nullptr;
      std::string digits = path.substr(i + 1, close - i - 1);
      if (digits.empty() || digits.find_first_not_of("0123456789") != std::string::npos) return nullptr;
      size_t idx = std::stoul(digits);
      if (idx >= cur->size()) return nullptr;
      cur = &(*cur)[idx];
      i = close + 1;
      if (i < path.size() && path[i] == '.') ++i;
      continue;
    }
    size_t end = path.find_first_of(".[", i);
    std::string key = path.substr(i, end == std::string::npos ? std::string::npos : end - i);
    if (!cur->is_object() || !cur->contains(key)) return nullptr;
    cur = &(*cur)[key];
    if (end == std::string::npos) break;
    i = path[end] == '.' ? end + 1 : end;
  }
  return cur;
}

}  // namespace hallmark::policy
