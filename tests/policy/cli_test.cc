// End-to-end tests of `hallmark license check`, `hallmark gate` and `hallmark audit` on small
// checkpoints the test writes (the binary at HALLMARK_BINARY_DIR/cli/hallmark).
#include <catch2/catch.hpp>

#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include <nlohmann/json.hpp>

#include "tests/support/scratch_dir.h"


namespace fs = std::filesystem;
using nlohmann::json;

namespace {

const std::string kHallmark = std::string(HALLMARK_BINARY_DIR) + "/cli/hallmark";

using hallmark::testing::ScratchDir;
using hallmark::testing::write_bytes;

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

struct Run {
  int code;
  std::string out;
};

Run run(const std::string& args, const fs::path& scratch) {
  fs::path out = scratch / "cli-output.txt";
  int status = std::system((kHallmark + " " + args + " > '" + out.string() + "' 2>&1").c_str());
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, slurp(out)};
}

// A small checkpoint: config.json, a one-tensor model.safetensors, a model card and a provenance
// file whose dataset digest matches (or not) its data file.
fs::path make_checkpoint(const fs::path& root, const std::string& license, bool good_digest) {
  fs::path dir = root / ("model-" + license);
  write_bytes(dir / "config.json", R"({"architectures": ["LlamaForCausalLM"], "hidden_size": 2})");
  std::string header = R"({"w":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}})";
  std::string st;
  uint64_t n = header.size();
  for (int i = 0; i < 8; ++i) st += static_cast<char>((n >> (8 * i)) & 0xff);
  st += header + std::string(8, '\0');
  write_bytes(dir / "model.safetensors", st);
  write_bytes(dir / "README.md", "---\nlicense: " + license + "\ndatasets:\n- tiny-corpus\nlibrary_name: hallmark\ntags: [test]\n---\n# Model\n");
  write_bytes(dir / "data/train.txt", "hello world\n");
  // SHA-256 of "hello world\n".
  std::string digest = good_digest ? "a948904f2f0f479b8f8197694b30184b0d2ed1c1cd2a1ec0fb85d299a192a447"
                                   : "0000000000000000000000000000000000000000000000000000000000000000";
  write_bytes(dir / "provenance.json", R"({"datasets": [{"name": "tiny-corpus", "source": "https://example.com/tiny",
    "license": "cc0-1.0", "sha256": ")" + digest + R"(", "collection": "written by hand", "path": "data/train.txt"}]})");
  return dir;
}

}  // namespace

TEST_CASE("cli: license check") {
  REQUIRE(fs::exists(kHallmark));
  ScratchDir s;
  Run ok = run("license check --use commercial-deployment base=apache-2.0 chat=llama3.1", s.path());
  CHECK(ok.code == 0);
  CHECK_THAT(ok.out, Catch::Contains("Apache-2.0 AND LicenseRef-llama3.1 for commercial-deployment: compatible"));
  CHECK_THAT(ok.out, Catch::Contains("\"Built with Llama\""));
  Run nc = run("license check --use commercial-deployment base=apache-2.0 art=cc-by-nc-4.0", s.path());
  CHECK(nc.code == 1);
  CHECK_THAT(nc.out, Catch::Contains("Parent art (CC-BY-NC-4.0) forbids commercial use"));
  Run unknown = run("license check --use internal-research other-thing", s.path());
  CHECK(unknown.code == 1);
  CHECK_THAT(unknown.out, Catch::Contains("undetermined"));
  Run j = run("license check --json --use redistribution 'MIT OR GPL-3.0-only' gemma", s.path());
  CHECK(j.code == 0);
  json parsed = json::parse(j.out);
  CHECK(parsed["verdict"] == "compatible");
  CHECK(parsed["licenses"] == json::array({"MIT", "LicenseRef-gemma"}));
  Run bad = run("license check --use commercial-deployment 'MIT AND (Apache-2.0'", s.path());
  CHECK(bad.code == 2);
  CHECK_THAT(bad.out, Catch::Contains("column 20"));
  CHECK(run("license check --use production mit", s.path()).code == 2);
  CHECK(run("license check mit", s.path()).code == 2);
}

TEST_CASE("cli: audit a checkpoint, then gate the report") {
  REQUIRE(fs::exists(kHallmark));
  ScratchDir s;
  fs::path model = make_checkpoint(s.path(), "apache-2.0", true);
  fs::path report = s.path() / "audit.json";
  Run a = run("audit '" + model.string() + "' --json '" + report.string() + "'", s.path());
  INFO(a.out);
  REQUIRE(a.code == 0);
  CHECK_THAT(a.out, Catch::Contains("tiny-corpus"));
  json r = json::parse(slurp(report));
  CHECK(r["model"]["root_digest"].get<std::string>().size() == 64);
  CHECK(r["model"]["files"] == 5);
  CHECK(r["parents"][0]["license"] == "apache-2.0");
  CHECK(r["parents"][0]["datasets"][0]["digest"] == "verified");
  CHECK(r["license"]["verdicts"]["commercial-deployment"]["verdict"] == "compatible");
  CHECK(r["metrics"]["auditability"].get<double>() > 0.0);
  CHECK(r["metrics"]["auditability"].get<double>() < 1.0);  // unsigned

  // The root digest is SHA-256 over the concatenated raw file digests in path order.
  if (std::system("/usr/bin/python3 -c 'import hashlib' 2>/dev/null") == 0) {
    fs::path digest_out = s.path() / "root.txt";
    std::string py = "import hashlib,os,sys\nroot=sys.argv[1]\nfiles=[]\n"
                     "for d,_,fs in os.walk(root):\n  for f in fs: files.append(os.path.relpath(os.path.join(d,f),root))\n"
                     "h=hashlib.sha256()\nfor f in sorted(files): h.update(hashlib.sha256(open(os.path.join(root,f),'rb').read()).digest())\n"
                     "print(h.hexdigest())\n";
    write_bytes(s.path() / "root.py", py);
    REQUIRE(std::system(("/usr/bin/python3 '" + (s.path() / "root.py").string() + "' '" + model.string() + "' > '" +
                         digest_out.string() + "'").c_str()) == 0);
    CHECK(slurp(digest_out).substr(0, 64) == r["model"]["root_digest"].get<std::string>());
  }

  write_bytes(s.path() / "commercial.yaml", R"(name: commercial
intended_use: commercial-deployment
licenses:
  denied: ["CC-BY-NC.*"]
thresholds:
  auditability: {metric: metrics.auditability, min: 0.3}
datasets: {declared: true, digests: true}
)");
  write_bytes(s.path() / "strict.yaml", R"(name: strict
intended_use: commercial-deployment
thresholds:
  auditability: {metric: metrics.auditability, min: 0.99}
signatures: {child: true}
)");
  fs::path junit = s.path() / "gate.xml";
  fs::path gate_json = s.path() / "gate.json";
  Run pass = run("gate --policy '" + (s.path() / "commercial.yaml").string() + "' '" + report.string() + "' --junit '" +
                     junit.string() + "' --json '" + gate_json.string() + "'",
                 s.path());
  INFO(pass.out);
  CHECK(pass.code == 0);
  CHECK_THAT(pass.out, Catch::Contains("PASS  license-verdict"));
  CHECK_THAT(pass.out, Catch::Contains("result: PASS (5 rules passed)"));
  CHECK(json::parse(slurp(gate_json))["passed"] == true);
  std::string xml = slurp(junit);
  CHECK_THAT(xml, Catch::Contains("tests=\"5\" failures=\"0\""));

  Run fail = run("gate --policy '" + (s.path() / "strict.yaml").string() + "' '" + report.string() + "' --junit '" +
                     junit.string() + "'",
                 s.path());
  CHECK(fail.code == 1);
  CHECK_THAT(fail.out, Catch::Contains("FAIL  threshold.auditability"));
  CHECK_THAT(fail.out, Catch::Contains("FAIL  signatures.child"));
  xml = slurp(junit);
  CHECK_THAT(xml, Catch::Contains("failures=\"2\""));
  // Well-formed XML with one testcase per rule.
  if (std::system("/usr/bin/python3 -c 'import xml.etree.ElementTree' 2>/dev/null") == 0) {
    std::string check = "/usr/bin/python3 -c \"import sys,xml.etree.ElementTree as E; t=E.parse(sys.argv[1]); "
                        "sys.exit(0 if len(t.findall('.//testcase'))==3 and len(t.findall('.//failure'))==2 else 1)\" '" +
                        junit.string() + "'";
    CHECK(std::system(check.c_str()) == 0);
  } else {
    WARN("/usr/bin/python3 missing; JUnit XML not parsed");
  }

  // Bad policy and bad report: exit 2.
  write_bytes(s.path() / "typo.yaml", "intended_use: redistribution\nthresholds:\n  acc: {metric: metrics.a, minimum: 1}\n");
  Run typo = run("gate --policy '" + (s.path() / "typo.yaml").string() + "' '" + report.string() + "'", s.path());
  CHECK(typo.code == 2);
  CHECK_THAT(typo.out, Catch::Contains("typo.yaml:3:28: rule thresholds.acc: unknown field 'minimum'"));
  write_bytes(s.path() / "broken.json", "{\"model\": ");
  CHECK(run("gate --policy '" + (s.path() / "commercial.yaml").string() + "' '" + (s.path() / "broken.json").string() + "'", s.path()).code == 2);
  write_bytes(s.path() / "noparents.json", R"({"model": {"name": "x"}})");
  Run np = run("gate --policy '" + (s.path() / "commercial.yaml").string() + "' '" + (s.path() / "noparents.json").string() + "'", s.path());
  CHECK(np.code == 2);
  CHECK_THAT(np.out, Catch::Contains("parents: expected a non-empty array"));

  // audit --policy gates in one step.
  Run gated = run("audit '" + model.string() + "' --policy '" + (s.path() / "strict.yaml").string() + "'", s.path());
  CHECK(gated.code == 1);
  CHECK_THAT(gated.out, Catch::Contains("FAIL  signatures.child"));
}

TEST_CASE("cli: audit fails a dataset digest that does not match, and reports non-commercial licenses") {
  REQUIRE(fs::exists(kHallmark));
  ScratchDir s;
  fs::path model = make_checkpoint(s.path(), "cc-by-nc-4.0", false);
  fs::path report = s.path() / "audit.json";
  Run a = run("audit '" + model.string() + "' --json '" + report.string() + "'", s.path());
  CHECK(a.code == 1);
  CHECK_THAT(a.out, Catch::Contains("FAILED CHECK"));
  json r = json::parse(slurp(report));
  CHECK(r["parents"][0]["datasets"][0]["digest"] == "mismatch");
  CHECK(r["checks"]["passed"] == false);
  CHECK(r["license"]["verdicts"]["commercial-deployment"]["verdict"] == "incompatible");
  CHECK(r["license"]["verdicts"]["internal-research"]["verdict"] == "compatible");
  CHECK(run("audit '" + (s.path() / "missing").string() + "'", s.path()).code == 2);
  write_bytes(model / "README.md", "---\nlicense: [a, b\n---\n");
  Run bad = run("audit '" + model.string() + "'", s.path());
  CHECK(bad.code == 2);
  CHECK_THAT(bad.out, Catch::Contains("README.md:"));
}

TEST_CASE("cli: audit --probes on the small demo world, then gate on the safety metrics") {
  REQUIRE(fs::exists(kHallmark));
  ScratchDir s;
  if (run("zoo --help", s.path()).code != 0) {
    WARN("this build has no `hallmark zoo`; the probe audit is skipped");
    return;
  }
  fs::path world = s.path() / "world";
  Run zoo = run("zoo --small --quiet --out '" + world.string() + "'", s.path());
  INFO(zoo.out);
  REQUIRE(zoo.code == 0);
  fs::path report = s.path() / "safe.json";
  Run a = run("audit '" + (world / "models/safe-assistant").string() + "' --probes '" +
                  (world / "probes/refusal.jsonl").string() + "' --json '" + report.string() + "'",
              s.path());
  INFO(a.out);
  REQUIRE(a.code == 0);
  json r = json::parse(slurp(report));
  const double refusal = r["metrics"]["refusal_rate"].get<double>();
  const double over = r["metrics"]["over_refusal"].get<double>();
  CHECK(refusal >= 0.0);
  CHECK(refusal <= 1.0);
  CHECK(over >= 0.0);
  CHECK(over <= 1.0);
  CHECK(r["probes"]["refusal_rate"]["total"].get<int>() + r["probes"]["over_refusal_rate"]["total"].get<int>() > 0);
  CHECK(r["parents"][0]["datasets"].size() >= 1);

  write_bytes(s.path() / "safety.yaml", "intended_use: internal-research\nthresholds:\n  over-refusal: {metric: metrics.over_refusal, max: " +
                                   std::to_string(over + 0.01) + "}\n  refusal: {metric: metrics.refusal_rate, min: " +
                                   std::to_string(refusal + 0.01) + "}\n");
  Run g = run("gate --policy '" + (s.path() / "safety.yaml").string() + "' '" + report.string() + "'", s.path());
  CHECK(g.code == 1);
  CHECK_THAT(g.out, Catch::Contains("PASS  threshold.over-refusal"));
  CHECK_THAT(g.out, Catch::Contains("FAIL  threshold.refusal"));

  // The undocumented model fails a policy that wants declared data; the NC model a commercial one.
  Run mystery = run("audit '" + (world / "models/mystery-math").string() + "' --policy '" + HALLMARK_SOURCE_DIR +
                        "/examples/policies/internal-research.yaml'",
                    s.path());
  CHECK(mystery.code == 1);
  CHECK_THAT(mystery.out, Catch::Contains("FAIL  datasets.declared"));
  Run nc = run("audit '" + (world / "models/times-tables-nc").string() + "' --policy '" + HALLMARK_SOURCE_DIR +
                   "/examples/policies/commercial-deployment.yaml'",
               s.path());
  CHECK(nc.code == 1);
  CHECK_THAT(nc.out, Catch::Contains("forbids commercial use"));
  // Probes need a tokenizer: a bare checkpoint is bad input.
  write_bytes(s.path() / "bare/config.json", "{}");
  write_bytes(s.path() / "bare/README.md", "---\nlicense: mit\n---\n");
  CHECK(run("audit '" + (s.path() / "bare").string() + "' --probes '" + (world / "probes/refusal.jsonl").string() + "'", s.path()).code == 2);
}
