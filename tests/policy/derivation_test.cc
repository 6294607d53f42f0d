// License derivation cases, each written from the license's own text (the clause is named in the
// case): the verdict for an intended use, the conflicts (each naming its parents) and the
// obligations the child inherits.
#include <catch2/catch.hpp>

#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include "common/error.h"
#include "policy/derivation.h"
#include "policy/license_kb.h"

using namespace hallmark;
using namespace hallmark::policy;

namespace {

struct Case {
  const char* name;  // what the license text says, in short
  std::vector<LicenseSource> parents;
  Use use;
  Verdict verdict;
  std::set<std::string> conflicts;  // conflict kinds expected, exactly
  std::set<std::string> has;        // obligation kinds that must be present
  std::set<std::string> lacks;      // obligation kinds that must be absent
  const char* expression = nullptr; // expected expression, when checked
  uint64_t mau = 0;
};

LicenseSource P(const char* name, const char* license, bool contributes = true) {
  return LicenseSource{name, license, "", "", contributes};
}
LicenseSource Other(const char* name, const char* license_name) {
  return LicenseSource{name, "other", license_name, "https://example.com/license", true};
}

constexpr Use R = Use::internal_research;
constexpr Use D = Use::redistribution;
constexpr Use C = Use::commercial_deployment;
constexpr Verdict OK = Verdict::compatible;
constexpr Verdict NO = Verdict::incompatible;
constexpr Verdict UNK = Verdict::undetermined;

const std::vector<Case>& cases() {
  static const std::vector<Case> all = {
      {"Apache-2.0 s4 + MIT: permissive, obligations on distribution", {P("mistral", "apache-2.0"), P("phi", "mit")}, C, OK, {},
       {"copy-of-license", "state-changes", "attribution", "notice-file"}, {"share-alike", "user-limit"}, "Apache-2.0 AND MIT"},
      {"MIT: no duty for internal use", {P("phi", "mit")}, R, OK, {}, {}, {"attribution"}, "MIT"},
      {"CC0-1.0 waives everything", {P("pd", "cc0-1.0")}, C, OK, {}, {}, {"attribution", "copy-of-license"}, "CC0-1.0"},
      {"CC BY-NC 4.0 s1(i): NonCommercial forbids commercial deployment", {P("nc", "cc-by-nc-4.0"), P("base", "apache-2.0")}, C, NO,
       {"non-commercial"}, {"non-commercial"}, {}},
      {"CC BY-NC 4.0: internal research is non-commercial", {P("nc", "cc-by-nc-4.0")}, R, OK, {}, {"non-commercial"}, {"attribution"}},
      {"CC BY-NC 4.0: non-commercial redistribution with credit", {P("nc", "cc-by-nc-4.0")}, D, OK, {}, {"non-commercial", "attribution"}, {}},
      {"CC BY-ND 4.0 s2(a)(1)(B): adapted material may not be shared", {P("nd", "cc-by-nd-4.0")}, D, NO, {"no-derivatives"}, {}, {}},
      {"CC BY-ND 4.0: adapted material may be produced privately", {P("nd", "cc-by-nd-4.0")}, R, OK, {}, {}, {}},
      {"CC BY-NC-ND 4.0: both conditions", {P("ncnd", "cc-by-nc-nd-4.0")}, C, NO, {"non-commercial", "no-derivatives"}, {}, {}},
      {"CC BY-SA 4.0 s3(b) + Apache-2.0: permissive parts fit under ShareAlike", {P("sa", "cc-by-sa-4.0"), P("base", "apache-2.0")}, D, OK,
       {}, {"share-alike", "attribution"}, {}},
      {"CC BY-SA 4.0 s3(b)(3) forbids added restrictions such as the Llama AUP", {P("sa", "cc-by-sa-4.0"), P("llama", "llama3.1")}, D, NO,
       {"copyleft"}, {}, {}},
      {"CC BY-SA 4.0 lists GPLv3 as a BY-SA compatible license", {P("sa", "cc-by-sa-4.0"), P("gpl", "gpl-3.0")}, D, OK, {}, {"share-alike"}, {}},
      {"CC BY-SA 4.0 and CC BY-NC-SA 4.0 each demand their own license", {P("sa", "cc-by-sa-4.0"), P("ncsa", "cc-by-nc-sa-4.0")}, D, NO,
       {"copyleft"}, {}, {}},
      {"CC BY-SA 3.0 s4(b): a later version with the same elements", {P("sa3", "cc-by-sa-3.0"), P("sa4", "cc-by-sa-4.0")}, D, OK, {}, {"share-alike"}, {}},
      {"GPLv3 s5 + Apache-2.0: compatible", {P("gpl", "gpl-3.0"), P("base", "apache-2.0")}, D, OK, {}, {"share-alike", "disclose-source"}, {}},
      {"GPLv2 s6 forbids Apache-2.0's further restrictions", {P("gpl2", "gpl-2.0"), P("base", "apache-2.0")}, D, NO, {"copyleft"}, {}, {}},
      {"GPLv2 s0: private use is not restricted", {P("gpl2", "gpl-2.0"), P("base", "apache-2.0")}, R, OK, {}, {}, {"share-alike"}},
      {"GPLv3 s13 permits combination with AGPLv3", {P("gpl", "gpl-3.0"), P("agpl", "agpl-3.0")}, C, OK, {}, {"disclose-source"}, {}},
      {"AGPLv3 s13: network users get the source", {P("agpl", "agpl-3.0")}, C, OK, {}, {"disclose-source", "share-alike"}, {}},
      {"AGPLv3: nothing for internal research", {P("agpl", "agpl-3.0")}, R, OK, {}, {}, {"disclose-source", "share-alike"}},
      {"GPLv3 s10 forbids the Gemma use restrictions", {P("gpl", "gpl-3.0"), P("gemma", "gemma")}, D, NO, {"copyleft"}, {}, {}},
      {"LGPLv3 + MIT", {P("lgpl", "lgpl-3.0"), P("phi", "mit")}, D, OK, {}, {"share-alike", "copy-of-license"}, {}},
      {"MPL-2.0 s3.1: modified files stay MPL, no OpenRAIL restrictions", {P("mpl", "mpl-2.0"), P("bloom", "bigscience-openrail-m")}, D, NO,
       {"copyleft"}, {}, {}},
      {"Llama 3.1 s1.b: copy, Built with Llama, name prefix, Notice, AUP, s2 700M MAU", {P("llama", "llama3.1")}, C, OK, {},
       {"copy-of-license", "display-attribution", "name-prefix", "notice-file", "acceptable-use-policy", "pass-on-use-restrictions", "user-limit"},
       {}, "LicenseRef-llama3.1"},
      {"Llama 3.1 s2: above 700M monthly active users a license from Meta is needed", {P("llama", "llama3.1")}, C, NO, {"user-limit"}, {}, {},
       nullptr, 800'000'000},
      {"Llama 3.1 s2: below the limit no extra license", {P("llama", "llama3.1")}, C, OK, {}, {"user-limit"}, {}, nullptr, 100'000'000},
      {"Llama 3 s1.b.i: Built with Meta Llama 3 and the Llama 3 prefix", {P("llama3", "llama3")}, D, OK, {},
       {"display-attribution", "name-prefix", "notice-file"}, {"user-limit"}},
      {"Llama 3 and Llama 3.1 prefixes: 'Llama 3' satisfies both", {P("l3", "llama3"), P("l31", "llama3.1")}, D, OK, {}, {"name-prefix"}, {}},
      {"Llama 2 s1.b.iv: only the AUP binds internal research", {P("llama2", "llama2")}, R, OK, {}, {"acceptable-use-policy"},
       {"copy-of-license", "notice-file", "user-limit"}},
      {"Llama 2 + Apache-2.0 commercially: s2 user limit", {P("llama2", "llama2"), P("mistral", "apache-2.0")}, C, OK, {},
       {"user-limit", "notice-file", "copy-of-license"}, {"name-prefix"}},
      {"Gemma s3.1: restrictions passed on, terms, notices, Notice file", {P("gemma", "gemma")}, C, OK, {},
       {"pass-on-use-restrictions", "copy-of-license", "state-changes", "notice-file", "acceptable-use-policy"}, {"user-limit"}},
      {"Gemma + Llama 3.1: both restrictive, neither copyleft", {P("gemma", "gemma"), P("llama", "llama3.1")}, C, OK, {},
       {"pass-on-use-restrictions", "name-prefix", "user-limit"}, {}},
      {"BigScience OpenRAIL-M para 4 + Apache-2.0", {P("bloom", "bigscience-openrail-m"), P("base", "apache-2.0")}, C, OK, {},
       {"pass-on-use-restrictions", "acceptable-use-policy"}, {}},
      {"CreativeML OpenRAIL-M allows sharing derivatives", {P("sd", "creativeml-openrail-m")}, D, OK, {}, {"pass-on-use-restrictions"}, {}},
      {"OpenRAIL++-M maps to a LicenseRef", {P("sdxl", "openrail++")}, D, OK, {}, {"pass-on-use-restrictions"}, {}, "LicenseRef-openrail-plus-plus"},
      {"unknown is never permissive", {P("mystery", "unknown"), P("phi", "mit")}, C, UNK, {"unknown-license"}, {}, {}},
      {"no license stated grants nothing", {P("bare", "")}, R, UNK, {"unknown-license"}, {}, {}},
      {"other with an unlisted license_name is unknown", {Other("custom", "Acme Model License v2")}, R, UNK, {"unknown-license"}, {}, {},
       "LicenseRef-Acme-Model-License-v2"},
      {"other with license_name llama3.1 is the Llama 3.1 license", {Other("llama", "llama3.1")}, C, OK, {}, {"name-prefix"}, {}},
      {"MIT OR GPL-3.0: the licensee picks MIT next to Llama", {P("dual", "MIT OR GPL-3.0-only"), P("llama", "llama3.1")}, D, OK, {}, {},
       {"share-alike"}, "(MIT OR GPL-3.0-only) AND LicenseRef-llama3.1"},
      {"GPL-2.0+ may be taken under GPLv3, compatible with Apache-2.0", {P("gpl2plus", "GPL-2.0+"), P("base", "apache-2.0")}, D, OK, {},
       {"share-alike"}, {}},
      {"an SPDX id hallmark does not know is unknown", {P("zend", "Apache-2.0 AND Zend-2.0")}, C, UNK, {"unknown-license"}, {}, {}},
      {"a parent that contributes nothing adds nothing", {P("nc", "cc-by-nc-4.0", false), P("base", "apache-2.0")}, C, OK, {}, {},
       {"non-commercial"}, "Apache-2.0"},
      {"Apple AMLR: research only", {P("dclm", "apple-amlr")}, C, NO, {"non-commercial"}, {}, {}},
      {"DeepFloyd IF: non-commercial research use", {P("if", "deepfloyd-if-license")}, R, OK, {}, {"research-only"}, {}},
      {"BSD-3-Clause clause 3: no endorsement", {P("bsd", "bsd-3-clause")}, D, OK, {}, {"no-endorsement", "attribution"}, {}},
      {"an exception only adds permissions", {P("llvm", "Apache-2.0 WITH LLVM-exception")}, C, OK, {}, {"notice-file"}, {}},
      {"CC BY-NC-SA + CC BY-NC: NC is not an added restriction", {P("ncsa", "cc-by-nc-sa-4.0"), P("nc", "cc-by-nc-4.0")}, D, OK, {},
       {"non-commercial", "share-alike"}, {}},
      {"CC BY-NC-SA + Llama: the AUP is an added restriction", {P("ncsa", "cc-by-nc-sa-4.0"), P("llama", "llama3.1")}, D, NO, {"copyleft"}, {}, {}},
      {"EUPL-1.2 appendix lists GPLv3", {P("eupl", "eupl-1.2"), P("gpl", "gpl-3.0")}, D, OK, {}, {"share-alike"}, {}},
      {"Llama 3.2 AUP: EU exclusion for multimodal models is stated", {P("vision", "llama3.2")}, R, OK, {}, {"acceptable-use-policy"}, {}},
      {"MPL-2.0 s3.3: GPL-2.0 is a Secondary License", {P("mpl", "mpl-2.0"), P("gpl2", "gpl-2.0")}, D, OK, {}, {"share-alike"}, {}},
      {"LGPL-2.1 s3: may be taken under the GPL v2", {P("lgpl", "lgpl-2.1"), P("gpl2", "gpl-2.0")}, D, OK, {}, {"share-alike"}, {}},
      {"GPL-2.0-only and GPL-3.0-only cannot both hold", {P("gpl2", "gpl-2.0"), P("gpl3", "gpl-3.0")}, D, NO, {"copyleft"}, {}, {}},
      {"Hub id is lowercase, SPDX case is restored", {P("a", "apache-2.0 OR mit")}, C, OK, {}, {"attribution"}, {}, "Apache-2.0 OR MIT"},
  };
  return all;
}

std::set<std::string> kinds(const Derivation& d) {
  std::set<std::string> out;
  for (const auto& o : d.obligations) out.insert(o.obligation.kind);
  return out;
}

}  // namespace

TEST_CASE("license derivation cases from the license texts") {
  REQUIRE(cases().size() >= 40);
  for (const auto& c : cases()) {
    INFO(c.name);
    Derivation d = derive(c.parents, UseContext{c.use, c.mau});
    std::string sentences;
    for (const auto& x : d.conflicts) sentences += x.sentence + "\n";
    INFO("conflicts:\n" << sentences);
    CHECK(d.verdict == c.verdict);
    std::set<std::string> conflict_kinds;
    for (const auto& x : d.conflicts) {
      conflict_kinds.insert(x.kind);
      // One sentence, naming every parent involved.
      CHECK(std::count(x.sentence.begin(), x.sentence.end(), '.') >= 1);
      CHECK(x.sentence.back() == '.');
      CHECK(x.sentence.find('\n') == std::string::npos);
      REQUIRE_FALSE(x.parents.empty());
      for (const auto& p : x.parents) CHECK_THAT(x.sentence, Catch::Contains(p));
    }
    CHECK(conflict_kinds == c.conflicts);
    auto got = kinds(d);
    for (const auto& k : c.has) CHECK(got.count(k) == 1);
    for (const auto& k : c.lacks) CHECK(got.count(k) == 0);
    if (c.expression != nullptr) CHECK(d.expression == c.expression);
  }
}

TEST_CASE("derivation: obligations name the license and parents they come from") {
  Derivation d = derive({P("l3", "llama3"), P("l31", "llama3.1")}, {Use::redistribution, 0});
  bool prefix3 = false;
  for (const auto& o : d.obligations) {
    if (o.obligation.kind == "name-prefix" && o.license == "LicenseRef-llama3") {
      prefix3 = true;
      CHECK(o.parents == std::vector<std::string>{"l3"});
      CHECK_THAT(o.obligation.text, Catch::Contains("\"Llama 3\""));
    }
    if (o.obligation.kind == "display-attribution" && o.license == "LicenseRef-llama3.1") {
      CHECK_THAT(o.obligation.text, Catch::Contains("\"Built with Llama\""));
    }
  }
  CHECK(prefix3);
  CHECK(d.expression == "LicenseRef-llama3 AND LicenseRef-llama3.1");
}

TEST_CASE("derivation: bad input") {
  CHECK_THROWS_AS(derive({P("a", "mit", false)}, {}), InputError);
  try {
    derive({P("broken", "MIT AND (Apache-2.0")}, {});
    FAIL("no error");
  } catch (const InputError& e) {
    CHECK_THAT(std::string(e.what()), Catch::Contains("parent broken"));
    CHECK_THAT(std::string(e.what()), Catch::Contains("column"));
  }
  CHECK_THROWS_AS(parse_use("production"), InputError);
}

TEST_CASE("license objective and constraint as functions of the contributing set") {
  LicenseObjective obj({P("base", "apache-2.0"), P("nc", "cc-by-nc-4.0"), P("llama", "llama3.1"), P("pd", "cc0-1.0")},
                       {Use::commercial_deployment, 0});
  auto only_pd = obj.score({false, false, false, true});
  auto base = obj.score({true, false, false, false});
  auto with_llama = obj.score({true, false, true, false});
  auto with_nc = obj.score({true, true, false, false});
  CHECK(only_pd.violation == 0);
  CHECK(only_pd.objective == 1.0);
  CHECK(base.violation == 0);
  CHECK(base.objective < 1.0);
  CHECK(base.objective > with_llama.objective);  // Llama adds duties
  CHECK(with_llama.violation == 0);
  CHECK(with_nc.violation == 1);
  CHECK(with_nc.objective == 0.0);
  CHECK(obj.score({false, false, false, false}).violation == 1);
  for (auto s : {only_pd, base, with_llama, with_nc}) {
    CHECK(s.objective >= 0.0);
    CHECK(s.objective <= 1.0);
  }
  // Same answer again (cache) and the same as derive().
  CHECK(obj.score({true, false, true, false}).objective == with_llama.objective);
  CHECK_THROWS_AS(obj.score({true}), InputError);
}

TEST_CASE("knowledge base: every Hub id of the brief, SPDX case, unknown ids") {
  for (const char* id : {"apache-2.0", "mit", "bsd", "bsd-2-clause", "bsd-3-clause", "bsl-1.0", "cc0-1.0", "cc-by-4.0", "cc-by-sa-4.0",
                         "cc-by-nc-4.0", "cc-by-nc-sa-4.0", "cc-by-nc-nd-4.0", "cc-by-nd-4.0", "gpl-3.0", "lgpl-3.0", "agpl-3.0",
                         "mpl-2.0", "openrail", "openrail++", "bigscience-openrail-m", "creativeml-openrail-m", "bigcode-openrail-m",
                         "bigscience-bloom-rail-1.0", "llama2", "llama3", "llama3.1", "llama3.2", "llama3.3", "llama4", "gemma",
                         "apple-ascl"}) {
    INFO(id);
    const License* l = find_license(id);
    REQUIRE(l != nullptr);
    CHECK(l->known);
    CHECK(l->hub_id == id);
    CHECK((l->spdx == "CC0-1.0" || !l->obligations.empty()));
  }
  CHECK(find_license("apache-2.0")->spdx == "Apache-2.0");
  CHECK(find_license("APACHE-2.0")->spdx == "Apache-2.0");
  CHECK(find_license("GPL-3.0")->spdx == "GPL-3.0-only");
  CHECK(find_license("llama3.1")->monthly_active_user_limit == 700'000'000u);
  CHECK(find_license("cc-by-sa-4.0")->copyleft == Copyleft::strong);
  CHECK(find_license("Acme-1.0") == nullptr);
  CHECK_FALSE(unknown_license("Acme-1.0").known);
  CHECK_FALSE(unknown_license("Acme-1.0").commercial_use);
  std::set<std::string> spdx_ids;
  for (const auto& l : all_licenses()) {
    CHECK(spdx_ids.insert(l.spdx).second);  // one entry per license
    CHECK_FALSE(l.url.empty());
    for (const auto& o : l.obligations) {
      CHECK(std::find(obligation_kinds().begin(), obligation_kinds().end(), o.kind) != obligation_kinds().end());
    }
  }
}
