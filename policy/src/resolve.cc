#include "policy/src/resolve.h"

#include <cctype>
#include <memory>

#include "common/error.h"
#include "policy/spdx.h"

namespace hallmark::policy {
namespace {

constexpr size_t kMaxAlternatives = 256;

std::string trim_lower(const std::string& s, bool lower) {
  size_t b = s.find_first_not_of(" \t\r\n");
  if (b == std::string::npos) return "";
  size_t e = s.find_last_not_of(" \t\r\n");
  std::string out = s.substr(b, e - b + 1);
  if (lower) {
    for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return out;
}

// "LicenseRef-" + the name with every character SPDX idstrings do not allow replaced by '-'.
std::string license_ref(const std::string& name) {
  std::string id;
  for (char c : name) {
    id += (std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-') ? c : '-';
  }
  return "LicenseRef-" + (id.empty() ? std::string("other") : id);
}

License leaf_license(const spdx::Node& leaf) {
  std::string id = leaf.license;
  if (leaf.plus) {
    std::string base = id;
    if (base.size() > 5 && base.substr(base.size() - 5) == "-only") base.resize(base.size() - 5);
    if (const License* l = find_license(base + "-or-later")) return *l;
  }
  if (const License* l = find_license(id)) return *l;
  return unknown_license(id);
}

// The canonical tree: known ids in their exact SPDX case.
spdx::NodePtr canonical(const spdx::Node& n) {
  auto out = std::make_shared<spdx::Node>(n);
  if (n.kind == spdx::Node::Kind::license) {
    const License* l = n.plus ? nullptr : find_license(n.license);
    if (l != nullptr) out->license = l->spdx;
  } else {
    out->left = canonical(*n.left);
    out->right = canonical(*n.right);
  }
  return out;
}

std::vector<std::vector<License>> dnf(const spdx::Node& n, const std::string& parent) {
  if (n.kind == spdx::Node::Kind::license) return {{leaf_license(n)}};
  auto left = dnf(*n.left, parent);
  auto right = dnf(*n.right, parent);
  if (!n.is_and) {
    left.insert(left.end(), right.begin(), right.end());
  } else {
    std::vector<std::vector<License>> product;
    for (const auto& a : left) {
      for (const auto& b : right) {
        auto both = a;
        both.insert(both.end(), b.begin(), b.end());
        product.push_back(std::move(both));
      }
    }
    left = std::move(product);
  }
  if (left.size() > kMaxAlternatives) {
    throw InputError("parent " + parent + ": license expression has more than " +
                     std::to_string(kMaxAlternatives) + " alternatives");
  }
  return left;
}

}  // namespace

ResolvedParent resolve_parent(const LicenseSource& source) {
  ResolvedParent r;
  r.name = source.name;
  std::string hub = trim_lower(source.license, true);
  if (hub.empty() || hub == "unknown") {
    r.missing = hub.empty();
    License l = unknown_license("LicenseRef-unknown", r.missing ? "no license stated" : "unknown");
    r.expression = l.spdx;
    r.alternatives = {{l}};
    return r;
  }
  if (hub == "other") {
    std::string name = trim_lower(source.license_name, false);
    const License* known = name.empty() ? nullptr : find_license(name);
    License l = known != nullptr ? *known : unknown_license(license_ref(name), name, source.license_link);
    r.expression = l.spdx;
    r.alternatives = {{l}};
    return r;
  }
  const License* by_hub = find_license(hub);
  if (by_hub != nullptr && by_hub->hub_id == hub) {
    r.expression = by_hub->spdx;
    r.alternatives = {{*by_hub}};
    return r;
  }
  spdx::NodePtr tree;
  try {
    tree = spdx::parse(trim_lower(source.license, false));
  } catch (const InputError& e) {
    throw InputError("parent " + source.name + ": " + e.what());
  }
  spdx::NodePtr canon = canonical(*tree);
  r.expression = spdx::to_string(*canon);
  r.top_level_or = canon->kind == spdx::Node::Kind::conjunction && !canon->is_and;
  r.alternatives = dnf(*canon, source.name);
  return r;
}

}  // namespace hallmark::policy
