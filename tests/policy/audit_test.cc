// policy::audit_model on checkpoints the test writes: the report fields the gate reads, verdicts
// per use, failed digest checks, and the report passing through the gate.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <string>

#include "common/error.h"
#include "policy/audit.h"
#include "policy/gate.h"
#include "tests/support/scratch_dir.h"

namespace fs = std::filesystem;
using namespace hallmark;
using namespace hallmark::policy;

namespace {

using hallmark::testing::ScratchDir;
using hallmark::testing::write_bytes;

fs::path model(const fs::path& root, const std::string& front_matter, const std::string& digest) {
  fs::path dir = root / "m";
  write_bytes(dir / "config.json", "{}");
  write_bytes(dir / "model.safetensors", std::string(16, 'x'));
  write_bytes(dir / "README.md", "---\n" + front_matter + "---\n# card\n");
  write_bytes(dir / "data/d.txt", "hello world\n");
  write_bytes(dir / "provenance.json", R"({"datasets": [{"name": "d", "sha256": ")" + digest + R"(", "path": "data/d.txt"}]})");
  return dir;
}

const std::string kHelloDigest = "a948904f2f0f479b8f8197694b30184b0d2ed1c1cd2a1ec0fb85d299a192a447";

}  // namespace

TEST_CASE("audit: report fields, verdicts per use, gate round trip") {
  ScratchDir s;
  fs::path dir = model(s.path(), "license: llama3.1\ndatasets: [d, extra]\n", kHelloDigest);
  AuditOptions options;
  options.name = "my-model";
  Audit a = audit_model(dir, options);
  const auto& r = a.report;
  CHECK(a.failures.empty());
  CHECK(r["model"]["name"] == "my-model");
  CHECK(r["model"]["files"] == 5);
  CHECK(r["model"]["signature"]["verified"] == false);
  REQUIRE(r["parents"].size() == 1);
  CHECK(r["parents"][0]["license"] == "llama3.1");
  REQUIRE(r["parents"][0]["datasets"].size() == 2);
  CHECK(r["parents"][0]["datasets"][0]["digest"] == "verified");
  CHECK(r["parents"][0]["datasets"][1]["name"] == "extra");
  CHECK(r["parents"][0]["datasets"][1]["digest"] == "no-digest");
  CHECK(r["license"]["expression"] == "LicenseRef-llama3.1");
  for (const char* use : {"internal-research", "redistribution", "commercial-deployment"}) {
    CHECK(r["license"]["verdicts"][use]["verdict"] == "compatible");
  }
  CHECK(r["metrics"]["auditability"].get<double>() > 0.0);

  Policy p = parse_policy("intended_use: commercial-deployment\ndatasets: {declared: true, digests: true}\n", "p.yaml");
  GateResult g = evaluate_gate(p, r, "audit");
  CHECK(g.rules.size() == 3);
  CHECK(g.rules[0].passed);   // license
  CHECK(g.rules[1].passed);   // declared
  CHECK_FALSE(g.rules[2].passed);  // 'extra' has no digest
}

TEST_CASE("audit: a digest that does not match is a failed check; no license is undetermined") {
  ScratchDir s;
  fs::path dir = model(s.path(), "tags: [x]\n", std::string(64, '0'));
  Audit a = audit_model(dir);
  REQUIRE(a.failures.size() == 1);
  CHECK(a.report["checks"]["passed"] == false);
  CHECK(a.report["parents"][0]["datasets"][0]["digest"] == "mismatch");
  CHECK(a.report["parents"][0]["license"].is_null());
  CHECK(a.report["license"]["verdicts"]["internal-research"]["verdict"] == "undetermined");
  CHECK(a.report["model"]["name"] == "m");
}

TEST_CASE("audit: bad input") {
  ScratchDir s;
  CHECK_THROWS_AS(audit_model(s.path() / "missing"), InputError);
  fs::path dir = model(s.path(), "license: [a\n", kHelloDigest);
  CHECK_THROWS_AS(audit_model(dir), InputError);
}
