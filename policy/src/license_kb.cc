#include "policy/license_kb.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <string>

#include "policy/src/license_table.h"

namespace hallmark::policy {
namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// Deprecated SPDX ids and their current equivalents (SPDX license list, deprecated section).
const std::map<std::string, std::string>& deprecated_ids() {
  static const std::map<std::string, std::string> ids = {
      {"gpl-2.0", "GPL-2.0-only"},   {"gpl-2.0+", "GPL-2.0-or-later"}, {"gpl-3.0", "GPL-3.0-only"},
      {"gpl-3.0+", "GPL-3.0-or-later"}, {"lgpl-2.1", "LGPL-2.1-only"}, {"lgpl-2.1+", "LGPL-2.1-or-later"},
      {"lgpl-3.0", "LGPL-3.0-only"}, {"lgpl-3.0+", "LGPL-3.0-or-later"}, {"agpl-3.0", "AGPL-3.0-only"},
  };
  return ids;
}

struct Index {
  std::vector<License> table = build_license_table();
  std::map<std::string, size_t> by_spdx;  // lowercased
  std::map<std::string, size_t> by_hub;
  Index() {
    for (size_t i = 0; i < table.size(); ++i) {
      by_spdx.emplace(lower(table[i].spdx), i);
      if (!table[i].hub_id.empty()) by_hub.emplace(table[i].hub_id, i);
    }
  }
};

const Index& index() {
  static const Index idx;
  return idx;
}

}  // namespace

const std::vector<License>& all_licenses() { return index().table; }

const License* find_license(std::string_view id) {
  const Index& idx = index();
  std::string key = lower(id);
  if (auto it = idx.by_spdx.find(key); it != idx.by_spdx.end()) return &idx.table[it->second];
  if (auto it = deprecated_ids().find(key); it != deprecated_ids().end()) {
    return &idx.table[idx.by_spdx.at(lower(it->second))];
  }
  if (auto it = idx.by_hub.find(key); it != idx.by_hub.end()) return &idx.table[it->second];
  return nullptr;
}

License unknown_license(std::string_view id, std::string_view name, std::string_view url) {
  License l;
  l.spdx = std::string(id);
  l.name = name.empty() ? std::string(id) : std::string(name);
  l.url = std::string(url);
  return l;
}

std::string_view to_string(Trigger trigger) {
  switch (trigger) {
    case Trigger::use: return "use";
    case Trigger::distribution: return "distribution";
    case Trigger::commercial: return "commercial";
  }
  return "use";
}

std::string_view to_string(Copyleft copyleft) {
  switch (copyleft) {
    case Copyleft::none: return "none";
    case Copyleft::weak: return "weak";
    case Copyleft::strong: return "strong";
    case Copyleft::network: return "network";
  }
  return "none";
}

}  // namespace hallmark::policy
