// End to end: `hallmark demo` on the shared demo world (built once per build tree by the zoo
// tests' cache), as the README's first command runs it.
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include <nlohmann/json.hpp>

#include "tests/support/scratch_dir.h"
#include "tests/zoo/zoo_cache.h"

#include <catch2/catch.hpp>

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

std::string run(const std::string& cmd, int& status) {
  std::string out;
  FILE* p = ::popen((cmd + " 2>&1").c_str(), "r");
  char buf[4096];
  while (size_t n = std::fread(buf, 1, sizeof buf, p)) out.append(buf, n);
  status = ::pclose(p);
  return out;
}

json read_json(const fs::path& path) {
  std::ifstream in(path);
  return json::parse(in);
}

}  // namespace

TEST_CASE("hallmark demo merges, evaluates, audits and gates the demo world") {
  const fs::path world = hallmark::zoo::testing::shared_world();
  const hallmark::testing::ScratchDir scratch;
  const fs::path out = scratch.path();
  fs::copy(world, out / "zoo", fs::copy_options::recursive);

  int status = 0;
  const std::string output =
      run(std::string(HALLMARK_BINARY_DIR) + "/cli/hallmark demo --threads 2 --out " + out.string(), status);
  INFO(output);
  REQUIRE(status == 0);
  CHECK(output.find("is up to date, reusing it") != std::string::npos);
  CHECK(output.find("all-arith  carries Apache-2.0 AND CC-BY-NC-4.0: incompatible") != std::string::npos);

  const json aligned = read_json(out / "eval" / "safe-assistant.json");
  const json specialist = read_json(out / "eval" / "arith-specialist.json");
  const json child = read_json(out / "reports" / "safe-arith.json");
  const double aligned_refusal = aligned["probes"]["refusal_rate"]["value"];
  const double child_accuracy = child["metrics"]["task_accuracy"];
  // The product's point: the plain merge gains task accuracy over the aligned parent, loses
  // part of its refusals (not all: its 95% interval lies strictly between no refusals and the
  // aligned parent's interval), and the gate catches it.
  CHECK(child_accuracy > aligned["tasks"]["accuracy"]["addition"]["value"].get<double>());
  CHECK(child_accuracy < specialist["tasks"]["accuracy"]["addition"]["value"].get<double>());
  CHECK(child["metrics"]["refusal_rate"].get<double>() < aligned_refusal);
  const json merged = read_json(out / "eval" / "safe-arith.json");
  const json& merged_ci = merged["probes"]["refusal_rate"]["ci95"];
  CHECK(merged_ci[0].get<double>() > 0);
  CHECK(merged_ci[1].get<double>() < aligned["probes"]["refusal_rate"]["ci95"][0].get<double>());
  CHECK(child["metrics"]["refusal_preservation"].get<double>() > 0);
  CHECK(child["metrics"]["refusal_preservation"].get<double>() < 0.95);
  CHECK(child["parents"].size() == 3);
  CHECK(output.find("FAIL  threshold.refusal-preservation") != std::string::npos);

  const json greedy = read_json(out / "reports" / "all-arith.json");
  CHECK(greedy["license"]["verdicts"]["commercial-deployment"]["verdict"] == "incompatible");
  CHECK(output.find("FAIL  datasets.declared: no declared datasets for: mystery-math") != std::string::npos);
  CHECK(fs::exists(out / "reports" / "gate.xml"));
  CHECK(fs::exists(out / "children" / "safe-arith" / "model.safetensors"));
}
