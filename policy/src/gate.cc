#include "policy/gate.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <functional>

#include <re2/re2.h>

#include "common/error.h"
#include "common/files.h"
#include "policy/src/report_view.h"

namespace hallmark::policy {
namespace {

using Rules = std::vector<RuleResult>;

std::string join(const std::vector<std::string>& items, const std::string& sep = ", ") {
  std::string s;
  for (size_t i = 0; i < items.size(); ++i) s += (i ? sep : "") + items[i];
  return s;
}

std::string number(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.6g", v);
  return buf;
}

std::vector<const ParentView*> contributing(const ReportView& r) {
  std::vector<const ParentView*> out;
  for (const auto& p : r.parents) {
    if (p.license.contributes) out.push_back(&p);
  }
  return out;
}

bool matches_any(const std::vector<std::string>& patterns, const std::string& id) {
  for (const auto& p : patterns) {
    if (RE2::FullMatch(id, RE2(p, RE2::Quiet))) return true;
  }
  return false;
}

// The ids a license may be named by in a pattern: its SPDX or LicenseRef- id and its Hub id.
std::vector<std::string> names_of(const std::string& spdx) {
  std::vector<std::string> ids{spdx};
  if (const License* l = find_license(spdx); l != nullptr && !l->hub_id.empty()) ids.push_back(l->hub_id);
  return ids;
}

void license_rules(const Policy& policy, const ReportView& view, const nlohmann::json&, Rules& out) {
  std::vector<LicenseSource> sources;
  for (const auto& p : view.parents) sources.push_back(p.license);
  Derivation d = derive(sources, policy.use);
  std::string why = std::string(to_string(d.verdict)) + " for " + std::string(to_string(policy.use.use)) +
                    " (" + d.expression + ")";
  std::vector<std::string> sentences;
  for (const auto& c : d.conflicts) sentences.push_back(c.sentence);
  if (!sentences.empty()) why += ": " + join(sentences, " ");
  out.push_back({"license-verdict", d.verdict == Verdict::compatible, why});

  if (!policy.allowed_licenses.empty()) {
    std::vector<std::string> outside;
    for (const auto& id : d.licenses) {
      auto ids = names_of(id);
      if (std::none_of(ids.begin(), ids.end(), [&](const std::string& n) { return matches_any(policy.allowed_licenses, n); })) {
        outside.push_back(id);
      }
    }
    out.push_back({"licenses-allowed", outside.empty(),
                   outside.empty() ? "every license in force (" + join(d.licenses) + ") is allowed"
                                   : "not in the allowed list: " + join(outside)});
  }
  if (!policy.denied_licenses.empty()) {
    std::vector<std::string> denied;
    for (const auto& id : d.licenses) {
      auto ids = names_of(id);
      if (std::any_of(ids.begin(), ids.end(), [&](const std::string& n) { return matches_any(policy.denied_licenses, n); })) {
        denied.push_back(id);
      }
    }
    out.push_back({"licenses-denied", denied.empty(),
                   denied.empty() ? "no license in force (" + join(d.licenses) + ") is denied"
                                  : "denied licenses in force: " + join(denied)});
  }
}

void threshold_rules(const Policy& policy, const ReportView&, const nlohmann::json& report, Rules& out) {
  for (const auto& t : policy.thresholds) {
    RuleResult r{"threshold." + t.name, false, ""};
    const nlohmann::json* v = find_path(report, t.metric);
    if (v == nullptr || v->is_null()) {
      r.why = t.metric + " is not in the report";
    } else if (!v->is_number()) {
      r.why = t.metric + " is not a number";
    } else {
      double x = v->get<double>();
      if (!std::isfinite(x)) {
        r.why = t.metric + " = " + number(x) + " is not finite";
      } else if (t.min && x < *t.min) {
        r.why = t.metric + " = " + number(x) + " is below the minimum " + number(*t.min);
      } else if (t.max && x > *t.max) {
        r.why = t.metric + " = " + number(x) + " is above the maximum " + number(*t.max);
      } else {
        r.passed = true;
        r.why = t.metric + " = " + number(x) + " is within" + (t.min ? " min " + number(*t.min) : "") +
                (t.max ? " max " + number(*t.max) : "");
      }
    }
    out.push_back(std::move(r));
  }
}

void signature_rules(const Policy& policy, const ReportView& view, const nlohmann::json&, Rules& out) {
  if (policy.require_parent_signatures) {
    std::vector<std::string> unsigned_parents;
    for (const ParentView* p : contributing(view)) {
      if (!p->signature_verified) unsigned_parents.push_back(p->license.name);
    }
    out.push_back({"signatures.parents", unsigned_parents.empty(),
                   unsigned_parents.empty() ? "every contributing parent's signature was verified"
                                            : "no verified signature for: " + join(unsigned_parents)});
  }
  if (policy.require_child_signature) {
    out.push_back({"signatures.child", view.child_signature_verified,
                   view.child_signature_verified ? "the signature of " + view.model + " was verified"
                                                 : "no verified signature for " + view.model});
  }
}

void dataset_rules(const Policy& policy, const ReportView& view, const nlohmann::json&, Rules& out) {
  if (policy.require_declared_datasets) {
    std::vector<std::string> undeclared;
    for (const ParentView* p : contributing(view)) {
      if (p->datasets.empty()) undeclared.push_back(p->license.name);
    }
    out.push_back({"datasets.declared", undeclared.empty(),
                   undeclared.empty() ? "every contributing parent declares its datasets"
                                      : "no declared datasets for: " + join(undeclared)});
  }
  if (policy.require_dataset_digests) {
    std::vector<std::string> bad;
    size_t count = 0;
    for (const ParentView* p : contributing(view)) {
      for (const auto& d : p->datasets) {
        ++count;
        if (d.digest != "verified") bad.push_back(p->license.name + "/" + d.name + " (" + d.digest + ")");
      }
    }
    bool ok = bad.empty() && count > 0;
    out.push_back({"datasets.digests", ok,
                   ok ? "all " + std::to_string(count) + " declared datasets have verified digests"
                      : count == 0 ? "no datasets are declared, so no digest was verified"
                                   : "datasets without a verified digest: " + join(bad)});
  }
  if (!policy.required_datasets.empty()) {
    std::vector<std::string> missing;
    for (const auto& pattern : policy.required_datasets) {
      bool found = false;
      for (const ParentView* p : contributing(view)) {
        for (const auto& d : p->datasets) found = found || RE2::FullMatch(d.name, RE2(pattern, RE2::Quiet));
      }
      if (!found) missing.push_back(pattern);
    }
    out.push_back({"datasets.required", missing.empty(),
                   missing.empty() ? "every required dataset is declared"
                                   : "no declared dataset matches: " + join(missing)});
  }
}

using RuleFamily = std::function<void(const Policy&, const ReportView&, const nlohmann::json&, Rules&)>;

// Rule families in the order they are reported; a new kind of rule is one more entry.
const std::vector<RuleFamily>& rule_families() {
  static const std::vector<RuleFamily> families = {license_rules, threshold_rules, signature_rules, dataset_rules};
  return families;
}

std::string xml_escape(const std::string& s) {
  std::string out;
  for (unsigned char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&apos;"; break;
      default:
        // Control characters other than tab, newline and carriage return are not allowed in XML 1.0.
        if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') {
          out += '?';
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  return out;
}

size_t failures(const GateResult& r) {
  return static_cast<size_t>(std::count_if(r.rules.begin(), r.rules.end(), [](const RuleResult& x) { return !x.passed; }));
}

}  // namespace

bool GateResult::passed() const { return failures(*this) == 0; }

GateResult evaluate_gate(const Policy& policy, const nlohmann::json& report, const std::string& label) {
  ReportView view = read_report(report, label);
  GateResult result;
  result.report = label;
  result.model = view.model;
  try {
    for (const auto& family : rule_families()) family(policy, view, report, result.rules);
  } catch (const InputError& e) {
    throw InputError(label + ": " + e.what());
  }
  return result;
}

nlohmann::json load_report(const std::string& path) {
  std::string text = read_file(path);
  try {
    return nlohmann::json::parse(text);
  } catch (const nlohmann::json::parse_error& e) {
    throw InputError(path + ": not valid JSON: " + e.what());
  }
}

std::string render_text(const Policy& policy, const std::vector<GateResult>& results) {
  std::string s;
  size_t total = 0, failed = 0;
  for (const auto& r : results) {
    s += "gate: policy " + policy.name + " (" + policy.file + ") on " + r.report + " (model " + r.model + ")\n";
    for (const auto& rule : r.rules) {
      s += std::string(rule.passed ? "  PASS  " : "  FAIL  ") + rule.rule + ": " + rule.why + "\n";
    }
    total += r.rules.size();
    failed += failures(r);
  }
  s += failed == 0 ? "result: PASS (" + std::to_string(total) + " rules passed)\n"
                   : "result: FAIL (" + std::to_string(failed) + " of " + std::to_string(total) + " rules failed)\n";
  return s;
}

nlohmann::json render_json(const Policy& policy, const std::vector<GateResult>& results) {
  nlohmann::json reports = nlohmann::json::array();
  bool all = true;
  for (const auto& r : results) {
    nlohmann::json rules = nlohmann::json::array();
    for (const auto& rule : r.rules) rules.push_back({{"rule", rule.rule}, {"passed", rule.passed}, {"why", rule.why}});
    reports.push_back({{"report", r.report}, {"model", r.model}, {"passed", r.passed()}, {"rules", rules}});
    all = all && r.passed();
  }
  return {{"policy", policy.name}, {"policy_file", policy.file}, {"intended_use", to_string(policy.use.use)},
          {"passed", all}, {"reports", reports}};
}

std::string render_junit(const Policy& policy, const std::vector<GateResult>& results) {
  size_t total = 0, failed = 0;
  for (const auto& r : results) {
    total += r.rules.size();
    failed += failures(r);
  }
  std::string s = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  s += "<testsuites name=\"hallmark gate " + xml_escape(policy.name) + "\" tests=\"" + std::to_string(total) +
       "\" failures=\"" + std::to_string(failed) + "\" errors=\"0\">\n";
  for (const auto& r : results) {
    s += "  <testsuite name=\"" + xml_escape(r.report) + "\" tests=\"" + std::to_string(r.rules.size()) +
         "\" failures=\"" + std::to_string(failures(r)) + "\" errors=\"0\" skipped=\"0\">\n";
    for (const auto& rule : r.rules) {
      s += "    <testcase classname=\"hallmark.gate." + xml_escape(policy.name) + "\" name=\"" + xml_escape(rule.rule) + "\"";
      if (rule.passed) {
        s += ">\n      <system-out>" + xml_escape(rule.why) + "</system-out>\n    </testcase>\n";
      } else {
        s += ">\n      <failure message=\"" + xml_escape(rule.why) + "\" type=\"policy\">" + xml_escape(rule.why) +
             "</failure>\n    </testcase>\n";
      }
    }
    s += "  </testsuite>\n";
  }
  s += "</testsuites>\n";
  return s;
}

}  // namespace hallmark::policy
