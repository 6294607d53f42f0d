// The ledger's schema and record round trips.
#include <sqlite3.h>

#include <catch2/catch.hpp>

#include "common/error.h"
#include "common/version.h"
#include "provenance/ledger.h"
#include "test_files.h"

namespace fs = std::filesystem;
using namespace hallmark;
using namespace hallmark::provenance;
using test::ScratchDir;

namespace {

// Reads one text value with a raw sqlite3 connection, independent of the Ledger class.
std::string query(const fs::path& db_path, const std::string& sql) {
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open_v2(db_path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK);
  sqlite3_stmt* st = nullptr;
  REQUIRE(sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr) == SQLITE_OK);
  std::string out;
  while (sqlite3_step(st) == SQLITE_ROW) {
    if (!out.empty()) out += ",";
    const unsigned char* t = sqlite3_column_text(st, 0);
    out += t ? reinterpret_cast<const char*>(t) : "NULL";
  }
  sqlite3_finalize(st);
  sqlite3_close(db);
  return out;
}

}  // namespace

TEST_CASE("a new ledger has the current schema in WAL mode", "[ledger]") {
  ScratchDir scratch;
  fs::path file = scratch.path() / "run.sqlite";
  Ledger ledger = Ledger::open(file);
  CHECK(ledger.schema_version() == kLedgerSchemaVersion);
  CHECK(query(file, "PRAGMA journal_mode") == "wal");
  CHECK(query(file, "PRAGMA user_version") == std::to_string(kLedgerSchemaVersion));
  CHECK(query(file, "SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name") ==
        "candidates,children,evaluations,parents,reports,runs");
  // Reopening is a no-op.
  Ledger again = Ledger::open(file);
  CHECK(again.schema_version() == kLedgerSchemaVersion);
}

TEST_CASE("ledger records round-trip", "[ledger]") {
  ScratchDir scratch;
  Ledger ledger = Ledger::open(scratch.path() / "run.sqlite");
  int64_t run = ledger.start_run("evolve-1", {{"objectives", {"accuracy", "refusal"}}}, 7);
  CHECK_THROWS_AS(ledger.start_run("evolve-1", {}, 7), InputError);

  ledger.add_parent(run, {"org/a", "/models/a", std::string(64, 'a'), "apache-2.0",
                          {{"tags", {"x"}}}});
  ledger.add_parent(run, {"org/b", "/models/b", std::string(64, 'b'), std::nullopt, nullptr});

  int64_t c1 = ledger.add_candidate(run, 0, "g-1", {{"weights", {0.5, 0.5}}});
  int64_t c2 = ledger.add_candidate(run, 0, "g-2", {{"weights", {0.9, 0.1}}});
  CHECK_THROWS_AS(ledger.add_candidate(run, 1, "g-1", nullptr), InputError);
  ledger.finish_candidate(c2, {0.75, -0.125}, {0.0, 0.5}, {{"eval_s", 1.5}});
  CHECK_THROWS_AS(ledger.finish_candidate(9999, {}, {}, nullptr), InputError);
  ledger.add_evaluation({c2, "task:arith", {{"accuracy", 0.75}}, 1.25});
  ledger.add_evaluation({c2, "refusal", {{"preserved", 0.9}}, 0.5});
  CHECK_THROWS_AS(ledger.add_evaluation({424242, "x", nullptr, 0}), InputError);
  int64_t child = ledger.add_child(run, {0, c2, "out/child", std::string(64, 'c'),
                                         {{"seed", 7}}});
  ledger.add_report(run, {child, "report.json", "out/child/report.json", std::string(64, 'd'),
                          {{"verdict", "pass"}}});
  ledger.finish_run(run, "finished");

  RunRecord r = *ledger.find_run("evolve-1");
  CHECK(r.id == run);
  CHECK(r.spec["objectives"][1] == "refusal");
  CHECK(r.seed == 7);
  CHECK(r.hallmark_version == version());
  CHECK(r.status == "finished");
  CHECK(r.finished_at);
  CHECK(r.started_at.size() == 24);  // 2026-01-01T00:00:00.000Z
  CHECK_FALSE(ledger.find_run("other"));
  CHECK(ledger.runs().size() == 1);

  auto parents = ledger.parents(run);
  REQUIRE(parents.size() == 2);
  CHECK(parents[0].license == "apache-2.0");
  CHECK(parents[0].metadata["tags"][0] == "x");
  CHECK_FALSE(parents[1].license);

  auto all = ledger.candidates(run);
  REQUIRE(all.size() == 2);
  CHECK(all[0].id == c1);
  CHECK_FALSE(all[0].finished);
  auto finished = ledger.finished_candidates(run);
  REQUIRE(finished.size() == 1);
  CHECK(finished[0].id == c2);
  CHECK(finished[0].key == "g-2");
  CHECK(finished[0].genome["weights"][0] == 0.9);
  CHECK(finished[0].objectives == std::vector<double>{0.75, -0.125});
  CHECK(finished[0].constraint_violations == std::vector<double>{0.0, 0.5});
  CHECK(finished[0].timings["eval_s"] == 1.5);

  auto evals = ledger.evaluations(c2);
  REQUIRE(evals.size() == 2);
  CHECK(evals[0].kind == "task:arith");
  CHECK(evals[0].metrics["accuracy"] == 0.75);
  CHECK(evals[1].seconds == 0.5);

  auto children = ledger.children(run);
  REQUIRE(children.size() == 1);
  CHECK(children[0].candidate_id == c2);
  CHECK(children[0].lineage["seed"] == 7);
  auto reports = ledger.reports(run);
  REQUIRE(reports.size() == 1);
  CHECK(reports[0].child_id == child);
  CHECK(reports[0].summary["verdict"] == "pass");
}

TEST_CASE("a ledger transaction commits all rows or none", "[ledger]") {
  ScratchDir scratch;
  Ledger ledger = Ledger::open(scratch.path() / "run.sqlite");
  int64_t run = ledger.start_run("r", {}, 1);
  CHECK_THROWS_AS(ledger.transaction([&] {
                    int64_t c = ledger.add_candidate(run, 0, "k1", nullptr);
                    ledger.finish_candidate(c, {1.0}, {}, nullptr);
                    ledger.add_candidate(run, 0, "k1", nullptr);  // duplicate: throws
                  }),
                  InputError);
  CHECK(ledger.candidates(run).empty());
  ledger.transaction([&] {
    int64_t c = ledger.add_candidate(run, 0, "k1", nullptr);
    ledger.add_evaluation({c, "x", nullptr, 0.0});
  });
  CHECK(ledger.candidates(run).size() == 1);
}

TEST_CASE("read-only ledgers", "[ledger]") {
  ScratchDir scratch;
  fs::path file = scratch.path() / "run.sqlite";
  CHECK_THROWS_AS(Ledger::open(file, Ledger::Mode::kReadOnly), InputError);
  {
    Ledger w = Ledger::open(file);
    w.start_run("r", {}, 1);
  }
  Ledger r = Ledger::open(file, Ledger::Mode::kReadOnly);
  CHECK(r.runs().size() == 1);
  CHECK_THROWS_WITH(r.start_run("s", {}, 1), Catch::Contains("read-only"));
}
