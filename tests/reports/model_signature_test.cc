#include <catch2/catch.hpp>

#include "common/error.h"
#include "provenance/manifest.h"
#include "provenance/metadata.h"
#include "reports/model_signature.h"
#include "tests/reports/signing_fixture.h"

using namespace hallmark;
using namespace hallmark::reports;
using hallmark::provenance::SignatureStatus;
using hallmark::reports::test::SignedModel;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

provenance::SignatureCheck verify(const SignedModel& m) {
  return verify_model_signature(m.model(), m.signature(), m.public_key());
}

// Rewrites model.sig's JSON with `edit`.
template <typename Edit>
void edit_bundle(const SignedModel& m, Edit edit) {
  json bundle = json::parse(test::read(m.signature()));
  edit(bundle);
  test::write(m.signature(), bundle.dump(2));
}

}  // namespace

TEST_CASE("a P-256 signature made by the independent signer verifies", "[signature]") {
  SignedModel m("prime256v1");
  const std::string root = m.sign();
  provenance::SignatureCheck c = verify(m);
  INFO(c.detail);
  CHECK(c.status == SignatureStatus::kVerified);
  CHECK(c.root_digest == root);
  // The signed root digest is the one hallmark computes itself for the directory.
  CHECK(provenance::compute_manifest(m.model()).root_digest == root);
  CHECK(c.key_hint.size() == 64);
  CHECK_THAT(c.detail, Catch::Contains("P-256") && Catch::Contains("3 files"));
}

TEST_CASE("P-384 (SHA-384) and P-521 (SHA-512) signatures verify", "[signature]") {
  SignedModel p384("secp384r1");
  p384.sign("--digest sha384");
  CHECK(verify(p384).status == SignatureStatus::kVerified);
  SignedModel p521("secp521r1");
  p521.sign("--digest sha512");
  CHECK(verify(p521).status == SignatureStatus::kVerified);
}

TEST_CASE("a P-384 signature over the wrong digest fails", "[signature]") {
  SignedModel m("secp384r1");
  m.sign("--digest sha256");
  provenance::SignatureCheck c = verify(m);
  CHECK(c.status == SignatureStatus::kFailed);
  CHECK_THAT(c.detail, Catch::Contains("no DSSE signature verifies"));
}

TEST_CASE("a URL-safe base64 bundle verifies", "[signature]") {
  SignedModel m;
  m.sign("--urlsafe");
  CHECK(verify(m).status == SignatureStatus::kVerified);
}

TEST_CASE("a changed, extra or missing file fails naming the file", "[signature]") {
  SECTION("changed") {
    SignedModel m;
    m.sign();
    test::write(m.model() / "tokenizer" / "tokenizer.json", "{\"vocab\": {\"a\": 1}}\n");
    provenance::SignatureCheck c = verify(m);
    CHECK(c.status == SignatureStatus::kFailed);
    CHECK_THAT(c.detail, Catch::Contains("tokenizer/tokenizer.json changed"));
    CHECK(c.detail.find('\n') == std::string::npos);
  }
  SECTION("extra") {
    SignedModel m;
    m.sign();
    test::write(m.model() / "backdoor.bin", "x");
    provenance::SignatureCheck c = verify(m);
    CHECK(c.status == SignatureStatus::kFailed);
    CHECK_THAT(c.detail, Catch::Contains("backdoor.bin is present but not in the manifest"));
  }
  SECTION("missing") {
    SignedModel m;
    m.sign();
    fs::remove(m.model() / "config.json");
    provenance::SignatureCheck c = verify(m);
    CHECK(c.status == SignatureStatus::kFailed);
    CHECK_THAT(c.detail, Catch::Contains("config.json is in the manifest but missing"));
  }
}

TEST_CASE("a signature checked with another key fails", "[signature]") {
  SignedModel m;
  SECTION("the bundle's key hint names another key") {
    m.sign();
    provenance::SignatureCheck c =
        verify_model_signature(m.model(), m.signature(), m.make_key("other", "prime256v1"));
    CHECK(c.status == SignatureStatus::kFailed);
    CHECK_THAT(c.detail, Catch::Contains("names signing key"));
  }
  SECTION("no hint: the signature itself does not verify") {
    m.sign("--no-hint");
    provenance::SignatureCheck c =
        verify_model_signature(m.model(), m.signature(), m.make_key("other", "prime256v1"));
    CHECK(c.status == SignatureStatus::kFailed);
    CHECK_THAT(c.detail, Catch::Contains("no DSSE signature verifies with other.pub.pem"));
    CHECK(verify(m).status == SignatureStatus::kVerified);
  }
}

TEST_CASE("a payload changed after signing fails before it is trusted", "[signature]") {
  SignedModel m;
  m.sign();
  // Swap in the payload of a statement over different contents, keeping the signature.
  SignedModel other;
  test::write(other.model() / "config.json", "{\"hidden_size\": 16}\n");
  other.sign();
  json other_bundle = json::parse(test::read(other.signature()));
  edit_bundle(m, [&](json& b) { b["dsseEnvelope"]["payload"] = other_bundle["dsseEnvelope"]["payload"]; });
  provenance::SignatureCheck c = verify(m);
  CHECK(c.status == SignatureStatus::kFailed);
  CHECK_THAT(c.detail, Catch::Contains("no DSSE signature verifies"));
}

TEST_CASE("malformed bundles fail with a detail", "[signature]") {
  SignedModel m;
  m.sign();
  SECTION("corrupted base64") {
    edit_bundle(m, [](json& b) { b["dsseEnvelope"]["signatures"][0]["sig"] = "MEUC!!"; });
    provenance::SignatureCheck c = verify(m);
    CHECK(c.status == SignatureStatus::kFailed);
    CHECK_THAT(c.detail, Catch::Contains("model.sig") && Catch::Contains("not valid base64"));
  }
  SECTION("not JSON") {
    test::write(m.signature(), "-----BEGIN SIGNATURE-----\n");
    provenance::SignatureCheck c = verify(m);
    CHECK(c.status == SignatureStatus::kFailed);
    CHECK_THAT(c.detail, Catch::Contains("model.sig: not a JSON Sigstore bundle"));
  }
  SECTION("another media type") {
    edit_bundle(m, [](json& b) { b["mediaType"] = "application/vnd.dev.sigstore.bundle+json;version=0.1"; });
    provenance::SignatureCheck c = verify(m);
    CHECK(c.status == SignatureStatus::kFailed);
    CHECK_THAT(c.detail, Catch::Contains("mediaType"));
  }
  SECTION("no envelope") {
    edit_bundle(m, [](json& b) { b.erase("dsseEnvelope"); });
    provenance::SignatureCheck c = verify(m);
    CHECK(c.status == SignatureStatus::kFailed);
    CHECK_THAT(c.detail, Catch::Contains("no dsseEnvelope"));
  }
}

TEST_CASE("a validly signed payload of the wrong type fails", "[signature]") {
  SECTION("payloadType") {
    SignedModel m;
    m.sign("--payload-type application/json");
    provenance::SignatureCheck c = verify(m);
    CHECK(c.status == SignatureStatus::kFailed);
    CHECK_THAT(c.detail, Catch::Contains("payloadType \"application/json\""));
  }
  SECTION("predicateType") {
    SignedModel m;
    m.sign("--predicate-type https://model_signing/Digests/v0.1");
    provenance::SignatureCheck c = verify(m);
    CHECK(c.status == SignatureStatus::kFailed);
    CHECK_THAT(c.detail, Catch::Contains("predicateType") && Catch::Contains("Digests/v0.1"));
  }
}

TEST_CASE("a missing or unusable key file is an input error naming it", "[signature]") {
  SignedModel m;
  m.sign();
  const fs::path missing = m.root() / "nope.pem";
  CHECK_THROWS_WITH(verify_model_signature(m.model(), m.signature(), missing),
                    Catch::Contains("nope.pem") && Catch::Contains("not found"));
  test::write(m.root() / "garbage.pem", "not a key\n");
  CHECK_THROWS_AS(verify_model_signature(m.model(), m.signature(), m.root() / "garbage.pem"),
                  InputError);
  // A private key is not a public key file.
  CHECK_THROWS_WITH(verify_model_signature(m.model(), m.signature(), m.private_key()),
                    Catch::Contains("not a PEM public key"));
}

TEST_CASE("the verifier plugs into read_parent_metadata", "[signature]") {
  SignedModel m;
  m.sign();
  provenance::ParentMetadataOptions options;
  options.public_key = m.public_key();
  options.verify_signature = signature_verifier();
  provenance::ParentMetadata meta = provenance::read_parent_metadata(m.model(), options);
  CHECK(meta.signature.status == SignatureStatus::kVerified);
  CHECK(meta.failures().empty());

  test::write(m.model() / "model.safetensors", "tampered");
  meta = provenance::read_parent_metadata(m.model(), options);
  CHECK(meta.signature.status == SignatureStatus::kFailed);
  REQUIRE(meta.failures().size() == 1);
  CHECK_THAT(meta.failures()[0], Catch::Contains("model.safetensors changed"));
}
