// End to end: `hallmark audit DIR --public-key PUB --json OUT` on a model signed by the
// independent Python signer.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "tests/reports/signing_fixture.h"

using hallmark::reports::test::run_status;
using hallmark::reports::test::shell_quote;
using hallmark::reports::test::SignedModel;
namespace test = hallmark::reports::test;
using nlohmann::json;

namespace {

int audit(const SignedModel& m, const std::filesystem::path& key, const std::filesystem::path& out) {
  return run_status(shell_quote(HALLMARK_BINARY_DIR "/cli/hallmark") + " audit " +
                    shell_quote(m.model().string()) + " --public-key " + shell_quote(key.string()) +
                    " --json " + shell_quote(out.string()) + " > " +
                    shell_quote((m.root() / "stdout.txt").string()) + " 2>&1");
}

}  // namespace

TEST_CASE("hallmark audit --public-key reports a verified signature", "[cli]") {
  SignedModel m;
  const std::string root = m.sign();
  const auto out = m.root() / "audit.json";
  const int code = audit(m, m.public_key(), out);
  INFO(test::read(m.root() / "stdout.txt"));
  REQUIRE(code == 0);
  json r = json::parse(test::read(out));
  CHECK(r["model"]["signature"]["verified"] == true);
  CHECK(r["model"]["signature"]["status"] == "verified");
  CHECK(r["model"]["signature"]["signed_root_digest"] == root);
  CHECK(r["model"]["root_digest"] == root);
  CHECK(r["parents"][0]["signature"]["verified"] == true);
  CHECK(r["checks"]["passed"] == true);
}

TEST_CASE("hallmark audit --public-key exits 1 for a tampered model", "[cli]") {
  SignedModel m;
  m.sign();
  test::write(m.model() / "model.safetensors", "tampered");
  const auto out = m.root() / "audit.json";
  CHECK(audit(m, m.public_key(), out) == 1);
  json r = json::parse(test::read(out));
  CHECK(r["model"]["signature"]["verified"] == false);
  CHECK(r["model"]["signature"]["status"] == "failed");
  CHECK(r["checks"]["passed"] == false);
  REQUIRE(r["checks"]["failures"].size() == 1);
  CHECK_THAT(r["checks"]["failures"][0].get<std::string>(), Catch::Contains("model.safetensors changed"));
}

TEST_CASE("hallmark audit exits 2 naming a missing public key", "[cli]") {
  SignedModel m;
  m.sign();
  CHECK(audit(m, m.root() / "missing.pem", m.root() / "audit.json") == 2);
  CHECK_THAT(test::read(m.root() / "stdout.txt"), Catch::Contains("missing.pem"));
}

TEST_CASE("a policy requiring signatures passes only with the signature verified", "[cli]") {
  SignedModel m;
  test::write(m.model() / "README.md", "---\nlicense: apache-2.0\n---\n# model\n");
  m.sign();
  const auto policy = m.root() / "signed.yaml";
  test::write(policy, "intended_use: internal-research\nsignatures:\n  parents: true\n  child: true\n");
  const std::string base = shell_quote(HALLMARK_BINARY_DIR "/cli/hallmark") + " audit " +
                           shell_quote(m.model().string()) + " --policy " +
                           shell_quote(policy.string());
  const auto out = m.root() / "stdout.txt";
  const std::string redirect = " > " + shell_quote(out.string()) + " 2>&1";

  CHECK(run_status(base + " --public-key " + shell_quote(m.public_key().string()) + redirect) == 0);
  CHECK_THAT(test::read(out), Catch::Contains("PASS  signatures.child") &&
                                  Catch::Contains("PASS  signatures.parents"));
  // Without the key the signature is present but not checked: the rules fail.
  CHECK(run_status(base + redirect) == 1);
  CHECK_THAT(test::read(out), Catch::Contains("FAIL  signatures.child") &&
                                  Catch::Contains("not-checked"));
}
