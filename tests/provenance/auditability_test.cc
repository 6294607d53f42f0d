// The auditability formula (docs/provenance.md) on hand-computed cases.
#include <catch2/catch.hpp>

#include "common/error.h"
#include "provenance/auditability.h"

using namespace hallmark;
using namespace hallmark::provenance;

namespace {

ParentMetadata fully_auditable() {
  ParentMetadata m;
  m.card = ModelCard{};
  m.card->has_front_matter = true;
  m.card->license = "apache-2.0";
  m.card->library_name = "transformers";
  m.provenance = ProvenanceFile{};
  m.dataset_checks = {{"train", DigestStatus::kVerified, ""}};
  m.signature.status = SignatureStatus::kVerified;
  return m;
}

bool mentions(const std::vector<std::string>& lines, const std::string& a, const std::string& b) {
  for (const auto& l : lines)
    if (l.find(a) != std::string::npos && l.find(b) != std::string::npos) return true;
  return false;
}

}  // namespace

TEST_CASE("a fully documented, verified and signed parent scores 1", "[auditability]") {
  Auditability a = score_auditability({{"org/good", 1.0, fully_auditable()}});
  CHECK(a.score == Approx(1.0));
  CHECK(a.missing.empty());
  REQUIRE(a.parents.size() == 1);
  CHECK(a.parents[0].contribution == Approx(1.0));
}

TEST_CASE("a parent that declares nothing scores 0 and every gap is named", "[auditability]") {
  Auditability a = score_auditability({{"org/opaque", 2.0, ParentMetadata{}}});
  CHECK(a.score == Approx(0.0));
  CHECK(a.parents[0].contribution == Approx(1.0));
  REQUIRE(a.missing.size() == 4);
  for (const auto& line : a.missing) CHECK(line.find("org/opaque") != std::string::npos);
  CHECK(mentions(a.missing, "org/opaque", "no training datasets"));
  CHECK(mentions(a.missing, "org/opaque", "not signed"));
  CHECK(mentions(a.missing, "org/opaque", "no license"));
  CHECK(mentions(a.missing, "org/opaque", "no model card"));
}

TEST_CASE("the child score weighs each parent by its contribution", "[auditability]") {
  // Parent b: license (0.15) and documentation (0.15) only, plus one of two datasets verified
  // and the other declared without data (data = (1 + 0.5) / 2 = 0.75 -> 0.3): a_b = 0.6.
  ParentMetadata b = fully_auditable();
  b.signature.status = SignatureStatus::kNotChecked;
  b.dataset_checks = {{"d1", DigestStatus::kVerified, ""}, {"d2", DigestStatus::kNotCheckable, ""}};
  Auditability a = score_auditability({{"a", 3.0, fully_auditable()}, {"b", 1.0, b}});
  CHECK(a.parents[1].data == Approx(0.75));
  CHECK(a.parents[1].score == Approx(0.6));
  // 0.75 * 1 + 0.25 * 0.6
  CHECK(a.score == Approx(0.9));
  CHECK(mentions(a.missing, "b", "not checked"));
  CHECK(mentions(a.missing, "b", "d2"));
}

TEST_CASE("component rules", "[auditability]") {
  ParentMetadata m = fully_auditable();
  m.card->license = "unknown";
  CHECK(audit_parent("p", m).license == 0.0);
  m.card->license = "other";
  CHECK(audit_parent("p", m).license == 0.0);
  m.card->license_name = "my-license";
  CHECK(audit_parent("p", m).license == 1.0);

  m.dataset_checks = {{"d", DigestStatus::kMismatch, "digest mismatch"}};
  ParentAuditability mismatch = audit_parent("p", m);
  CHECK(mismatch.data == 0.0);
  CHECK(mentions(mismatch.missing, "p", "digest mismatch"));

  m.card->has_front_matter = false;
  CHECK(audit_parent("p", m).documentation == 0.5);
  m.signature.status = SignatureStatus::kFailed;
  CHECK(audit_parent("p", m).signature == 0.0);
}

TEST_CASE("parents that contribute nothing do not count", "[auditability]") {
  Auditability a = score_auditability({{"good", 1.0, fully_auditable()},
                                       {"unused", 0.0, ParentMetadata{}}});
  CHECK(a.score == Approx(1.0));
  CHECK(a.missing.empty());
  CHECK(a.parents.size() == 2);
}

TEST_CASE("bad auditability inputs", "[auditability]") {
  CHECK_THROWS_AS(score_auditability({{"a", 0.0, fully_auditable()}}), InputError);
  CHECK_THROWS_AS(score_auditability({}), InputError);
  CHECK_THROWS_AS(score_auditability({{"a", -1.0, fully_auditable()}}), InputError);
  AuditabilityWeights w;
  w.data = 0.9;
  CHECK_THROWS_WITH(score_auditability({{"a", 1.0, fully_auditable()}}, w),
                    Catch::Contains("sum to 1"));
  AuditabilityWeights data_only{1.0, 0.0, 0.0, 0.0};
  ParentMetadata m = fully_auditable();
  m.signature.status = SignatureStatus::kAbsent;
  CHECK(score_auditability({{"a", 1.0, m}}, data_only).score == Approx(1.0));
}
