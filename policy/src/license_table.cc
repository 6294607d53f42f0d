// The license table. Each entry's properties and obligations were written from the license's own
// text; the clause that states an obligation is cited in its sentence. Families that share one
// text (CC versions, the OpenRAIL-M family, the Llama community licenses) share a builder.
#include "policy/src/license_table.h"

#include <cctype>
#include <string>
#include <utility>

namespace hallmark::policy {
namespace {

using T = Trigger;

Obligation ob(std::string kind, std::string text, Trigger trigger = T::distribution) {
  return Obligation{std::move(kind), std::move(text), trigger};
}

License base(std::string hub, std::string spdx, std::string name, std::string url) {
  License l;
  l.hub_id = std::move(hub);
  l.spdx = std::move(spdx);
  l.name = std::move(name);
  l.url = std::move(url);
  l.known = true;
  l.commercial_use = true;
  l.share_adaptations = true;
  return l;
}

License public_domain(std::string hub, std::string spdx, std::string name, std::string url) {
  return base(std::move(hub), std::move(spdx), std::move(name), std::move(url));
}

License mit_like(std::string hub, std::string spdx, std::string name, std::string url) {
  License l = base(std::move(hub), std::move(spdx), std::move(name), std::move(url));
  l.obligations = {ob("attribution",
                      "Include the copyright notice and the permission notice in all copies or "
                      "substantial portions of the model.")};
  return l;
}

License bsd(std::string hub, std::string spdx, std::string name, std::string url, bool endorsement) {
  License l = base(std::move(hub), std::move(spdx), std::move(name), std::move(url));
  l.obligations = {ob("attribution",
                      "Retain the copyright notice, the list of conditions and the disclaimer, and "
                      "reproduce them in the documentation of binary redistributions (clauses 1-2).")};
  if (endorsement) {
    l.obligations.push_back(ob("no-endorsement",
                               "Do not use the names of the copyright holder or contributors to "
                               "endorse or promote the child without written permission (clause 3)."));
  }
  return l;
}

License apache() {
  License l = base("apache-2.0", "Apache-2.0", "Apache License 2.0",
                   "https://www.apache.org/licenses/LICENSE-2.0");
  l.obligations = {
      ob("copy-of-license", "Give every recipient a copy of the Apache License 2.0 (section 4(a))."),
      ob("state-changes", "Make modified files carry prominent notices stating that they were "
                          "changed (section 4(b))."),
      ob("attribution", "Retain all copyright, patent, trademark and attribution notices of the "
                        "source (section 4(c))."),
      ob("notice-file", "Include the readable attribution notices of the parent's NOTICE file, if "
                        "it has one, in a NOTICE file distributed with the child (section 4(d))."),
  };
  return l;
}

// Creative Commons 2.0-4.0: attribution (s3(a) in 4.0), then NC, ND and SA variants.
License creative_commons(std::string hub, std::string version, bool nc, bool nd, bool sa) {
  std::string code = std::string("BY") + (nc ? "-NC" : "") + (nd ? "-ND" : "") + (sa ? "-SA" : "");
  std::string spdx = "CC-" + code + "-" + version;
  std::string lower = code;
  for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  License l = base(std::move(hub), spdx, "Creative Commons " + code + " " + version,
                   "https://creativecommons.org/licenses/" + lower + "/" + version + "/legalcode");
  l.obligations = {ob("attribution",
                      "Give appropriate credit: identify the creator, keep the copyright, license "
                      "and disclaimer notices and a link to the license, and indicate that the "
                      "material was modified (Attribution condition).")};
  if (nc) {
    l.commercial_use = false;
    l.obligations.push_back(ob("non-commercial",
                               "Use and share the child only for purposes not primarily intended "
                               "for commercial advantage or monetary compensation "
                               "(NonCommercial condition).",
                               T::use));
  }
  if (nd) {
    l.share_adaptations = false;
  }
  if (sa) {
    l.copyleft = Copyleft::strong;
    // "the same License Elements, this version or a later version" (BY-SA compatible licenses).
    for (const char* later : {"2.0", "2.5", "3.0", "4.0"}) {
      if (std::stod(later) > std::stod(version)) l.copyleft_compatible.push_back("CC-" + code + "-" + later);
    }
    if (version == "4.0" && !nc) l.copyleft_compatible = {"GPL-3.0-only", "GPL-3.0-or-later"};
    l.obligations.push_back(ob("share-alike",
                               "License adaptations under " + spdx + " (or a later version or a "
                               "compatible license) and impose no additional terms or "
                               "technological measures restricting the licensed rights "
                               "(ShareAlike condition)."));
  }
  return l;
}

License gnu(std::string hub, std::string spdx, std::string name, std::string url, Copyleft kind) {
  License l = base(std::move(hub), std::move(spdx), std::move(name), std::move(url));
  l.copyleft = kind;
  l.obligations = {
      ob("copy-of-license", "Give every recipient a copy of the license with the child."),
      ob("attribution", "Keep intact all copyright notices and notices that the license applies."),
      ob("state-changes", "Carry prominent notices stating that the work was modified and when."),
      ob("share-alike",
         kind == Copyleft::weak
             ? "Keep the licensed parts and their modifications under the same license; larger "
               "works may combine them under other terms as the license permits."
             : "License the whole derived work under the same license and impose no further "
               "restrictions on the recipients' exercise of the granted rights."),
      ob("disclose-source", "Provide the corresponding source (for a model: the weights in their "
                            "preferred form for modification) to every recipient."),
  };
  if (kind == Copyleft::network) {
    l.obligations.push_back(ob("disclose-source",
                               "Offer the corresponding source to every user who interacts with "
                               "the modified work remotely through a computer network (section 13).",
                               T::commercial));
  }
  return l;
}

// The OpenRAIL-M family (BigScience OpenRAIL-M, CreativeML OpenRAIL-M, BigCode OpenRAIL-M,
// OpenRAIL++-M, BLOOM RAIL 1.0): paragraphs 4-5 of the license.
License rail(std::string hub, std::string spdx, std::string name, std::string url) {
  License l = base(std::move(hub), std::move(spdx), std::move(name), std::move(url));
  l.use_restrictions = true;
  l.obligations = {
      ob("pass-on-use-restrictions",
         "Include the use-based restrictions (Attachment A) as an enforceable provision in any "
         "agreement governing the use or distribution of the child, and notify recipients that the "
         "child is subject to them (paragraph 4(a))."),
      ob("acceptable-use-policy",
         "Do not use the child for any use restricted by Attachment A (paragraph 5).", T::use),
      ob("copy-of-license", "Give every third-party recipient of the child a copy of the license "
                            "(paragraph 4(b))."),
      ob("state-changes", "Make modified files carry prominent notices stating that they were "
                          "changed (paragraph 4(c))."),
      ob("attribution", "Retain all copyright, patent, trademark and attribution notices "
                        "(paragraph 4(d))."),
  };
  return l;
}

struct LlamaTerms {
  std::string hub, version, display, prefix, notice, url, aup;
  bool improve_other_llm_clause = false;
  bool eu_multimodal_exclusion = false;
};

// The Llama community license agreements, sections 1.b and 2.
License llama(const LlamaTerms& t) {
  License l = base(t.hub, "LicenseRef-" + t.hub, "Llama " + t.version + " Community License Agreement",
                   t.url);
  l.use_restrictions = true;
  l.monthly_active_user_limit = 700'000'000;
  l.obligations.push_back(ob("copy-of-license",
                             "Provide a copy of the Llama " + t.version + " Community License "
                             "Agreement with the child (section 1.b.i)."));
  if (!t.display.empty()) {
    l.obligations.push_back(ob("display-attribution",
                               "Prominently display \"" + t.display + "\" on a related website, "
                               "user interface, blogpost, about page or product documentation "
                               "(section 1.b.i)."));
  }
  if (!t.prefix.empty()) {
    l.obligations.push_back(ob("name-prefix",
                               "Begin the name of the child model with \"" + t.prefix + "\" "
                               "(section 1.b.i)."));
  }
  l.obligations.push_back(ob("notice-file",
                             "Distribute a \"Notice\" text file with the child containing: \"" +
                                 t.notice + "\" (section 1.b.iii)."));
  l.obligations.push_back(ob("pass-on-use-restrictions",
                             "Distribute the child only under terms that keep the Llama " + t.version +
                                 " license and its Acceptable Use Policy binding on recipients "
                                 "(sections 1.b.i and 1.b.iv)."));
  l.obligations.push_back(ob("acceptable-use-policy",
                             "Use the child only as the Llama " + t.version + " Acceptable Use "
                             "Policy (" + t.aup + ") allows (section 1.b.iv)." +
                                 (t.eu_multimodal_exclusion
                                      ? " For multimodal models the rights are not granted to "
                                        "individuals domiciled in, or companies with a principal "
                                        "place of business in, the European Union."
                                      : ""),
                             T::use));
  if (t.improve_other_llm_clause) {
    l.obligations.push_back(ob("acceptable-use-policy",
                               "Do not use the child or its outputs to improve any other large "
                               "language model than Llama " + t.version + " and its derivative "
                               "works (section 1.b.v).",
                               T::use));
  }
  l.obligations.push_back(ob("user-limit",
                             "If the licensee's products had more than 700 million monthly active "
                             "users on the release date of Llama " + t.version + ", request a "
                             "license from Meta before exercising any rights (section 2).",
                             T::commercial));
  return l;
}

License gemma() {
  License l = base("gemma", "LicenseRef-gemma", "Gemma Terms of Use", "https://ai.google.dev/gemma/terms");
  l.use_restrictions = true;
  l.obligations = {
      ob("pass-on-use-restrictions",
         "Include the use restrictions of section 3.2 as an enforceable provision in any agreement "
         "governing the use or distribution of the child, and notify recipients that Gemma is "
         "subject to them (section 3.1(a))."),
      ob("copy-of-license", "Give all recipients a copy of the Gemma Terms of Use (section 3.1(b))."),
      ob("state-changes", "Make modified files carry prominent notices stating that they were "
                          "modified (section 3.1(c))."),
      ob("notice-file", "Accompany the child with a \"Notice\" text file containing: \"Gemma is "
                        "provided under and subject to the Gemma Terms of Use found at "
                        "ai.google.dev/gemma/terms\" (section 3.1(d))."),
      ob("acceptable-use-policy", "Do not use the child for the uses prohibited by the Gemma "
                                  "Prohibited Use Policy (ai.google.dev/gemma/prohibited_use_policy, "
                                  "section 3.2).",
         T::use),
  };
  return l;
}

// Licenses that allow research or non-commercial evaluation only.
License research_only(std::string hub, std::string spdx, std::string name, std::string url,
                      bool share_adaptations) {
  License l = base(std::move(hub), std::move(spdx), std::move(name), std::move(url));
  l.commercial_use = false;
  l.share_adaptations = share_adaptations;
  l.obligations = {
      ob("research-only", "Use the child only for non-commercial research purposes.", T::use),
      ob("copy-of-license", "Give recipients a copy of the license terms with the child."),
      ob("attribution", "Retain the copyright and license notices."),
  };
  return l;
}

}  // namespace

std::vector<License> build_license_table() {
  std::vector<License> t;
  t.push_back(mit_like("afl-3.0", "AFL-3.0", "Academic Free License 3.0", "https://opensource.org/licenses/AFL-3.0"));
  t.push_back(apache());
  {
    License l = research_only("apple-amlr", "LicenseRef-apple-amlr", "Apple Machine Learning Research Model License",
                              "https://huggingface.co/apple/DCLM-7B/blob/main/LICENSE", true);
    t.push_back(std::move(l));
  }
  {
    License l = base("apple-ascl", "LicenseRef-apple-ascl", "Apple Sample Code License",
                     "https://developer.apple.com/support/downloads/terms/apple-sample-code/Apple-Sample-Code-License.pdf");
    l.obligations = {ob("attribution", "Retain Apple's notice text when redistributing the software in its "
                                       "entirety and without modification."),
                     ob("no-endorsement", "Do not use Apple's names, trademarks or logos to endorse or "
                                          "promote the child without prior written permission.")};
    t.push_back(std::move(l));
  }
  t.push_back(mit_like("artistic-2.0", "Artistic-2.0", "Artistic License 2.0", "https://opensource.org/licenses/Artistic-2.0"));
  t.push_back(rail("bigcode-openrail-m", "LicenseRef-bigcode-openrail-m", "BigCode OpenRAIL-M v1",
                   "https://huggingface.co/spaces/bigcode/bigcode-model-license-agreement"));
  t.push_back(rail("bigscience-bloom-rail-1.0", "LicenseRef-bigscience-bloom-rail-1.0", "BigScience BLOOM RAIL 1.0",
                   "https://huggingface.co/spaces/bigscience/license"));
  t.push_back(rail("bigscience-openrail-m", "LicenseRef-bigscience-openrail-m", "BigScience OpenRAIL-M",
                   "https://www.licenses.ai/blog/2022/8/26/bigscience-open-rail-m-license"));
  {
    License l = bsd("bsd", "LicenseRef-bsd", "BSD license (variant not stated)", "https://opensource.org/licenses/BSD-3-Clause", true);
    l.obligations.push_back(ob("attribution", "The variant is not stated: if it is the 4-clause license, "
                                              "advertising materials must acknowledge the copyright holder."));
    t.push_back(std::move(l));
  }
  t.push_back(bsd("bsd-2-clause", "BSD-2-Clause", "BSD 2-Clause License", "https://opensource.org/licenses/BSD-2-Clause", false));
  t.push_back(bsd("bsd-3-clause", "BSD-3-Clause", "BSD 3-Clause License", "https://opensource.org/licenses/BSD-3-Clause", true));
  t.push_back(bsd("bsd-3-clause-clear", "BSD-3-Clause-Clear", "BSD 3-Clause Clear License",
                  "https://spdx.org/licenses/BSD-3-Clause-Clear.html", true));
  {
    License l = base("bsl-1.0", "BSL-1.0", "Boost Software License 1.0", "https://www.boost.org/LICENSE_1_0.txt");
    l.obligations = {ob("attribution", "Include the license text and copyright notice in all copies, except "
                                       "machine-executable object code generated by a source language processor.")};
    t.push_back(std::move(l));
  }
  for (const char* v : {"2.0", "2.5", "3.0", "4.0"}) {
    t.push_back(creative_commons(std::string("cc-by-") + v, v, false, false, false));
  }
  for (const char* v : {"2.0", "3.0", "4.0"}) {
    t.push_back(creative_commons(std::string("cc-by-nc-") + v, v, true, false, false));
  }
  for (const char* v : {"3.0", "4.0"}) {
    t.push_back(creative_commons(std::string("cc-by-nc-nd-") + v, v, true, true, false));
  }
  for (const char* v : {"2.0", "3.0", "4.0"}) {
    t.push_back(creative_commons(std::string("cc-by-nc-sa-") + v, v, true, false, true));
  }
  t.push_back(creative_commons("cc-by-nd-4.0", "4.0", false, true, false));
  for (const char* v : {"3.0", "4.0"}) {
    t.push_back(creative_commons(std::string("cc-by-sa-") + v, v, false, false, true));
  }
  t.push_back(public_domain("cc0-1.0", "CC0-1.0", "Creative Commons Zero v1.0 Universal",
                            "https://creativecommons.org/publicdomain/zero/1.0/legalcode"));
  {
    License l = base("cdla-permissive-1.0", "CDLA-Permissive-1.0", "Community Data License Agreement Permissive 1.0",
                     "https://cdla.dev/permissive-1-0/");
    l.obligations = {ob("attribution", "Make the agreement's text or a link to it available with shared data "
                                       "(section 3.1.1); results such as models are unrestricted (section 2.4).")};
    t.push_back(std::move(l));
  }
  {
    License l = base("cdla-permissive-2.0", "CDLA-Permissive-2.0", "Community Data License Agreement Permissive 2.0",
                     "https://cdla.dev/permissive-2-0/");
    l.obligations = {ob("copy-of-license", "Make the agreement's text or a link to it available with shared data "
                                           "(section 3.1); there are no restrictions on results such as models.")};
    t.push_back(std::move(l));
  }
  t.push_back(rail("creativeml-openrail-m", "LicenseRef-creativeml-openrail-m", "CreativeML OpenRAIL-M",
                   "https://huggingface.co/spaces/CompVis/stable-diffusion-license"));
  t.push_back(research_only("deepfloyd-if-license", "LicenseRef-deepfloyd-if-license", "DeepFloyd IF License Agreement",
                            "https://huggingface.co/spaces/DeepFloyd/deepfloyd-if-license", true));
  t.push_back(mit_like("ecl-2.0", "ECL-2.0", "Educational Community License 2.0", "https://opensource.org/licenses/ECL-2.0"));
  t.push_back(gnu("epl-1.0", "EPL-1.0", "Eclipse Public License 1.0", "https://www.eclipse.org/legal/epl-v10.html", Copyleft::weak));
  t.push_back(gnu("epl-2.0", "EPL-2.0", "Eclipse Public License 2.0", "https://www.eclipse.org/legal/epl-2.0/", Copyleft::weak));
  t.push_back(mit_like("etalab-2.0", "etalab-2.0", "Etalab Open License 2.0", "https://www.etalab.gouv.fr/licence-ouverte-open-licence"));
  t.push_back(gnu("eupl-1.1", "EUPL-1.1", "European Union Public License 1.1", "https://joinup.ec.europa.eu/collection/eupl", Copyleft::strong));
  t.push_back(gnu("eupl-1.2", "EUPL-1.2", "European Union Public License 1.2", "https://joinup.ec.europa.eu/collection/eupl", Copyleft::strong));
  // EUPL 1.2 Appendix: the compatible licenses a combined derivative may be distributed under.
  t.back().copyleft_compatible = {"GPL-2.0-only", "GPL-3.0-only", "AGPL-3.0-only", "OSL-3.0", "EPL-1.0", "MPL-2.0",
                                  "LGPL-2.1-only", "LGPL-3.0-only", "CC-BY-SA-3.0", "EUPL-1.1"};
  t.push_back(research_only("fair-noncommercial-research-license", "LicenseRef-fair-noncommercial-research-license",
                            "FAIR Noncommercial Research License", "https://huggingface.co/facebook/layerskip-llama3.2-1B/blob/main/LICENSE", true));
  t.push_back(gemma());
  t.push_back(gnu("agpl-3.0", "AGPL-3.0-only", "GNU Affero General Public License v3.0", "https://www.gnu.org/licenses/agpl-3.0.html", Copyleft::network));
  t.push_back(gnu("gpl-2.0", "GPL-2.0-only", "GNU General Public License v2.0", "https://www.gnu.org/licenses/old-licenses/gpl-2.0.html", Copyleft::strong));
  // The FSF: Apache-2.0's patent termination and indemnity terms are further restrictions GPLv2
  // section 6 forbids; GPLv3 is a different license GPLv2-only code cannot be relicensed to.
  t.back().incompatible = {"Apache-2.0", "GPL-3.0-only", "GPL-3.0-or-later", "LGPL-3.0-only", "LGPL-3.0-or-later", "AGPL-3.0-only", "AGPL-3.0-or-later"};
  t.push_back(gnu("gpl-3.0", "GPL-3.0-only", "GNU General Public License v3.0", "https://www.gnu.org/licenses/gpl-3.0.html", Copyleft::strong));
  t.back().copyleft_compatible = {"AGPL-3.0-only"};  // GPLv3 section 13
  t.push_back(gnu("lgpl-2.1", "LGPL-2.1-only", "GNU Lesser General Public License v2.1", "https://www.gnu.org/licenses/old-licenses/lgpl-2.1.html", Copyleft::weak));
  // LGPL-2.1 s3: the ordinary GPL version 2 (or, if stated, a later version) may be applied instead.
  t.back().copyleft_compatible = {"GPL-2.0-only", "GPL-2.0-or-later"};
  t.push_back(gnu("lgpl-3.0", "LGPL-3.0-only", "GNU Lesser General Public License v3.0", "https://www.gnu.org/licenses/lgpl-3.0.html", Copyleft::weak));
  t.back().copyleft_compatible = {"GPL-3.0-only", "AGPL-3.0-only"};
  t.back().obligations.push_back(ob("copy-of-license", "Also give recipients a copy of the GNU GPL v3, which the LGPL v3 supplements."));
  t.push_back(mit_like("isc", "ISC", "ISC License", "https://opensource.org/licenses/ISC"));
  t.push_back(llama({"llama2", "2", "", "",
                     "Llama 2 is licensed under the LLAMA 2 Community License, Copyright (c) Meta Platforms, Inc. All Rights Reserved.",
                     "https://ai.meta.com/llama/license/", "https://ai.meta.com/llama/use-policy", true, false}));
  t.push_back(llama({"llama3", "3", "Built with Meta Llama 3", "Llama 3",
                     "Meta Llama 3 is licensed under the Meta Llama 3 Community License, Copyright (c) Meta Platforms, Inc. All Rights Reserved.",
                     "https://llama.meta.com/llama3/license/", "https://llama.meta.com/llama3/use-policy", true, false}));
  t.push_back(llama({"llama3.1", "3.1", "Built with Llama", "Llama",
                     "Llama 3.1 is licensed under the Llama 3.1 Community License, Copyright (c) Meta Platforms, Inc. All Rights Reserved.",
                     "https://llama.meta.com/llama3_1/license/", "https://llama.meta.com/llama3_1/use-policy", false, false}));
  t.push_back(llama({"llama3.2", "3.2", "Built with Llama", "Llama",
                     "Llama 3.2 is licensed under the Llama 3.2 Community License, Copyright (c) Meta Platforms, Inc. All Rights Reserved.",
                     "https://www.llama.com/llama3_2/license/", "https://www.llama.com/llama3_2/use-policy", false, true}));
  t.push_back(llama({"llama3.3", "3.3", "Built with Llama", "Llama",
                     "Llama 3.3 is licensed under the Llama 3.3 Community License, Copyright (c) Meta Platforms, Inc. All Rights Reserved.",
                     "https://www.llama.com/llama3_3/license/", "https://www.llama.com/llama3_3/use-policy", false, false}));
  t.push_back(llama({"llama4", "4", "Built with Llama", "Llama",
                     "Llama 4 is licensed under the Llama 4 Community License, Copyright (c) Meta Platforms, Inc. All Rights Reserved.",
                     "https://www.llama.com/llama4/license/", "https://www.llama.com/llama4/use-policy", false, true}));
  t.push_back(gnu("mpl-2.0", "MPL-2.0", "Mozilla Public License 2.0", "https://www.mozilla.org/en-US/MPL/2.0/", Copyleft::weak));
  // MPL-2.0 s3.3: Secondary Licenses are GPL 2.0, LGPL 2.1, AGPL 3.0 or any later versions.
  t.back().copyleft_compatible = {"GPL-2.0-only", "GPL-2.0-or-later", "GPL-3.0-only", "LGPL-2.1-only", "LGPL-2.1-or-later",
                                  "LGPL-3.0-only", "AGPL-3.0-only"};
  t.push_back(mit_like("mit", "MIT", "MIT License", "https://opensource.org/licenses/MIT"));
  t.push_back(mit_like("ncsa", "NCSA", "University of Illinois/NCSA Open Source License", "https://opensource.org/licenses/NCSA"));
  t.push_back(rail("openrail", "LicenseRef-openrail", "Open RAIL license family", "https://www.licenses.ai/blog/2022/8/18/naming-convention-of-responsible-ai-licenses"));
  t.push_back(rail("openrail++", "LicenseRef-openrail-plus-plus", "CreativeML Open RAIL++-M",
                   "https://huggingface.co/stabilityai/stable-diffusion-xl-base-1.0/blob/main/LICENSE.md"));
  t.push_back(gnu("osl-3.0", "OSL-3.0", "Open Software License 3.0", "https://opensource.org/licenses/OSL-3.0", Copyleft::network));
  t.push_back(public_domain("pddl", "PDDL-1.0", "Open Data Commons Public Domain Dedication and License", "https://opendatacommons.org/licenses/pddl/1-0/"));
  t.push_back(mit_like("postgresql", "PostgreSQL", "PostgreSQL License", "https://opensource.org/licenses/PostgreSQL"));
  t.push_back(public_domain("unlicense", "Unlicense", "The Unlicense", "https://unlicense.org/"));
  t.push_back(public_domain("wtfpl", "WTFPL", "Do What The F*ck You Want To Public License", "http://www.wtfpl.net/about/"));
  {
    License l = base("zlib", "Zlib", "zlib License", "https://opensource.org/licenses/Zlib");
    l.obligations = {ob("state-changes", "Plainly mark altered versions as such and do not misrepresent them as "
                                         "the original (clause 2)."),
                     ob("attribution", "Do not remove or alter the notice from any source distribution (clause 3).")};
    t.push_back(std::move(l));
  }
  {
    License l = mit_like("odc-by", "ODC-By-1.0", "Open Data Commons Attribution License 1.0",
                         "https://opendatacommons.org/licenses/by/1-0/");
    t.push_back(std::move(l));
  }
  // SPDX ids the Hub has no id for, but which appear in SPDX expressions.
  t.push_back(gnu("", "GPL-2.0-or-later", "GNU General Public License v2.0 or later", "https://www.gnu.org/licenses/old-licenses/gpl-2.0.html", Copyleft::strong));
  t.back().copyleft_compatible = {"GPL-2.0-only", "GPL-3.0-only", "GPL-3.0-or-later"};
  t.push_back(gnu("", "GPL-3.0-or-later", "GNU General Public License v3.0 or later", "https://www.gnu.org/licenses/gpl-3.0.html", Copyleft::strong));
  t.back().copyleft_compatible = {"GPL-3.0-only", "AGPL-3.0-only"};
  t.push_back(gnu("", "LGPL-2.1-or-later", "GNU Lesser General Public License v2.1 or later", "https://www.gnu.org/licenses/old-licenses/lgpl-2.1.html", Copyleft::weak));
  t.back().copyleft_compatible = {"GPL-2.0-or-later", "GPL-3.0-only", "GPL-3.0-or-later", "LGPL-3.0-only"};
  t.push_back(gnu("", "LGPL-3.0-or-later", "GNU Lesser General Public License v3.0 or later", "https://www.gnu.org/licenses/lgpl-3.0.html", Copyleft::weak));
  t.back().copyleft_compatible = {"GPL-3.0-only", "GPL-3.0-or-later", "LGPL-3.0-only"};
  t.push_back(gnu("", "AGPL-3.0-or-later", "GNU Affero General Public License v3.0 or later", "https://www.gnu.org/licenses/agpl-3.0.html", Copyleft::network));
  t.back().copyleft_compatible = {"AGPL-3.0-only", "GPL-3.0-only"};
  return t;
}

}  // namespace hallmark::policy
