// Reading a parent directory: declared dataset digests are checked against the data, and a
// signature is handed to the verifier hook.
#include <catch2/catch.hpp>

#include "common/error.h"
#include "provenance/manifest.h"
#include "provenance/metadata.h"
#include "test_files.h"

namespace fs = std::filesystem;
using namespace hallmark;
using namespace hallmark::provenance;
using test::ScratchDir;

namespace {

void write_provenance(const fs::path& dir, const std::string& digest) {
  testing::write_bytes(dir / "provenance.json", R"({"datasets": [
    {"name": "train", "source": "own", "license": "mit", "collection": "written by hand",
     "sha256": ")" + digest + R"(", "path": "data/train.jsonl"},
    {"name": "remote", "sha256": ")" + std::string(64, 'a') + R"("},
    {"name": "nodigest", "source": "web crawl"}]})");
}

}  // namespace

TEST_CASE("declared digests that match the data verify", "[metadata]") {
  ScratchDir scratch;
  const fs::path dir = scratch.path();
  testing::write_bytes(dir / "README.md", "---\nlicense: mit\n---\n");
  testing::write_bytes(dir / "data/train.jsonl", "{\"text\": \"hello\"}\n");
  write_provenance(dir, sha256_file(dir / "data/train.jsonl"));

  ParentMetadata m = read_parent_metadata(dir);
  REQUIRE(m.card);
  CHECK(m.card->license == "mit");
  REQUIRE(m.dataset_checks.size() == 3);
  CHECK(m.dataset_checks[0].status == DigestStatus::kVerified);
  CHECK(m.dataset_checks[1].status == DigestStatus::kNotCheckable);
  CHECK(m.dataset_checks[2].status == DigestStatus::kNoDigest);
  CHECK(m.signature.status == SignatureStatus::kAbsent);
  CHECK(m.failures().empty());
  CHECK_NOTHROW(m.require_passed());
}

TEST_CASE("a digest that does not match the data is a failed check", "[metadata]") {
  ScratchDir scratch;
  const fs::path dir = scratch.path();
  testing::write_bytes(dir / "data/train.jsonl", "{\"text\": \"hello\"}\n");
  write_provenance(dir, sha256_hex("something else"));

  ParentMetadata m = read_parent_metadata(dir);
  CHECK(m.dataset_checks[0].status == DigestStatus::kMismatch);
  CHECK(m.dataset_checks[0].detail.find(sha256_file(dir / "data/train.jsonl")) !=
        std::string::npos);
  REQUIRE(m.failures().size() == 1);
  CHECK(m.failures()[0].find("train") != std::string::npos);
  CHECK_THROWS_AS(m.require_passed(), CheckFailed);
  CHECK_THROWS_WITH(m.require_passed(), Catch::Contains(dir.string()) &&
                                            Catch::Contains("declared digest"));
}

TEST_CASE("a declared data file that is missing is a failed check", "[metadata]") {
  ScratchDir scratch;
  write_provenance(scratch.path(), sha256_hex("x"));
  ParentMetadata m = read_parent_metadata(scratch.path());
  CHECK_FALSE(m.card);
  CHECK(m.dataset_checks[0].status == DigestStatus::kMissingData);
  CHECK_THROWS_AS(m.require_passed(), CheckFailed);
}

TEST_CASE("a declared data file may not lead outside the model", "[metadata]") {
  ScratchDir scratch;
  const fs::path dir = scratch.path() / "model";
  testing::write_bytes(scratch.path() / "outside.jsonl", "secret");
  fs::create_directories(dir / "data");
  fs::create_symlink("../../outside.jsonl", dir / "data/train.jsonl");
  write_provenance(dir, sha256_hex("secret"));
  CHECK_THROWS_WITH(read_parent_metadata(dir), Catch::Contains("leads outside"));
}

TEST_CASE("the signature hook", "[metadata]") {
  ScratchDir scratch;
  const fs::path dir = scratch.path();
  testing::write_bytes(dir / "weights.bin", "w");
  testing::write_bytes(dir / "model.sig", "{}");

  ParentMetadata unchecked = read_parent_metadata(dir);
  CHECK(unchecked.signature.status == SignatureStatus::kNotChecked);

  ParentMetadataOptions options;
  options.public_key = dir / "key.pub";
  int calls = 0;
  options.verify_signature = [&](const fs::path& model, const fs::path& sig,
                                 const fs::path& key) {
    ++calls;
    CHECK(model == dir);
    CHECK(sig == dir / "model.sig");
    CHECK(key == dir / "key.pub");
    return SignatureCheck{SignatureStatus::kFailed, "signature does not match the key", "", ""};
  };
  ParentMetadata failed = read_parent_metadata(dir, options);
  CHECK(calls == 1);
  CHECK(failed.signature.status == SignatureStatus::kFailed);
  CHECK_THROWS_WITH(failed.require_passed(), Catch::Contains("signature check failed"));
  CHECK(to_string(failed.signature.status) == "failed");

  CHECK_THROWS_AS(read_parent_metadata(dir / "missing"), InputError);
}
