#include "provenance/ledger.h"

#include <sqlite3.h>

#include "common/error.h"
#include "common/version.h"
#include "provenance/src/ledger_schema.h"
#include "provenance/src/sqlite.h"

namespace hallmark::provenance {
namespace {

using detail::Statement;
using detail::Transaction;

constexpr const char* kNow = "strftime('%Y-%m-%dT%H:%M:%fZ', 'now')";

std::string dump(const nlohmann::json& j) { return j.dump(); }

nlohmann::json parse_column(const Statement& st, int column, const std::string& where) {
  if (st.is_null(column)) return nullptr;
  try {
    return nlohmann::json::parse(st.text(column));
  } catch (const nlohmann::json::exception& e) {
    throw InputError(where + ": stored JSON is malformed: " + e.what());
  }
}

std::vector<double> doubles(const nlohmann::json& j, const std::string& where) {
  std::vector<double> out;
  if (j.is_null()) return out;
  if (!j.is_array()) throw InputError(where + ": expected a list of numbers");
  for (const auto& v : j) {
    if (!v.is_number()) throw InputError(where + ": expected a list of numbers");
    out.push_back(v.get<double>());
  }
  return out;
}

RunRecord read_run(const Statement& st, const std::string& file) {
  RunRecord r;
  r.id = st.int64(0);
  r.name = st.text(1);
  r.spec = parse_column(st, 2, file + ": runs." + r.name);
  r.seed = static_cast<uint64_t>(st.int64(3));
  r.hallmark_version = st.text(4);
  r.started_at = st.text(5);
  r.finished_at = st.optional_text(6);
  r.status = st.text(7);
  return r;
}

constexpr const char* kRunColumns =
    "SELECT id, name, spec, seed, hallmark_version, started_at, finished_at, status FROM runs";
constexpr const char* kCandidateColumns =
    "SELECT id, generation, key, genome, finished, objectives, constraint_violations, timings "
    "FROM candidates";

}  // namespace

struct Ledger::Impl {
  Impl(const std::filesystem::path& p, int flags) : path(p), db(p, flags) {}
  std::filesystem::path path;
  detail::Database db;
  bool read_only = false;

  void require_writable() const {
    if (read_only) throw InputError(path.string() + ": ledger is open read-only");
  }

  std::string where(const std::string& what) const { return path.string() + ": " + what; }

  CandidateRecord read_candidate(const Statement& st) const {
    CandidateRecord c;
    c.id = st.int64(0);
    c.generation = static_cast<int>(st.int64(1));
    c.key = st.text(2);
    std::string w = where("candidate " + std::to_string(c.id));
    c.genome = parse_column(st, 3, w);
    c.finished = st.int64(4) != 0;
    c.objectives = doubles(parse_column(st, 5, w), w + ": objectives");
    c.constraint_violations = doubles(parse_column(st, 6, w), w + ": constraint_violations");
    c.timings = parse_column(st, 7, w);
    return c;
  }

  // Runs one INSERT in its own transaction and returns the new row id.
  template <typename Bind>
  int64_t insert(const char* sql, Bind&& bind) {
    require_writable();
    Transaction tx(db);
    Statement st(db, sql);
    bind(st);
    st.run();
    int64_t id = db.last_insert_rowid();
    tx.commit();
    return id;
  }

  void require_run(int64_t run_id) {
    Statement st(db, "SELECT 1 FROM runs WHERE id = ?");
    st.bind(1, run_id);
    if (!st.step()) throw InputError(where("no run with id " + std::to_string(run_id)));
  }
};

Ledger::Ledger(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Ledger::Ledger(Ledger&&) noexcept = default;
Ledger& Ledger::operator=(Ledger&&) noexcept = default;
Ledger::~Ledger() = default;

Ledger Ledger::open(const std::filesystem::path& path, Mode mode) {
  bool read_only = mode == Mode::kReadOnly;
  int flags = read_only ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
  auto impl = std::make_unique<Impl>(path, flags);
  impl->read_only = read_only;
  detail::Database& db = impl->db;
  if (read_only) {
    detail::check_ledger_version(db);
  } else {
    try {
      db.exec("PRAGMA journal_mode = WAL");
    } catch (const std::runtime_error& e) {
      throw InputError(path.string() + ": not a usable ledger: " + e.what());
    }
    // Every committed row survives a killed process and a power loss.
    db.exec("PRAGMA synchronous = FULL");
    detail::migrate_ledger(db);
  }
  db.exec("PRAGMA foreign_keys = ON");
  return Ledger(std::move(impl));
}

const std::filesystem::path& Ledger::path() const { return impl_->path; }

int Ledger::schema_version() const {
  return static_cast<int>(impl_->db.pragma_int("user_version"));
}

int64_t Ledger::start_run(std::string_view name, const nlohmann::json& spec, uint64_t seed) {
  if (find_run(name))
    throw InputError(impl_->where("a run named '" + std::string(name) + "' already exists"));
  return impl_->insert(
      (std::string("INSERT INTO runs (name, spec, seed, hallmark_version, started_at, status) "
                   "VALUES (?, ?, ?, ?, ") + kNow + ", 'running')").c_str(),
      [&](Statement& st) {
        st.bind(1, name).bind(2, dump(spec)).bind(3, static_cast<int64_t>(seed));
        st.bind(4, version());
      });
}

std::optional<RunRecord> Ledger::find_run(std::string_view name) const {
  Statement st(impl_->db, std::string(kRunColumns) + " WHERE name = ?");
  st.bind(1, name);
  if (!st.step()) return std::nullopt;
  return read_run(st, impl_->path.string());
}

std::vector<RunRecord> Ledger::runs() const {
  Statement st(impl_->db, std::string(kRunColumns) + " ORDER BY id");
  std::vector<RunRecord> out;
  while (st.step()) out.push_back(read_run(st, impl_->path.string()));
  return out;
}

void Ledger::finish_run(int64_t run_id, std::string_view status) {
  impl_->require_writable();
  Transaction tx(impl_->db);
  Statement st(impl_->db,
               std::string("UPDATE runs SET status = ?, finished_at = ") + kNow + " WHERE id = ?");
  st.bind(1, status).bind(2, run_id).run();
  if (impl_->db.changes() != 1)
    throw InputError(impl_->where("no run with id " + std::to_string(run_id)));
  tx.commit();
}

int64_t Ledger::add_parent(int64_t run_id, const ParentRecord& p) {
  impl_->require_run(run_id);
  return impl_->insert(
      "INSERT INTO parents (run_id, name, path, root_digest, license, metadata) "
      "VALUES (?, ?, ?, ?, ?, ?)",
      [&](Statement& st) {
        st.bind(1, run_id).bind(2, p.name).bind(3, p.path).bind(4, p.root_digest);
        st.bind(5, p.license).bind(6, dump(p.metadata));
      });
}

std::vector<ParentRecord> Ledger::parents(int64_t run_id) const {
  Statement st(impl_->db,
               "SELECT name, path, root_digest, license, metadata FROM parents WHERE run_id = ? "
               "ORDER BY id");
  st.bind(1, run_id);
  std::vector<ParentRecord> out;
  while (st.step()) {
    ParentRecord p{st.text(0), st.text(1), st.text(2), st.optional_text(3), nullptr};
    p.metadata = parse_column(st, 4, impl_->where("parent " + p.name));
    out.push_back(std::move(p));
  }
  return out;
}

int64_t Ledger::add_candidate(int64_t run_id, int generation, std::string_view key,
                              const nlohmann::json& genome) {
  impl_->require_run(run_id);
  {
    Statement st(impl_->db, "SELECT 1 FROM candidates WHERE run_id = ? AND key = ?");
    st.bind(1, run_id).bind(2, key);
    if (st.step())
      throw InputError(impl_->where("run " + std::to_string(run_id) + " already has candidate '" +
                                    std::string(key) + "'"));
  }
  return impl_->insert(
      (std::string("INSERT INTO candidates (run_id, generation, key, genome, created_at, "
                   "finished) VALUES (?, ?, ?, ?, ") + kNow + ", 0)").c_str(),
      [&](Statement& st) {
        st.bind(1, run_id).bind(2, static_cast<int64_t>(generation)).bind(3, key);
        st.bind(4, dump(genome));
      });
}

void Ledger::finish_candidate(int64_t candidate_id, const std::vector<double>& objectives,
                              const std::vector<double>& constraint_violations,
                              const nlohmann::json& timings) {
  impl_->require_writable();
  Transaction tx(impl_->db);
  Statement st(impl_->db,
               std::string("UPDATE candidates SET finished = 1, finished_at = ") + kNow +
                   ", objectives = ?, constraint_violations = ?, timings = ? WHERE id = ?");
  st.bind(1, dump(objectives)).bind(2, dump(constraint_violations)).bind(3, dump(timings));
  st.bind(4, candidate_id).run();
  if (impl_->db.changes() != 1)
    throw InputError(impl_->where("no candidate with id " + std::to_string(candidate_id)));
  tx.commit();
}

std::vector<CandidateRecord> Ledger::finished_candidates(int64_t run_id) const {
  Statement st(impl_->db, std::string(kCandidateColumns) +
                              " WHERE run_id = ? AND finished = 1 ORDER BY id");
  st.bind(1, run_id);
  std::vector<CandidateRecord> out;
  while (st.step()) out.push_back(impl_->read_candidate(st));
  return out;
}

std::vector<CandidateRecord> Ledger::candidates(int64_t run_id) const {
  Statement st(impl_->db, std::string(kCandidateColumns) + " WHERE run_id = ? ORDER BY id");
  st.bind(1, run_id);
  std::vector<CandidateRecord> out;
  while (st.step()) out.push_back(impl_->read_candidate(st));
  return out;
}

int64_t Ledger::add_evaluation(const EvaluationRecord& e) {
  {
    Statement st(impl_->db, "SELECT 1 FROM candidates WHERE id = ?");
    st.bind(1, e.candidate_id);
    if (!st.step())
      throw InputError(impl_->where("no candidate with id " + std::to_string(e.candidate_id)));
  }
  return impl_->insert(
      "INSERT INTO evaluations (candidate_id, kind, metrics, seconds) VALUES (?, ?, ?, ?)",
      [&](Statement& st) {
        st.bind(1, e.candidate_id).bind(2, e.kind).bind(3, dump(e.metrics)).bind(4, e.seconds);
      });
}

std::vector<EvaluationRecord> Ledger::evaluations(int64_t candidate_id) const {
  Statement st(impl_->db,
               "SELECT candidate_id, kind, metrics, seconds FROM evaluations "
               "WHERE candidate_id = ? ORDER BY id");
  st.bind(1, candidate_id);
  std::vector<EvaluationRecord> out;
  while (st.step()) {
    EvaluationRecord e{st.int64(0), st.text(1), nullptr, st.real(3)};
    e.metrics = parse_column(st, 2, impl_->where("evaluation " + e.kind));
    out.push_back(std::move(e));
  }
  return out;
}

int64_t Ledger::add_child(int64_t run_id, const ChildRecord& c) {
  impl_->require_run(run_id);
  return impl_->insert(
      "INSERT INTO children (run_id, candidate_id, path, root_digest, lineage) "
      "VALUES (?, ?, ?, ?, ?)",
      [&](Statement& st) {
        st.bind(1, run_id).bind(2, c.candidate_id).bind(3, c.path).bind(4, c.root_digest);
        st.bind(5, dump(c.lineage));
      });
}

std::vector<ChildRecord> Ledger::children(int64_t run_id) const {
  Statement st(impl_->db,
               "SELECT id, candidate_id, path, root_digest, lineage FROM children "
               "WHERE run_id = ? ORDER BY id");
  st.bind(1, run_id);
  std::vector<ChildRecord> out;
  while (st.step()) {
    ChildRecord c{st.int64(0), st.optional_int64(1), st.text(2), st.text(3), nullptr};
    c.lineage = parse_column(st, 4, impl_->where("child " + c.path));
    out.push_back(std::move(c));
  }
  return out;
}

int64_t Ledger::add_report(int64_t run_id, const ReportRecord& r) {
  impl_->require_run(run_id);
  return impl_->insert(
      "INSERT INTO reports (run_id, child_id, kind, path, sha256, summary) "
      "VALUES (?, ?, ?, ?, ?, ?)",
      [&](Statement& st) {
        st.bind(1, run_id).bind(2, r.child_id).bind(3, r.kind).bind(4, r.path);
        st.bind(5, r.sha256).bind(6, dump(r.summary));
      });
}

std::vector<ReportRecord> Ledger::reports(int64_t run_id) const {
  Statement st(impl_->db,
               "SELECT child_id, kind, path, sha256, summary FROM reports WHERE run_id = ? "
               "ORDER BY id");
  st.bind(1, run_id);
  std::vector<ReportRecord> out;
  while (st.step()) {
    ReportRecord r{st.optional_int64(0), st.text(1), st.text(2), st.text(3), nullptr};
    r.summary = parse_column(st, 4, impl_->where("report " + r.path));
    out.push_back(std::move(r));
  }
  return out;
}

void Ledger::transaction(const std::function<void()>& body) {
  impl_->require_writable();
  Transaction tx(impl_->db);
  body();
  tx.commit();
}

}  // namespace hallmark::provenance
