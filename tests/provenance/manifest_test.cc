// Manifests against the `sha256sum` program and an independent Python computation of the
// OpenSSF model signing root digest.
#include <sys/stat.h>

#include <catch2/catch.hpp>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

#include "common/error.h"
#include "provenance/manifest.h"
#include "test_files.h"

namespace fs = std::filesystem;
using namespace hallmark;
using namespace hallmark::provenance;
using test::ScratchDir;

namespace {

constexpr uint64_t kMiB = 1 << 20;

// A model directory with files of many sizes (the hashing block is 1 MiB), nested
// directories, names whose order differs between path-component and code point sorting, a
// non-ASCII name, and the paths the spec leaves out.
void make_model(const fs::path& dir) {
  testing::write_bytes(dir / "empty.bin", "");
  testing::write_bytes(dir / "one.txt", "x");
  test::write_random(dir / "config.json", 63, 1);
  test::write_random(dir / "block-minus-one.bin", kMiB - 1, 2);
  test::write_random(dir / "block.bin", kMiB, 3);
  test::write_random(dir / "block-plus-one.bin", kMiB + 1, 4);
  test::write_random(dir / "big/model-00001-of-00002.safetensors", 65 * kMiB + 7, 5);
  test::write_random(dir / "big/model-00002-of-00002.safetensors", 3 * kMiB + 5, 6);
  test::write_random(dir / "a/b/c/deep.bin", 4096, 7);
  testing::write_bytes(dir / "a.txt", "sorts after a/ by path components, before it by code point");
  testing::write_bytes(dir / "a-b", "dash sorts before slash");
  testing::write_bytes(dir / "donn\xC3\xA9" "es/\xC3\xA9t\xC3\xA9.txt", "non-ASCII name");
  testing::write_bytes(dir / "Z-upper.txt", "upper case sorts first");
  // Left out by default.
  testing::write_bytes(dir / ".git/HEAD", "ref: refs/heads/main\n");
  testing::write_bytes(dir / ".gitattributes", "*.safetensors filter=lfs\n");
  testing::write_bytes(dir / ".gitignore", "*.tmp\n");
  testing::write_bytes(dir / ".github/workflows/ci.yml", "on: push\n");
  testing::write_bytes(dir / "model.sig", "{}");
}

std::map<std::string, std::string> sha256sum_of(const fs::path& dir, const Manifest& m) {
  std::string cmd = "cd " + test::shell_quote(dir.string()) + " && sha256sum --";
  for (const auto& f : m.files) cmd += " " + test::shell_quote(f.path);
  std::istringstream out(test::run(cmd));
  std::map<std::string, std::string> digests;
  std::string line;
  while (std::getline(out, line)) digests[line.substr(66)] = line.substr(0, 64);
  return digests;
}

}  // namespace

TEST_CASE("manifest digests match sha256sum for every file", "[manifest]") {
  ScratchDir scratch;
  make_model(scratch.path());
  Manifest m = compute_manifest(scratch.path());

  REQUIRE(m.files.size() == 13);
  auto expected = sha256sum_of(scratch.path(), m);
  REQUIRE(expected.size() == m.files.size());
  for (const auto& f : m.files) {
    INFO(f.path);
    CHECK(f.sha256 == expected.at(f.path));
    CHECK(f.size == fs::file_size(scratch.path() / f.path));
  }
  CHECK(m.find("big/model-00001-of-00002.safetensors")->size == 65 * kMiB + 7);
  CHECK(m.find("empty.bin")->sha256 ==
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  CHECK(m.find(".gitattributes") == nullptr);
  CHECK(m.find("model.sig") == nullptr);
  CHECK(m.find(".git/HEAD") == nullptr);
  CHECK(m.find(".github/workflows/ci.yml") == nullptr);
}

TEST_CASE("root digest matches an independent Python computation of the spec", "[manifest]") {
  ScratchDir scratch;
  make_model(scratch.path());
  Manifest m = compute_manifest(scratch.path());
  auto ref = nlohmann::json::parse(
      test::run("/usr/bin/python3 " HALLMARK_SOURCE_DIR "/tests/provenance/root_digest.py " +
                test::shell_quote(scratch.path().string())));

  REQUIRE(ref["resources"].size() == m.files.size());
  for (size_t i = 0; i < m.files.size(); ++i) {
    CHECK(m.files[i].path == ref["resources"][i][0]);
    CHECK(m.files[i].sha256 == ref["resources"][i][1]);
  }
  CHECK(m.root_digest == ref["root"]);
  // Code point order: '-' (0x2d) < '.' (0x2e) < '/' (0x2f) < 'Z' < 'a' < U+00E9.
  CHECK(m.files.front().path == "Z-upper.txt");
  CHECK(m.files[1].path == "a-b");
  CHECK(m.files[2].path == "a.txt");
  CHECK(m.files[3].path == "a/b/c/deep.bin");
}

TEST_CASE("root digest of known resources", "[manifest]") {
  CHECK(root_digest({}) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  // One resource: SHA-256 of its 32 raw digest bytes (here the digest of the empty string).
  const std::string raw("\xe3\xb0\xc4\x42\x98\xfc\x1c\x14\x9a\xfb\xf4\xc8\x99\x6f\xb9\x24"
                        "\x27\xae\x41\xe4\x64\x9b\x93\x4c\xa4\x95\x99\x1b\x78\x52\xb8\x55",
                        32);
  CHECK(root_digest({{"empty", sha256_hex(""), 0}}) == sha256_hex(raw));
  CHECK_THROWS_AS(root_digest({{"bad", "ABCDEF", 0}}), InputError);
}

TEST_CASE("manifest is the same for any thread count", "[manifest]") {
  ScratchDir scratch;
  make_model(scratch.path());
  ManifestOptions one;
  one.threads = 1;
  ManifestOptions many;
  many.threads = 5;
  Manifest a = compute_manifest(scratch.path(), one);
  Manifest b = compute_manifest(scratch.path(), many);
  CHECK(a.root_digest == b.root_digest);
  CHECK(resources_json(a) == resources_json(b));
}

TEST_CASE("user ignore paths and options", "[manifest]") {
  ScratchDir scratch;
  make_model(scratch.path());
  ManifestOptions options;
  options.ignore_paths = {"big/", "./one.txt"};
  Manifest m = compute_manifest(scratch.path(), options);
  CHECK(m.find("big/model-00001-of-00002.safetensors") == nullptr);
  CHECK(m.find("one.txt") == nullptr);
  CHECK(m.find("block.bin") != nullptr);
  CHECK(m.ignore_paths == std::vector<std::string>{".git", ".gitattributes", ".github",
                                                   ".gitignore", "big", "model.sig",
                                                   "one.txt"});

  ManifestOptions keep_git;
  keep_git.ignore_git_paths = false;
  keep_git.signature_file = "";
  Manifest all = compute_manifest(scratch.path(), keep_git);
  CHECK(all.find(".git/HEAD") != nullptr);
  CHECK(all.find("model.sig") != nullptr);

  ManifestOptions escape;
  escape.ignore_paths = {"../outside"};
  CHECK_THROWS_AS(compute_manifest(scratch.path(), escape), InputError);
}

TEST_CASE("symlinks fail unless allowed, and never leave the model", "[manifest]") {
  ScratchDir scratch;
  fs::path dir = scratch.path() / "model";
  testing::write_bytes(dir / "weights.bin", "weights");
  fs::create_symlink("weights.bin", dir / "alias.bin");
  CHECK_THROWS_WITH(compute_manifest(dir), Catch::Contains("alias.bin") &&
                                               Catch::Contains("symbolic link"));
  ManifestOptions allow;
  allow.allow_symlinks = true;
  Manifest m = compute_manifest(dir, allow);
  REQUIRE(m.files.size() == 2);
  CHECK(m.find("alias.bin")->sha256 == m.find("weights.bin")->sha256);
  CHECK(serialization_json(m)["allow_symlinks"] == true);

  testing::write_bytes(scratch.path() / "secret.txt", "outside");
  fs::create_symlink("../secret.txt", dir / "escape.txt");
  CHECK_THROWS_WITH(compute_manifest(dir, allow), Catch::Contains("outside the model"));
}

TEST_CASE("bad model directories", "[manifest]") {
  ScratchDir scratch;
  CHECK_THROWS_AS(compute_manifest(scratch.path() / "missing"), InputError);
  fs::create_directories(scratch.path() / "empty/.git");
  CHECK_THROWS_WITH(compute_manifest(scratch.path() / "empty"), Catch::Contains("no files"));
  testing::write_bytes(scratch.path() / "fifo/weights.bin", "w");
  REQUIRE(::mkfifo((scratch.path() / "fifo/pipe").c_str(), 0600) == 0);
  CHECK_THROWS_WITH(compute_manifest(scratch.path() / "fifo"),
                    Catch::Contains("not a regular file"));
}

TEST_CASE("sha256 of files and bytes", "[manifest]") {
  ScratchDir scratch;
  testing::write_bytes(scratch.path() / "abc", "abc");
  CHECK(sha256_file(scratch.path() / "abc") ==
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  CHECK(sha256_hex("abc") == sha256_file(scratch.path() / "abc"));
  CHECK_THROWS_AS(sha256_file(scratch.path() / "nope"), InputError);
}
