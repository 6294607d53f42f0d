// The ledger schema as a list of migrations: migration i takes a database at user_version i
// to i + 1. A new file starts at 0 and runs them all.
#pragma once

#include <cstdint>

#include "provenance/src/sqlite.h"

namespace hallmark::provenance::detail {

// PRAGMA application_id of hallmark ledgers ("HLMK").
inline constexpr int64_t kLedgerApplicationId = 0x484C4D4B;

// Brings `db` (opened read-write) to kLedgerSchemaVersion. Each step runs in its own
// transaction together with its user_version update. Throws InputError naming the file for a
// database that is not a hallmark ledger or whose schema is newer.
void migrate_ledger(Database& db);

// Throws InputError unless `db` is a hallmark ledger at exactly kLedgerSchemaVersion
// (read-only connections cannot migrate).
void check_ledger_version(Database& db);

}  // namespace hallmark::provenance::detail
