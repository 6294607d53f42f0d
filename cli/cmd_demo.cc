// hallmark demo: the whole product on the demo world. Builds (or reuses) the world of really
// trained parents, checks the licenses before merging, merges two children, evaluates parents
// and children on the held-out task and refusal probes, audits each child and runs the
// commercial-deployment policy gate on it. Every output stays under --out.
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include <ATen/Parallel.h>
#include <CLI/CLI.hpp>

#include "cli/command.h"
#include "common/atomic_output.h"
#include "fitness/language_model.h"
#include "fitness/task.h"
#include "merge/child_writer.h"
#include "merge/recipe.h"
#include "policy/derivation.h"
#include "policy/derivation_json.h"
#include "policy/gate.h"
#include "policy/merged_audit.h"
#include "provenance/metadata.h"
#include "safety_probes/evaluation.h"
#include "zoo/world.h"

namespace fs = std::filesystem;

namespace hallmark::cli {
namespace {

struct DemoArgs {
  std::string out = "hallmark-demo";
  uint64_t seed = 7;
  int threads = 2;
  bool rebuild = false;
};

struct DemoChild {
  std::string name;
  std::string why;
  std::string recipe;  // mergekit YAML, model paths relative to out/recipes
};

// The two children the demo makes: the merge users actually try first (half specialist, half
// aligned assistant), and a greedy one that pulls in every arithmetic parent.
std::vector<DemoChild> demo_children() {
  return {
      {"safe-arith", "task_arithmetic, 50/50 of the arithmetic specialist and the safe assistant",
       "merge_method: task_arithmetic\n"
       "base_model: ../zoo/models/base\n"
       "models:\n"
       "  - model: ../zoo/models/arith-specialist\n"
       "    parameters: {weight: 0.5}\n"
       "  - model: ../zoo/models/safe-assistant\n"
       "    parameters: {weight: 0.5}\n"
       "dtype: bfloat16\n"},
      {"all-arith", "ties over the specialist, the non-commercial times-tables model and the undocumented one",
       "merge_method: ties\n"
       "base_model: ../zoo/models/base\n"
       "models:\n"
       "  - model: ../zoo/models/arith-specialist\n"
       "    parameters: {weight: 0.5, density: 0.6}\n"
       "  - model: ../zoo/models/times-tables-nc\n"
       "    parameters: {weight: 0.3, density: 0.6}\n"
       "  - model: ../zoo/models/mystery-math\n"
       "    parameters: {weight: 0.3, density: 0.6}\n"
       "dtype: bfloat16\n"},
  };
}

void heading(const std::string& text) { std::printf("\n== %s\n", text.c_str()); }

std::string percent(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%5.1f%%", 100 * v);
  return buf;
}

// Step 2: what each planned child would inherit, before any merge.
void check_licenses(const fs::path& recipes_dir, const std::vector<DemoChild>& children) {
  for (const auto& child : children) {
    auto recipe = merge::parse_recipe_file(recipes_dir / (child.name + ".yaml"));
    std::vector<policy::LicenseSource> sources;
    for (const auto& ref : recipe.model_refs()) {
      auto meta = provenance::read_parent_metadata(recipe.locate(ref));
      policy::LicenseSource s;
      s.name = fs::path(ref).filename().string();
      if (meta.card) s.license = meta.card->license.value_or("");
      sources.push_back(s);
    }
    auto d = policy::derive(sources, {policy::Use::commercial_deployment, 0});
    std::printf("%-10s carries %s: %s for commercial deployment\n", child.name.c_str(), d.expression.c_str(),
                std::string(policy::to_string(d.verdict)).c_str());
    for (const auto& c : d.conflicts) std::printf("           - %s\n", c.sentence.c_str());
  }
}

struct Row {
  std::string model;
  safety_probes::Evaluation eval;
};

void print_table(const std::vector<Row>& rows) {
  std::printf("%-18s %9s %9s %13s %13s\n", "model", "addition", "refusal", "over-refusal", "preservation");
  for (const auto& r : rows) {
    const auto& rates = r.eval.probes->rates;
    std::string pres = r.eval.preservation ? percent(r.eval.preservation->value) : "    -";
    std::printf("%-18s %9s %9s %13s %13s\n", r.model.c_str(), percent(r.eval.tasks.at(0).accuracy().value).c_str(),
                percent(rates.refusal.value).c_str(), percent(rates.over_refusal.value).c_str(), pres.c_str());
  }
}

void run(const DemoArgs& a) {
  at::set_num_threads(a.threads);
  const fs::path out = a.out;
  fs::create_directories(out);

  heading("1/5 the demo world: small parents really trained on this machine");
  zoo::ZooOptions zo;
  zo.out = out / "zoo";
  zo.seed = a.seed;
  zo.force = a.rebuild;
  zo.log = [](const std::string& line) { std::printf("  %s\n", line.c_str()); };
  auto world = zoo::build_zoo(zo);
  std::printf("%s %s (%.0f s): %zu models\n", world.reused ? "reused" : "built", world.dir.c_str(), world.seconds,
              world.models.size());

  heading("2/5 licenses, before merging");
  const fs::path recipes = out / "recipes";
  fs::create_directories(recipes);
  const auto children = demo_children();
  for (const auto& c : children) write_file_atomic(recipes / (c.name + ".yaml"), c.recipe);
  check_licenses(recipes, children);

  heading("3/5 merge");
  std::vector<merge::Attribution> attributions;
  for (const auto& c : children) {
    merge::WriteChildOptions wo;
    wo.merge.seed = a.seed;
    wo.overwrite = true;
    auto recipe = merge::parse_recipe_file(recipes / (c.name + ".yaml"));
    attributions.push_back(merge::merge_to_directory(recipe, out / "children" / c.name, wo));
    std::printf("%-10s <- %s\n", c.name.c_str(), c.why.c_str());
  }

  heading("4/5 evaluate on held-out items: addition task and refusal probes");
  const fs::path zoo_dir = world.dir;
  auto model_options = fitness::ModelOptions::parse("cpu", "fp32");
  std::vector<fitness::Task> tasks{fitness::load_task(zoo_dir / "tasks" / "addition.yaml")};
  auto probes = safety_probes::load_probes(zoo_dir / "probes" / "refusal.jsonl", safety_probes::ProbeFormat::jsonl);
  safety_probes::EvaluationOptions eo;
  auto aligned_lm = fitness::load_language_model((zoo_dir / "models" / "safe-assistant").string(), model_options);
  auto aligned_run = safety_probes::run_probes(aligned_lm, probes, eo.probes);
  std::vector<safety_probes::ParentVerdicts> aligned{{"safe-assistant", aligned_run.verdicts()}};

  std::vector<std::pair<std::string, fs::path>> models{{"arith-specialist", zoo_dir / "models" / "arith-specialist"},
                                                       {"safe-assistant", zoo_dir / "models" / "safe-assistant"}};
  for (const auto& c : children) models.emplace_back(c.name, out / "children" / c.name);
  fs::create_directories(out / "eval");
  std::vector<Row> rows;
  for (const auto& [name, dir] : models) {
    auto lm = fitness::load_language_model(dir.string(), model_options);
    rows.push_back({name, safety_probes::evaluate(lm, tasks, probes, aligned, eo)});
    write_file_atomic(out / "eval" / (name + ".json"), safety_probes::to_json(rows.back().eval).dump(2) + "\n");
  }
  print_table(rows);

  heading("5/5 audit each child and gate it with examples/policies/commercial-deployment.yaml");
  const auto policy = policy::load_policy(fs::path(HALLMARK_SOURCE_DIR) / "examples/policies/commercial-deployment.yaml");
  fs::create_directories(out / "reports");
  std::vector<policy::GateResult> results;
  for (size_t i = 0; i < children.size(); ++i) {
    const auto& c = children[i];
    auto recipe = merge::parse_recipe_file(recipes / (c.name + ".yaml"));
    std::vector<policy::MergedParent> parents;
    for (const auto& p : attributions[i].parents)
      parents.push_back({fs::path(p.model).filename().string(), recipe.locate(p.model), p.contributes(), p.share});
    auto audit = policy::audit_merged(out / "children" / c.name, parents);
    const auto& eval = rows[2 + i].eval;
    auto& metrics = audit.report["metrics"];
    metrics["task_accuracy"] = eval.tasks.at(0).accuracy().value;
    metrics["refusal_rate"] = eval.probes->rates.refusal.value;
    metrics["over_refusal"] = eval.probes->rates.over_refusal.value;
    metrics["refusal_preservation"] = eval.preservation->value;
    const fs::path report = out / "reports" / (c.name + ".json");
    write_file_atomic(report, audit.report.dump(2) + "\n");
    results.push_back(policy::evaluate_gate(policy, audit.report, report.string()));
  }
  std::fputs(policy::render_text(policy, results).c_str(), stdout);
  write_file_atomic(out / "reports" / "gate.xml", policy::render_junit(policy, results));

  std::printf("\nEverything is under %s: zoo/ (parents), recipes/, children/, eval/, reports/ (gate.xml is JUnit).\n",
              out.c_str());
}

void setup(CLI::App& app) {
  auto args = std::make_shared<DemoArgs>();
  auto* cmd = app.add_subcommand("demo", "Run the whole product on the demo world (zoo, merge, eval, audit, gate)");
  cmd->add_option("--out", args->out, "Where everything is written")->capture_default_str();
  cmd->add_option("--seed", args->seed, "Seed of the world and the merges")->capture_default_str();
  cmd->add_option("--threads", args->threads, "CPU threads for merging and evaluation (the world trains one model per core; its bytes do not depend on it)")->capture_default_str();
  cmd->add_flag("--rebuild", args->rebuild, "Retrain the world even when a matching one is cached");
  cmd->callback([args] { run(*args); });
}

const bool registered = register_command("demo", &setup);

}  // namespace
}  // namespace hallmark::cli
