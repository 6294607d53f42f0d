#include "policy/derivation.h"

#include <algorithm>
#include <optional>
#include <set>
#include <utility>

#include "common/error.h"
#include "policy/src/resolve.h"

namespace hallmark::policy {
namespace {

// One license in force, with the contributing parents that bring it.
struct Holding {
  const License* license;
  std::vector<std::string> parents;
};

std::string names(const std::vector<std::string>& parents) {
  std::string s;
  for (size_t i = 0; i < parents.size(); ++i) {
    if (i > 0) s += (i + 1 == parents.size()) ? " and " : ", ";
    s += parents[i];
  }
  return s;
}

std::string who(const Holding& h) {
  return (h.parents.size() == 1 ? "Parent " : "Parents ") + names(h.parents) + " (" + h.license->spdx + ")";
}

// who() in the middle of a sentence.
std::string who_mid(const Holding& h) {
  std::string s = who(h);
  s[0] = 'p';
  return s;
}

// The verb agreeing with the number of parents: verb(h, "forbids", "forbid").
std::string verb(const Holding& h, const char* one, const char* many) {
  return std::string(" ") + (h.parents.size() == 1 ? one : many);
}

bool contains(const std::vector<std::string>& list, const std::string& id) {
  return std::find(list.begin(), list.end(), id) != list.end();
}

// Why `other` cannot sit under copyleft license `c`, or "" when it can.
std::string copyleft_clash(const License& c, const License& other, bool many) {
  if (contains(c.incompatible, other.spdx) || contains(other.incompatible, c.spdx)) {
    return std::string(many ? "carry" : "carries") + " a license its steward declares incompatible with it";
  }
  if (other.use_restrictions && !c.use_restrictions) return std::string(many ? "add" : "adds") + " use-based restrictions";
  if (!other.commercial_use && c.commercial_use) return std::string(many ? "forbid" : "forbids") + " commercial use";
  return "";
}

std::string copyleft_words(Copyleft c, bool many) {
  std::string v = many ? "require" : "requires";
  return c == Copyleft::weak ? v + " the files it covers, which every merged tensor mixes, to stay under its terms"
                             : v + " the whole merged child to carry its terms";
}

bool applies(Trigger t, Use use) {
  switch (t) {
    case Trigger::use: return true;
    case Trigger::distribution: return use != Use::internal_research;
    case Trigger::commercial: return use == Use::commercial_deployment;
  }
  return true;
}

struct Outcome {
  std::vector<Conflict> conflicts;
  std::vector<InheritedObligation> obligations;
  std::vector<std::string> licenses;
  size_t kinds = 0;
};

Outcome evaluate(const std::vector<Holding>& held, const UseContext& ctx, const std::vector<bool>& missing) {
  Outcome out;
  const bool distributes = ctx.use != Use::internal_research;
  const bool commercial = ctx.use == Use::commercial_deployment;
  auto add = [&](std::string kind, std::string sentence, std::vector<std::string> parents) {
    out.conflicts.push_back({std::move(kind), std::move(sentence), std::move(parents)});
  };
  for (size_t i = 0; i < held.size(); ++i) {
    const Holding& h = held[i];
    const License& l = *h.license;
    out.licenses.push_back(l.spdx);
    if (!l.known) {
      add("unknown-license",
          missing[i] ? (h.parents.size() == 1 ? "Parent " : "Parents ") + names(h.parents) +
                           (h.parents.size() == 1 ? " states" : " state") + " no license, and a model without a license grants no right to use it."
                     : who(h) + verb(h, "carries", "carry") + " a license hallmark does not know, and unknown terms are never "
                                "treated as permissive.",
          h.parents);
      continue;
    }
    if (commercial && !l.commercial_use) {
      add("non-commercial", who(h) + verb(h, "forbids", "forbid") + " commercial use, which commercial deployment is.", h.parents);
    }
    if (distributes && !l.share_adaptations) {
      add("no-derivatives", who(h) + verb(h, "forbids", "forbid") + " sharing adapted material, and the merged child is adapted "
                                     "material that " + std::string(to_string(ctx.use)) + " shares.",
          h.parents);
    }
    if (commercial && l.monthly_active_user_limit > 0 && ctx.monthly_active_users > l.monthly_active_user_limit) {
      add("user-limit", who(h) + verb(h, "requires", "require") + " a separate license above " +
                            std::to_string(l.monthly_active_user_limit) + " monthly active users, and the "
                            "deployment states " + std::to_string(ctx.monthly_active_users) + ".",
          h.parents);
    }
  }
  if (distributes) {
    // Copyleft: the child must be able to carry one license every copyleft parent accepts, and no
    // other parent may add restrictions the copyleft license forbids.
    std::vector<const Holding*> copyleft;
    for (const auto& h : held) {
      if (h.license->known && h.license->copyleft != Copyleft::none) copyleft.push_back(&h);
    }
    for (size_t a = 0; a < copyleft.size(); ++a) {
      for (size_t b = a + 1; b < copyleft.size(); ++b) {
        const License& x = *copyleft[a]->license;
        const License& y = *copyleft[b]->license;
        bool ok = !contains(x.incompatible, y.spdx) && !contains(y.incompatible, x.spdx) &&
                  (contains(x.copyleft_compatible, y.spdx) || contains(y.copyleft_compatible, x.spdx));
        if (!ok) {
          auto parents = copyleft[a]->parents;
          parents.insert(parents.end(), copyleft[b]->parents.begin(), copyleft[b]->parents.end());
          add("copyleft", who(*copyleft[a]) + " and " + who_mid(*copyleft[b]) +
                              " each require the merged child to carry their own license, and neither "
                              "license accepts the other.",
              parents);
        }
      }
    }
    for (const Holding* c : copyleft) {
      for (const auto& o : held) {
        if (&o == c || !o.license->known || o.license->copyleft != Copyleft::none) continue;
        std::string why = copyleft_clash(*c->license, *o.license, o.parents.size() > 1);
        if (why.empty()) continue;
        auto parents = c->parents;
        parents.insert(parents.end(), o.parents.begin(), o.parents.end());
        add("copyleft", who(*c) + " " + copyleft_words(c->license->copyleft, c->parents.size() > 1) +
                            " with no further restrictions, but " + who_mid(o) + " " + why + ".",
            parents);
      }
    }
    // Naming: every required name prefix must be satisfiable by one name.
    const Holding* longest = nullptr;
    std::string prefix;
    for (const auto& h : held) {
      for (const auto& ob : h.license->obligations) {
        if (ob.kind != "name-prefix") continue;
        size_t q1 = ob.text.find('"'), q2 = ob.text.find('"', q1 + 1);
        std::string p = ob.text.substr(q1 + 1, q2 - q1 - 1);
        if (prefix.empty() || p.rfind(prefix, 0) == 0) {
          prefix = p;
          longest = &h;
        } else if (prefix.rfind(p, 0) != 0) {
          auto parents = longest->parents;
          parents.insert(parents.end(), h.parents.begin(), h.parents.end());
          add("naming", who(*longest) + verb(*longest, "requires", "require") + " the child's name to begin with \"" + prefix + "\" and " +
                            who_mid(h) + " with \"" + p + "\", which no name can do at once.",
              parents);
        }
      }
    }
  }
  std::set<std::string> kinds;
  for (const auto& h : held) {
    for (const auto& ob : h.license->obligations) {
      if (!applies(ob.trigger, ctx.use)) continue;
      kinds.insert(ob.kind);
      out.obligations.push_back({ob, h.license->spdx, h.parents});
    }
  }
  out.kinds = kinds.size();
  return out;
}

// Evaluates every combination of OR alternatives and keeps the best: fewest conflicts, then fewest
// obligation kinds, then the first in expression order.
Derivation derive_resolved(const std::vector<ResolvedParent>& parents, const UseContext& ctx) {
  if (parents.empty()) throw InputError("license derivation: no parent contributes to any tensor");
  Derivation d;
  std::vector<std::string> exprs;
  for (const auto& p : parents) {
    d.contributing.push_back(p.name);
    std::string e = (p.top_level_or && parents.size() > 1) ? "(" + p.expression + ")" : p.expression;
    if (!contains(exprs, e)) exprs.push_back(e);
  }
  for (size_t i = 0; i < exprs.size(); ++i) d.expression += (i ? " AND " : "") + exprs[i];

  size_t combos = 1;
  for (const auto& p : parents) {
    combos *= p.alternatives.size();
    if (combos > 4096) throw InputError("license derivation: the parents' OR alternatives exceed 4096 combinations");
  }
  std::optional<Outcome> best;
  std::vector<size_t> pick(parents.size(), 0);
  for (size_t n = 0; n < combos; ++n) {
    size_t rest = n;
    for (size_t i = parents.size(); i-- > 0;) {
      pick[i] = rest % parents[i].alternatives.size();
      rest /= parents[i].alternatives.size();
    }
    std::vector<Holding> held;
    std::vector<bool> missing;
    for (size_t i = 0; i < parents.size(); ++i) {
      for (const License& l : parents[i].alternatives[pick[i]]) {
        auto it = std::find_if(held.begin(), held.end(), [&](const Holding& h) { return h.license->spdx == l.spdx; });
        if (it == held.end()) {
          held.push_back({&l, {parents[i].name}});
          missing.push_back(parents[i].missing);
        } else if (!contains(it->parents, parents[i].name)) {
          it->parents.push_back(parents[i].name);
        }
      }
    }
    Outcome o = evaluate(held, ctx, missing);
    if (!best || o.conflicts.size() < best->conflicts.size() ||
        (o.conflicts.size() == best->conflicts.size() && o.kinds < best->kinds)) {
      best = std::move(o);
    }
  }
  d.conflicts = std::move(best->conflicts);
  d.obligations = std::move(best->obligations);
  d.licenses = std::move(best->licenses);
  bool hard = std::any_of(d.conflicts.begin(), d.conflicts.end(), [](const Conflict& c) { return c.kind != "unknown-license"; });
  d.verdict = hard ? Verdict::incompatible : d.conflicts.empty() ? Verdict::compatible : Verdict::undetermined;
  return d;
}

size_t kind_count(const Derivation& d) {
  std::set<std::string> kinds;
  for (const auto& o : d.obligations) kinds.insert(o.obligation.kind);
  return kinds.size();
}

}  // namespace

Use parse_use(std::string_view text) {
  for (Use u : {Use::internal_research, Use::redistribution, Use::commercial_deployment}) {
    if (text == to_string(u)) return u;
  }
  throw InputError("unknown intended use '" + std::string(text) +
                   "' (expected internal-research, redistribution or commercial-deployment)");
}

std::string_view to_string(Use use) {
  switch (use) {
    case Use::internal_research: return "internal-research";
    case Use::redistribution: return "redistribution";
    case Use::commercial_deployment: return "commercial-deployment";
  }
  return "commercial-deployment";
}

std::string_view to_string(Verdict verdict) {
  switch (verdict) {
    case Verdict::compatible: return "compatible";
    case Verdict::incompatible: return "incompatible";
    case Verdict::undetermined: return "undetermined";
  }
  return "undetermined";
}

const std::vector<std::string>& obligation_kinds() {
  static const std::vector<std::string> kinds = {
      "attribution",          "copy-of-license",          "notice-file",           "state-changes",
      "name-prefix",          "display-attribution",      "pass-on-use-restrictions", "acceptable-use-policy",
      "user-limit",           "share-alike",              "non-commercial",        "no-endorsement",
      "disclose-source",      "research-only"};
  return kinds;
}

Derivation derive(const std::vector<LicenseSource>& parents, const UseContext& use) {
  std::vector<ResolvedParent> resolved;
  for (const auto& p : parents) {
    if (p.contributes) resolved.push_back(resolve_parent(p));
  }
  return derive_resolved(resolved, use);
}

struct LicenseObjective::Resolved : ResolvedParent {};

LicenseObjective::LicenseObjective(const std::vector<LicenseSource>& parents, UseContext use) : use_(use) {
  for (const auto& p : parents) {
    auto r = std::make_shared<Resolved>();
    static_cast<ResolvedParent&>(*r) = resolve_parent(p);
    parents_.push_back(std::move(r));
  }
}

LicenseObjective::~LicenseObjective() = default;

LicenseObjective::Score LicenseObjective::score(const std::vector<bool>& mask) const {
  if (mask.size() != parents_.size()) {
    throw InputError("license objective: mask has " + std::to_string(mask.size()) + " entries for " +
                     std::to_string(parents_.size()) + " parents");
  }
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (auto it = cache_.find(mask); it != cache_.end()) return it->second;
  }
  std::vector<ResolvedParent> active;
  for (size_t i = 0; i < mask.size(); ++i) {
    if (mask[i]) active.push_back(*parents_[i]);
  }
  Score s;
  if (active.empty()) {
    s.violation = 1;
  } else {
    Derivation d = derive_resolved(active, use_);
    s.violation = static_cast<double>(d.conflicts.size());
    s.objective = d.conflicts.empty()
                      ? 1.0 - static_cast<double>(kind_count(d)) / static_cast<double>(obligation_kinds().size())
                      : 0.0;
  }
  std::lock_guard<std::mutex> lock(mutex_);
  cache_.emplace(mask, s);
  return s;
}

}  // namespace hallmark::policy
