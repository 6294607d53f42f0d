#include "provenance/src/ledger_schema.h"

#include <string>

#include "common/error.h"
#include "provenance/ledger.h"

namespace hallmark::provenance::detail {
namespace {

// Version 1: the tables, with candidates recorded only once evaluated.
constexpr const char* kToVersion1 = R"sql(
CREATE TABLE runs (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  spec TEXT NOT NULL,
  seed INTEGER NOT NULL,
  hallmark_version TEXT NOT NULL,
  started_at TEXT NOT NULL,
  finished_at TEXT,
  status TEXT NOT NULL
);
CREATE TABLE parents (
  id INTEGER PRIMARY KEY,
  run_id INTEGER NOT NULL REFERENCES runs(id),
  name TEXT NOT NULL,
  path TEXT NOT NULL,
  root_digest TEXT NOT NULL,
  license TEXT,
  metadata TEXT NOT NULL
);
CREATE TABLE candidates (
  id INTEGER PRIMARY KEY,
  run_id INTEGER NOT NULL REFERENCES runs(id),
  generation INTEGER NOT NULL,
  key TEXT NOT NULL,
  genome TEXT NOT NULL,
  objectives TEXT NOT NULL,
  constraint_violations TEXT NOT NULL,
  timings TEXT NOT NULL,
  UNIQUE (run_id, key)
);
CREATE TABLE evaluations (
  id INTEGER PRIMARY KEY,
  candidate_id INTEGER NOT NULL REFERENCES candidates(id),
  kind TEXT NOT NULL,
  metrics TEXT NOT NULL,
  seconds REAL NOT NULL
);
CREATE TABLE children (
  id INTEGER PRIMARY KEY,
  run_id INTEGER NOT NULL REFERENCES runs(id),
  candidate_id INTEGER REFERENCES candidates(id),
  path TEXT NOT NULL,
  root_digest TEXT NOT NULL,
  lineage TEXT NOT NULL
);
CREATE TABLE reports (
  id INTEGER PRIMARY KEY,
  run_id INTEGER NOT NULL REFERENCES runs(id),
  child_id INTEGER REFERENCES children(id),
  kind TEXT NOT NULL,
  path TEXT NOT NULL,
  sha256 TEXT NOT NULL,
  summary TEXT NOT NULL
);
)sql";

// Version 2: candidates are recorded when proposed and finished when evaluated, so that a
// resumed run knows which ones were in flight; existing rows were all evaluated. Adds the
// indexes the per-run queries use. (SQLite cannot relax NOT NULL in place: rebuild the table.)
constexpr const char* kToVersion2 = R"sql(
CREATE TABLE candidates_v2 (
  id INTEGER PRIMARY KEY,
  run_id INTEGER NOT NULL REFERENCES runs(id),
  generation INTEGER NOT NULL,
  key TEXT NOT NULL,
  genome TEXT NOT NULL,
  created_at TEXT,
  finished_at TEXT,
  finished INTEGER NOT NULL DEFAULT 0,
  objectives TEXT,
  constraint_violations TEXT,
  timings TEXT,
  UNIQUE (run_id, key)
);
INSERT INTO candidates_v2 (id, run_id, generation, key, genome, finished, objectives,
                           constraint_violations, timings)
  SELECT id, run_id, generation, key, genome, 1, objectives, constraint_violations, timings
  FROM candidates;
DROP TABLE candidates;
ALTER TABLE candidates_v2 RENAME TO candidates;
CREATE INDEX candidates_by_run ON candidates(run_id, finished, id);
CREATE INDEX parents_by_run ON parents(run_id);
CREATE INDEX evaluations_by_candidate ON evaluations(candidate_id);
CREATE INDEX children_by_run ON children(run_id);
CREATE INDEX reports_by_run ON reports(run_id);
)sql";

constexpr const char* kMigrations[] = {kToVersion1, kToVersion2};
static_assert(sizeof(kMigrations) / sizeof(kMigrations[0]) == kLedgerSchemaVersion);

bool has_tables(Database& db) {
  Statement st(db, "SELECT count(*) FROM sqlite_schema");
  st.step();
  return st.int64(0) > 0;
}

// Reads the version, refusing foreign and newer databases.
int64_t checked_version(Database& db) {
  int64_t version = 0;
  int64_t app = 0;
  try {
    version = db.pragma_int("user_version");
    app = db.pragma_int("application_id");
  } catch (const std::runtime_error& e) {
    throw InputError(db.path().string() + ": not a hallmark ledger (" + e.what() + ")");
  }
  if (version == 0 && app == 0) {
    if (has_tables(db))
      throw InputError(db.path().string() + ": not a hallmark ledger (a SQLite database with "
                       "other tables)");
    return 0;
  }
  if (app != kLedgerApplicationId)
    throw InputError(db.path().string() + ": not a hallmark ledger (SQLite application_id " +
                     std::to_string(app) + ")");
  if (version > kLedgerSchemaVersion)
    throw InputError(db.path().string() + ": ledger schema version " + std::to_string(version) +
                     " is newer than this hallmark supports (" +
                     std::to_string(kLedgerSchemaVersion) +
                     "); open it with the newer hallmark that wrote it");
  return version;
}

}  // namespace

void migrate_ledger(Database& db) {
  // Table rebuilds must not trip foreign key checks half-way; on again afterwards.
  db.exec("PRAGMA foreign_keys = OFF");
  for (;;) {
    Transaction tx(db);
    // Read inside the write lock: another process may have migrated meanwhile.
    int64_t version = checked_version(db);
    if (version >= kLedgerSchemaVersion) break;
    db.exec(kMigrations[version]);
    db.exec("PRAGMA application_id = " + std::to_string(kLedgerApplicationId));
    db.exec("PRAGMA user_version = " + std::to_string(version + 1));
    tx.commit();
  }
  db.exec("PRAGMA foreign_keys = ON");
}

void check_ledger_version(Database& db) {
  int64_t version = checked_version(db);
  if (version < kLedgerSchemaVersion)
    throw InputError(db.path().string() + ": ledger schema version " + std::to_string(version) +
                     " is older than this hallmark's (" + std::to_string(kLedgerSchemaVersion) +
                     "); open it once for writing to migrate it");
}

}  // namespace hallmark::provenance::detail
