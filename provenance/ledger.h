// The run ledger: one SQLite file per run (WAL mode, versioned schema, migrated on open)
// holding the run, its parents, candidates (genome, objective values, constraint violations,
// timings), evaluations, children and reports. Every add/finish call is its own transaction,
// committed before it returns, so a run killed at any point leaves every completed row intact
// and can resume from finished_candidates(). Other connections (another process, `hallmark
// audit`) may read the file while it is being written. A Ledger object is a single SQLite
// connection: use it from one thread at a time (open one per thread).
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace hallmark::provenance {

// The schema version this hallmark writes (PRAGMA user_version). Older ledgers are migrated
// in place on a read-write open; newer ones are refused.
inline constexpr int kLedgerSchemaVersion = 2;

struct RunRecord {
  int64_t id = 0;
  std::string name;
  nlohmann::json spec;  // the evolution spec / settings, including objective names
  uint64_t seed = 0;
  std::string hallmark_version;
  std::string started_at;                  // UTC, ISO 8601
  std::optional<std::string> finished_at;  // set by finish_run
  std::string status;                      // "running" until finish_run
};

struct ParentRecord {
  std::string name;
  std::string path;
  std::string root_digest;
  std::optional<std::string> license;
  nlohmann::json metadata;  // e.g. the parent's card fields and checks, as JSON
};

struct CandidateRecord {
  int64_t id = 0;
  int generation = 0;
  std::string key;       // unique within the run (e.g. a digest of the genome)
  nlohmann::json genome;
  bool finished = false;
  std::vector<double> objectives;             // when finished
  std::vector<double> constraint_violations;  // when finished; 0 = satisfied
  nlohmann::json timings;                     // when finished, e.g. {"merge_s": .., "eval_s": ..}
};

struct EvaluationRecord {
  int64_t candidate_id = 0;
  std::string kind;  // e.g. "task:gsm8k-mini", "refusal", "over_refusal"
  nlohmann::json metrics;
  double seconds = 0.0;
};

struct ChildRecord {
  int64_t id = 0;
  std::optional<int64_t> candidate_id;
  std::string path;
  std::string root_digest;
  nlohmann::json lineage;  // provenance::to_json(Lineage)
};

struct ReportRecord {
  std::optional<int64_t> child_id;
  std::string kind;  // e.g. "report.json", "in-toto", "cyclonedx", "html"
  std::string path;
  std::string sha256;
  nlohmann::json summary;
};

class Ledger {
 public:
  enum class Mode { kReadWrite, kReadOnly };

  // Read-write creates the file if missing and migrates an older schema. Read-only never
  // writes and works while another process writes. Throws InputError naming the file for a
  // file that is not a SQLite database, a missing file (read-only), or a schema newer than
  // kLedgerSchemaVersion.
  static Ledger open(const std::filesystem::path& path, Mode mode = Mode::kReadWrite);

  Ledger(Ledger&&) noexcept;
  Ledger& operator=(Ledger&&) noexcept;
  ~Ledger();

  const std::filesystem::path& path() const;
  int schema_version() const;

  // Runs. start_run throws InputError when a run with this name exists (resume with find_run).
  int64_t start_run(std::string_view name, const nlohmann::json& spec, uint64_t seed);
  std::optional<RunRecord> find_run(std::string_view name) const;
  std::vector<RunRecord> runs() const;
  void finish_run(int64_t run_id, std::string_view status);

  int64_t add_parent(int64_t run_id, const ParentRecord& parent);
  std::vector<ParentRecord> parents(int64_t run_id) const;

  // A candidate is added when proposed (not finished) and finished once evaluated. add throws
  // InputError for a key already in the run; finish throws InputError for an unknown id.
  int64_t add_candidate(int64_t run_id, int generation, std::string_view key,
                        const nlohmann::json& genome);
  void finish_candidate(int64_t candidate_id, const std::vector<double>& objectives,
                        const std::vector<double>& constraint_violations,
                        const nlohmann::json& timings);
  // Finished candidates of a run in the order they were added: what a resumed run keeps.
  std::vector<CandidateRecord> finished_candidates(int64_t run_id) const;
  std::vector<CandidateRecord> candidates(int64_t run_id) const;

  int64_t add_evaluation(const EvaluationRecord& evaluation);
  std::vector<EvaluationRecord> evaluations(int64_t candidate_id) const;

  int64_t add_child(int64_t run_id, const ChildRecord& child);
  std::vector<ChildRecord> children(int64_t run_id) const;

  int64_t add_report(int64_t run_id, const ReportRecord& report);
  std::vector<ReportRecord> reports(int64_t run_id) const;

  // Runs `body` (several add/finish calls) in one transaction: all rows or none.
  void transaction(const std::function<void()>& body);

 private:
  struct Impl;
  explicit Ledger(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace hallmark::provenance
