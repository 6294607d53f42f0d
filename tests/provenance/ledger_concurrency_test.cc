// The ledger is readable while another connection writes, and a writer killed mid-run leaves
// every committed row intact for a resumed run.
#include <signal.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <catch2/catch.hpp>
#include <chrono>
#include <thread>

#include "common/error.h"
#include "provenance/ledger.h"
#include "test_files.h"

namespace fs = std::filesystem;
using namespace hallmark;
using namespace hallmark::provenance;
using test::ScratchDir;

namespace {

// Candidate i's objectives, so that any row can be checked for being written whole.
std::vector<double> objectives_of(int i) { return {i * 0.5, -i * 0.25}; }

// Proposes, evaluates and finishes candidates 0, 1, 2, ... until `limit`.
void write_candidates(Ledger& ledger, int64_t run, int from, int limit) {
  for (int i = from; i < limit; ++i) {
    int64_t id = ledger.add_candidate(run, i / 10, "g-" + std::to_string(i), {{"i", i}});
    ledger.add_evaluation({id, "task", {{"i", i}}, 0.001 * i});
    ledger.finish_candidate(id, objectives_of(i), {0.0}, {{"i", i}});
  }
}

std::string integrity(const fs::path& file) {
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open_v2(file.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK);
  sqlite3_stmt* st = nullptr;
  REQUIRE(sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &st, nullptr) == SQLITE_OK);
  REQUIRE(sqlite3_step(st) == SQLITE_ROW);
  std::string out = reinterpret_cast<const char*>(sqlite3_column_text(st, 0));
  sqlite3_finalize(st);
  sqlite3_close(db);
  return out;
}

}  // namespace

TEST_CASE("another connection reads the ledger while it is written", "[ledger]") {
  ScratchDir scratch;
  fs::path file = scratch.path() / "run.sqlite";
  Ledger writer = Ledger::open(file);
  int64_t run = writer.start_run("r", {}, 1);
  Ledger reader = Ledger::open(file, Ledger::Mode::kReadOnly);

  constexpr int kCount = 150;
  std::atomic<bool> done{false};
  std::thread write_thread([&] {
    write_candidates(writer, run, 0, kCount);
    done = true;
  });
  size_t last = 0;
  bool monotonic = true;
  int reads = 0;
  while (!done) {
    auto rows = reader.finished_candidates(run);
    monotonic = monotonic && rows.size() >= last;
    for (size_t i = 0; i < rows.size(); ++i)
      monotonic = monotonic && rows[i].objectives == objectives_of(static_cast<int>(i));
    last = rows.size();
    ++reads;
  }
  write_thread.join();
  CHECK(monotonic);
  CHECK(reads > 0);
  CHECK(reader.finished_candidates(run).size() == kCount);
}

TEST_CASE("a killed writer leaves committed rows intact and the run resumes", "[ledger]") {
  ScratchDir scratch;
  fs::path file = scratch.path() / "run.sqlite";
  int64_t run = 0;
  {
    Ledger ledger = Ledger::open(file);
    run = ledger.start_run("resumable", {{"generations", 100}}, 3);
  }

  pid_t child = ::fork();
  REQUIRE(child >= 0);
  if (child == 0) {
    // The writer: runs until it is killed (bounded in case the test process dies first).
    try {
      Ledger ledger = Ledger::open(file);
      write_candidates(ledger, run, 0, 1000000);
    } catch (...) {
      ::_exit(3);
    }
    ::_exit(0);
  }

  // Wait, reading from this process, until the writer is well into its work; then kill it.
  size_t seen = 0;
  {
    Ledger reader = Ledger::open(file, Ledger::Mode::kReadOnly);
    auto deadline = std::chrono::steady_clock::now() + std::chrono::minutes(5);
    while (seen < 40 && std::chrono::steady_clock::now() < deadline) {
      seen = reader.finished_candidates(run).size();
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
  }
  REQUIRE(::kill(child, SIGKILL) == 0);
  int status = 0;
  REQUIRE(::waitpid(child, &status, 0) == child);
  REQUIRE(WIFSIGNALED(status));
  REQUIRE(WTERMSIG(status) == SIGKILL);
  REQUIRE(seen >= 40);

  // Reopen for writing (recovers the WAL) and check every committed row.
  Ledger ledger = Ledger::open(file);
  CHECK(integrity(file) == "ok");
  auto finished = ledger.finished_candidates(run);
  REQUIRE(finished.size() >= seen);
  for (size_t i = 0; i < finished.size(); ++i) {
    INFO("candidate " << i);
    CHECK(finished[i].key == "g-" + std::to_string(i));
    CHECK(finished[i].objectives == objectives_of(static_cast<int>(i)));
    CHECK(finished[i].timings["i"] == static_cast<int>(i));
    CHECK(ledger.evaluations(finished[i].id).size() == 1);
  }
  // At most one candidate was in flight when the writer died.
  auto all = ledger.candidates(run);
  REQUIRE(all.size() >= finished.size());
  CHECK(all.size() - finished.size() <= 1);

  // Resume: re-evaluate the one in flight (if any) and carry on.
  if (all.size() > finished.size()) {
    const auto& pending = all.back();
    CHECK_FALSE(pending.finished);
    ledger.finish_candidate(pending.id, objectives_of(static_cast<int>(finished.size())), {0.0},
                            {{"i", static_cast<int>(finished.size())}});
  }
  int next = static_cast<int>(ledger.candidates(run).size());
  write_candidates(ledger, run, next, next + 5);
  auto resumed = ledger.finished_candidates(run);
  REQUIRE(resumed.size() == static_cast<size_t>(next + 5));
  CHECK(resumed.back().objectives == objectives_of(next + 4));
  CHECK(ledger.find_run("resumable")->status == "running");
}
