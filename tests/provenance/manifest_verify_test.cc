// Verification re-hashes the directory and fails on a changed, missing or extra file; the
// in-toto predicate pieces round-trip.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "common/error.h"
#include "provenance/manifest.h"
#include "test_files.h"

namespace fs = std::filesystem;
using namespace hallmark;
using namespace hallmark::provenance;
using test::ScratchDir;

namespace {

Manifest small_model(const fs::path& dir) {
  testing::write_bytes(dir / "config.json", "{\"hidden_size\": 64}");
  test::write_random(dir / "model.safetensors", 300000, 11);
  testing::write_bytes(dir / "tokenizer/tokenizer.model", "spm");
  return compute_manifest(dir);
}

}  // namespace

TEST_CASE("verify passes on an unchanged model and ignores excluded paths", "[manifest]") {
  ScratchDir scratch;
  Manifest m = small_model(scratch.path());
  CHECK_NOTHROW(verify_manifest(scratch.path(), m));
  testing::write_bytes(scratch.path() / "model.sig", "a signature appears later");
  testing::write_bytes(scratch.path() / ".git/config", "[core]");
  CHECK_NOTHROW(verify_manifest(scratch.path(), m));
}

TEST_CASE("verify fails on a changed file", "[manifest]") {
  ScratchDir scratch;
  Manifest m = small_model(scratch.path());
  testing::write_bytes(scratch.path() / "config.json", "{\"hidden_size\": 65}");
  CHECK_THROWS_AS(verify_manifest(scratch.path(), m), CheckFailed);
  CHECK_THROWS_WITH(verify_manifest(scratch.path(), m),
                    Catch::Contains("config.json changed"));
}

TEST_CASE("verify fails on a missing file", "[manifest]") {
  ScratchDir scratch;
  Manifest m = small_model(scratch.path());
  fs::remove(scratch.path() / "tokenizer/tokenizer.model");
  CHECK_THROWS_AS(verify_manifest(scratch.path(), m), CheckFailed);
  CHECK_THROWS_WITH(verify_manifest(scratch.path(), m),
                    Catch::Contains("tokenizer/tokenizer.model is in the manifest but missing"));
}

TEST_CASE("verify fails on an extra file", "[manifest]") {
  ScratchDir scratch;
  Manifest m = small_model(scratch.path());
  testing::write_bytes(scratch.path() / "extra/notes.txt", "not signed");
  CHECK_THROWS_AS(verify_manifest(scratch.path(), m), CheckFailed);
  CHECK_THROWS_WITH(verify_manifest(scratch.path(), m),
                    Catch::Contains("extra/notes.txt is present but not in the manifest"));
}

TEST_CASE("predicate pieces round-trip and follow the spec's layout", "[manifest]") {
  ScratchDir scratch;
  Manifest m = small_model(scratch.path());
  nlohmann::json predicate = {{"serialization", serialization_json(m)},
                              {"resources", resources_json(m)}};
  CHECK(predicate["serialization"]["method"] == "files");
  CHECK(predicate["serialization"]["hash_type"] == "sha256");
  CHECK(predicate["serialization"]["allow_symlinks"] == false);
  CHECK(predicate["serialization"]["ignore_paths"] ==
        nlohmann::json({".git", ".gitattributes", ".github", ".gitignore", "model.sig"}));
  REQUIRE(predicate["resources"].size() == 3);
  CHECK(predicate["resources"][0] ==
        nlohmann::json({{"name", "config.json"},
                        {"algorithm", "sha256"},
                        {"digest", m.files[0].sha256}}));

  Manifest back = manifest_from_predicate(predicate);
  CHECK(back.root_digest == m.root_digest);
  CHECK(back.ignore_paths == m.ignore_paths);
  CHECK(resources_json(back) == resources_json(m));

  // Listed in another order (as another signer may), the files come back sorted and still
  // verify, while the root digest follows the listed order, as the subject digest does.
  std::swap(predicate["resources"][0], predicate["resources"][2]);
  Manifest reordered = manifest_from_predicate(predicate);
  CHECK(resources_json(reordered) == resources_json(m));
  CHECK(reordered.root_digest != m.root_digest);
  CHECK(reordered.root_digest ==
        root_digest({m.files[2], m.files[1], m.files[0]}));
  CHECK_NOTHROW(verify_manifest(scratch.path(), reordered));
}

TEST_CASE("malformed predicates are bad input", "[manifest]") {
  nlohmann::json good = {
      {"serialization", {{"method", "files"}, {"hash_type", "sha256"}, {"allow_symlinks", false}}},
      {"resources", {{{"name", "a"}, {"algorithm", "sha256"}, {"digest", std::string(64, 'a')}}}}};
  CHECK_NOTHROW(manifest_from_predicate(good));

  auto broken = [&](auto edit) {
    nlohmann::json p = good;
    edit(p);
    return p;
  };
  CHECK_THROWS_WITH(manifest_from_predicate(broken([](auto& p) {
                      p["serialization"]["method"] = "shards";
                    })),
                    Catch::Contains("shards"));
  CHECK_THROWS_AS(manifest_from_predicate(broken([](auto& p) {
                    p["serialization"]["hash_type"] = "blake3";
                  })),
                  InputError);
  CHECK_THROWS_AS(manifest_from_predicate(broken([](auto& p) { p.erase("resources"); })),
                  InputError);
  CHECK_THROWS_AS(manifest_from_predicate(broken([](auto& p) {
                    p["resources"][0]["digest"] = "XYZ";
                  })),
                  InputError);
  CHECK_THROWS_WITH(manifest_from_predicate(broken([](auto& p) {
                      p["resources"].push_back(p["resources"][0]);
                    })),
                    Catch::Contains("listed twice"));
}
