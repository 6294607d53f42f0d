// Schema migrations, and refusal of ledgers this hallmark cannot read.
#include <sqlite3.h>

#include <catch2/catch.hpp>

#include "common/error.h"
#include "provenance/ledger.h"
#include "test_files.h"

namespace fs = std::filesystem;
using namespace hallmark;
using namespace hallmark::provenance;
using test::ScratchDir;

namespace {

void exec(const fs::path& file, const std::string& sql) {
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open(file.c_str(), &db) == SQLITE_OK);
  char* err = nullptr;
  int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err);
  INFO((err ? err : ""));
  sqlite3_free(err);
  sqlite3_close(db);
  REQUIRE(rc == SQLITE_OK);
}

// A ledger as hallmark's schema version 1 wrote it (kept here verbatim as a fixture).
constexpr const char* kVersion1Ledger = R"sql(
PRAGMA journal_mode = WAL;
CREATE TABLE runs (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, spec TEXT NOT NULL,
  seed INTEGER NOT NULL, hallmark_version TEXT NOT NULL, started_at TEXT NOT NULL,
  finished_at TEXT, status TEXT NOT NULL);
CREATE TABLE parents (id INTEGER PRIMARY KEY, run_id INTEGER NOT NULL REFERENCES runs(id),
  name TEXT NOT NULL, path TEXT NOT NULL, root_digest TEXT NOT NULL, license TEXT,
  metadata TEXT NOT NULL);
CREATE TABLE candidates (id INTEGER PRIMARY KEY, run_id INTEGER NOT NULL REFERENCES runs(id),
  generation INTEGER NOT NULL, key TEXT NOT NULL, genome TEXT NOT NULL,
  objectives TEXT NOT NULL, constraint_violations TEXT NOT NULL, timings TEXT NOT NULL,
  UNIQUE (run_id, key));
CREATE TABLE evaluations (id INTEGER PRIMARY KEY,
  candidate_id INTEGER NOT NULL REFERENCES candidates(id), kind TEXT NOT NULL,
  metrics TEXT NOT NULL, seconds REAL NOT NULL);
CREATE TABLE children (id INTEGER PRIMARY KEY, run_id INTEGER NOT NULL REFERENCES runs(id),
  candidate_id INTEGER REFERENCES candidates(id), path TEXT NOT NULL,
  root_digest TEXT NOT NULL, lineage TEXT NOT NULL);
CREATE TABLE reports (id INTEGER PRIMARY KEY, run_id INTEGER NOT NULL REFERENCES runs(id),
  child_id INTEGER REFERENCES children(id), kind TEXT NOT NULL, path TEXT NOT NULL,
  sha256 TEXT NOT NULL, summary TEXT NOT NULL);
PRAGMA application_id = 1212960075;
PRAGMA user_version = 1;
INSERT INTO runs VALUES (1, 'old-run', '{}', 5, '0.0.9', '2026-01-01T00:00:00.000Z', NULL,
  'running');
INSERT INTO candidates VALUES (1, 1, 0, 'g-1', '{"w":[1]}', '[0.5,0.25]', '[0.0]',
  '{"eval_s":2.0}');
INSERT INTO candidates VALUES (2, 1, 0, 'g-2', '{"w":[2]}', '[0.125,1.0]', '[0.5]', '{}');
INSERT INTO evaluations VALUES (1, 2, 'task', '{"acc":0.125}', 2.0);
)sql";

}  // namespace

TEST_CASE("a version 1 ledger is migrated with its rows intact", "[ledger]") {
  ScratchDir scratch;
  fs::path file = scratch.path() / "old.sqlite";
  exec(file, kVersion1Ledger);

  // Read-only connections cannot migrate: they say so.
  CHECK_THROWS_WITH(Ledger::open(file, Ledger::Mode::kReadOnly),
                    Catch::Contains("version 1 is older"));

  Ledger ledger = Ledger::open(file);
  CHECK(ledger.schema_version() == 2);
  RunRecord run = *ledger.find_run("old-run");
  auto done = ledger.finished_candidates(run.id);
  REQUIRE(done.size() == 2);
  CHECK(done[0].objectives == std::vector<double>{0.5, 0.25});
  CHECK(done[1].constraint_violations == std::vector<double>{0.5});
  CHECK(done[0].timings["eval_s"] == 2.0);
  CHECK(ledger.evaluations(2).size() == 1);
  // Version 2 features work on the migrated file: pending candidates and foreign keys.
  int64_t pending = ledger.add_candidate(run.id, 1, "g-3", nullptr);
  CHECK(ledger.candidates(run.id).size() == 3);
  CHECK(ledger.finished_candidates(run.id).size() == 2);
  ledger.finish_candidate(pending, {1.0, 1.0}, {0.0}, nullptr);
  CHECK(ledger.finished_candidates(run.id).size() == 3);
  CHECK(Ledger::open(file, Ledger::Mode::kReadOnly).schema_version() == 2);
}

TEST_CASE("a ledger from a newer schema is refused with a clear message", "[ledger]") {
  ScratchDir scratch;
  fs::path file = scratch.path() / "future.sqlite";
  exec(file, "CREATE TABLE runs (id INTEGER PRIMARY KEY); PRAGMA application_id = 1212960075; "
             "PRAGMA user_version = 3;");
  for (auto mode : {Ledger::Mode::kReadWrite, Ledger::Mode::kReadOnly}) {
    CHECK_THROWS_AS(Ledger::open(file, mode), InputError);
    CHECK_THROWS_WITH(Ledger::open(file, mode),
                      Catch::Contains(file.string()) &&
                          Catch::Contains("schema version 3 is newer than this hallmark "
                                          "supports (2)"));
  }
  // Nothing was changed by the attempt.
  exec(file, "SELECT 1");
}

TEST_CASE("files that are not hallmark ledgers are refused", "[ledger]") {
  ScratchDir scratch;
  fs::path other = scratch.path() / "other.sqlite";
  exec(other, "CREATE TABLE t (x)");
  CHECK_THROWS_WITH(Ledger::open(other), Catch::Contains("not a hallmark ledger"));
  fs::path foreign_app = scratch.path() / "app.sqlite";
  exec(foreign_app, "CREATE TABLE t (x); PRAGMA application_id = 7; PRAGMA user_version = 1;");
  CHECK_THROWS_WITH(Ledger::open(foreign_app), Catch::Contains("application_id 7"));
  fs::path junk = scratch.path() / "junk.sqlite";
  testing::write_bytes(junk, std::string(4096, 'j'));
  CHECK_THROWS_AS(Ledger::open(junk), InputError);
}
