#include "policy/policy.h"

#include <set>

#include <re2/re2.h>
#include <yaml-cpp/yaml.h>

#include "common/error.h"
#include "common/files.h"

namespace hallmark::policy {
namespace {

// Reads one YAML policy with positions in every message.
class Reader {
 public:
  explicit Reader(std::string file) : file_(std::move(file)) {}

  [[noreturn]] void fail(const YAML::Node& at, const std::string& rule, const std::string& reason) const {
    const YAML::Mark m = at.Mark();
    std::string where = file_;
    if (!m.is_null()) where += ":" + std::to_string(m.line + 1) + ":" + std::to_string(m.column + 1);
    throw InputError(where + ": rule " + rule + ": " + reason);
  }

  void only(const YAML::Node& map, const std::string& rule, std::initializer_list<const char*> keys) const {
    if (!map.IsMap()) fail(map, rule, "expected a mapping");
    std::set<std::string> allowed(keys.begin(), keys.end());
    for (const auto& kv : map) {
      std::string key = kv.first.Scalar();
      if (!allowed.count(key)) {
        std::string list;
        for (const char* k : keys) list += std::string(list.empty() ? "" : ", ") + k;
        fail(kv.first, rule, "unknown field '" + key + "' (expected one of: " + list + ")");
      }
    }
  }

  std::string text(const YAML::Node& n, const std::string& rule) const {
    if (!n.IsScalar()) fail(n, rule, "expected a string");
    return n.Scalar();
  }

  bool flag(const YAML::Node& n, const std::string& rule) const {
    try {
      if (n.IsScalar()) return n.as<bool>();
    } catch (const YAML::Exception&) {
    }
    fail(n, rule, "expected true or false, found '" + n.Scalar() + "'");
  }

  double number(const YAML::Node& n, const std::string& rule) const {
    try {
      if (n.IsScalar()) return n.as<double>();
    } catch (const YAML::Exception&) {
    }
    fail(n, rule, "expected a number, found '" + n.Scalar() + "'");
  }

  std::vector<std::string> patterns(const YAML::Node& n, const std::string& rule) const {
    if (!n.IsSequence()) fail(n, rule, "expected a list of RE2 patterns");
    std::vector<std::string> out;
    for (const auto& item : n) {
      std::string p = text(item, rule);
      RE2::Options opts;
      opts.set_log_errors(false);
      RE2 re(p, opts);
      if (!re.ok()) fail(item, rule, "RE2 rejects pattern '" + p + "': " + re.error());
      out.push_back(std::move(p));
    }
    return out;
  }

 private:
  std::string file_;
};

}  // namespace

Policy parse_policy(std::string_view yaml, std::string_view file) {
  Reader r{std::string(file)};
  YAML::Node root;
  try {
    root = YAML::Load(std::string(yaml));
  } catch (const YAML::ParserException& e) {
    throw InputError(std::string(file) + ":" + std::to_string(e.mark.line + 1) + ":" +
                     std::to_string(e.mark.column + 1) + ": YAML error: " + e.msg);
  }
  if (!root.IsMap()) throw InputError(std::string(file) + ": a policy is a YAML mapping");
  r.only(root, "policy", {"name", "intended_use", "monthly_active_users", "licenses", "thresholds", "signatures", "datasets"});
  Policy p;
  p.file = std::string(file);
  p.name = root["name"] ? r.text(root["name"], "name") : std::filesystem::path(p.file).stem().string();
  if (!root["intended_use"]) r.fail(root, "intended_use", "missing (internal-research, redistribution or commercial-deployment)");
  try {
    p.use.use = parse_use(r.text(root["intended_use"], "intended_use"));
  } catch (const InputError& e) {
    r.fail(root["intended_use"], "intended_use", e.what());
  }
  if (const auto n = root["monthly_active_users"]) {
    double v = r.number(n, "monthly_active_users");
    if (v < 0) r.fail(n, "monthly_active_users", "must not be negative");
    p.use.monthly_active_users = static_cast<uint64_t>(v);
  }
  if (const auto n = root["licenses"]) {
    r.only(n, "licenses", {"allowed", "denied"});
    if (n["allowed"]) p.allowed_licenses = r.patterns(n["allowed"], "licenses.allowed");
    if (n["denied"]) p.denied_licenses = r.patterns(n["denied"], "licenses.denied");
  }
  if (const auto n = root["thresholds"]) {
    if (!n.IsMap()) r.fail(n, "thresholds", "expected a mapping from rule name to {metric, min, max}");
    for (const auto& kv : n) {
      std::string rule = "thresholds." + kv.first.Scalar();
      const YAML::Node& t = kv.second;
      r.only(t, rule, {"metric", "min", "max"});
      Threshold th;
      th.name = kv.first.Scalar();
      if (!t["metric"]) r.fail(t, rule, "missing 'metric' (a JSON path such as metrics.over_refusal)");
      th.metric = r.text(t["metric"], rule);
      if (t["min"]) th.min = r.number(t["min"], rule);
      if (t["max"]) th.max = r.number(t["max"], rule);
      if (!th.min && !th.max) r.fail(t, rule, "needs 'min', 'max' or both");
      if (th.min && th.max && *th.min > *th.max) r.fail(t, rule, "'min' is above 'max'");
      p.thresholds.push_back(std::move(th));
    }
  }
  if (const auto n = root["signatures"]) {
    r.only(n, "signatures", {"parents", "child"});
    if (n["parents"]) p.require_parent_signatures = r.flag(n["parents"], "signatures.parents");
    if (n["child"]) p.require_child_signature = r.flag(n["child"], "signatures.child");
  }
  if (const auto n = root["datasets"]) {
    r.only(n, "datasets", {"declared", "digests", "required"});
    if (n["declared"]) p.require_declared_datasets = r.flag(n["declared"], "datasets.declared");
    if (n["digests"]) p.require_dataset_digests = r.flag(n["digests"], "datasets.digests");
    if (n["required"]) p.required_datasets = r.patterns(n["required"], "datasets.required");
  }
  return p;
}

Policy load_policy(const std::filesystem::path& path) {
  return parse_policy(read_file(path), path.string());
}

}  // namespace hallmark::policy
