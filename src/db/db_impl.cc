#include "db/db_impl.h"

#include <unistd.h>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "coord/coordinator.h"
#include "db/files.h"
#include "db/transactions.h"
#include "env/no_sync_env.h"
#include "nendb/errors.h"
#include "spdlog/spdlog.h"
#include "util/status_macros.h"

namespace nendb {
namespace {

constexpr char kMemoryPath[] = ":memory:";

}  // namespace

absl::StatusOr<std::unique_ptr<Database>> Database::Open(absl::string_view path,
                                                         const Options& options) {
  NENDB_ASSIGN_OR_RETURN(auto db, DBImpl::OpenImpl(path, options, /*repair=*/false));
  return std::unique_ptr<Database>(std::move(db));
}

DBImpl::DBImpl(std::shared_ptr<DbCore> core, Env* env, bool repair)
    : core_(std::move(core)),
      env_(env),
      repair_(repair),
      fork_generation_(coord::ForkGeneration()) {}

absl::StatusOr<std::unique_ptr<DBImpl>> DBImpl::OpenImpl(absl::string_view path,
                                                         const Options& options, bool repair) {
  if (path.empty()) return absl::InvalidArgumentError("the database path is empty");
  if (options.threads < 0) {
    return absl::InvalidArgumentError(absl::StrCat("Options::threads is ", options.threads,
                                                   "; use 0 (every core) or a positive count"));
  }
  const bool memory = path == kMemoryPath;
  std::string dir(path);
  while (dir.size() > 1 && dir.back() == '/') dir.pop_back();
  auto core = std::make_shared<DbCore>(options, dir, options.read_only && !memory);
  Env* env = memory ? nullptr : (options.env != nullptr ? options.env : Env::Default());
  std::unique_ptr<Env> no_sync;
  if (env != nullptr && options.sync == SyncMode::kOff) {
    no_sync = NewNoSyncEnv(env);
    env = no_sync.get();
  }
  std::unique_ptr<DBImpl> db(new DBImpl(core, env, repair));
  db->no_sync_env_ = std::move(no_sync);
  if (!memory) {
    if (absl::Status s = db->OpenFiles(); !s.ok()) {
      core->MarkClosed();  // nothing to checkpoint: leave the directory as it was
      return s;
    }
    if (!core->read_only()) {
      DBImpl* self = db.get();
      core->SetAutoCheckpoint([self] { return self->Checkpoint(); });
      core->SetSnapshotCommit([self](std::shared_ptr<const Version> v) {
        return self->CommitBySnapshot(std::move(v));
      });
    }
  }
  return db;
}

absl::Status DBImpl::OpenFiles() {
  const std::string& dir = core_->path();
  const Options& o = core_->options();
  if (env_->FileExists(dir) && !env_->IsDirectory(dir)) {
    return absl::InvalidArgumentError(
        absl::StrCat(dir, " is a file, not a nendb database directory; choose another path"));
  }
  if (!env_->FileExists(dir)) {
    if (o.read_only || !o.create_if_missing) {
      return absl::NotFoundError(absl::StrCat("database ", dir, " does not exist"));
    }
    NENDB_RETURN_IF_ERROR(env_->CreateDir(dir));
  }
  // Refuse a directory of other files before creating anything in it.
  NENDB_ASSIGN_OR_RETURN(auto before, env_->ListDir(dir));
  bool ours = before.empty();
  for (const auto& name : before) {
    ours |= name == kLockName || name == kShmName || ParseSnapshotName(name) != 0 ||
            ParseLogName(name) != 0;
  }
  if (!ours) {
    return absl::InvalidArgumentError(
        absl::StrCat(dir,
                     " is not a nendb database: it holds other files and no snapshot; "
                     "choose an empty or new directory"));
  }
  auto attached = coord::Coordinator::Attach(env_, dir, o.busy_timeout);
  if (!attached.ok()) {
    if (core_->read_only() && ErrorKindOf(attached.status()) == ErrorKind::kIO) {
      // A directory this process may only read: the files as they are, with
      // no other process's commits seen later.
      spdlog::warn("nendb: {}: opening without coordination ({})", dir,
                   attached.status().ToString());
      core_->SetFiles(env_, nullptr, {});
      return RecoverAlone();
    }
    return attached.status();
  }
  if (!attached->must_recover) {
    if (repair_) {
      return BusyError(
          absl::StrCat("other processes have ", dir, " open; close them before repairing it"));
    }
    if (o.error_if_exists) {
      return absl::AlreadyExistsError(absl::StrCat("database ", dir, " already exists"));
    }
    NENDB_ASSIGN_OR_RETURN(const coord::State state, attached->coordinator->Read());
    core_->SetFiles(env_, attached->coordinator, state.database_id);
    return core_->Fresh().status();
  }
  core_->SetFiles(env_, attached->coordinator, {});
  absl::Status s = RecoverAlone();
  if (!s.ok()) {
    attached->coordinator->Abandon();
    return s;
  }
  core_->PublishHead();
  attached->coordinator->Recovered();
  return absl::OkStatus();
}

DBImpl::~DBImpl() {
  if (!core_->ForkedAway()) {
    if (absl::Status s = Close(); !s.ok()) {
      spdlog::error("nendb: closing {} failed: {}", core_->path(), s.ToString());
    }
  }
  // A transaction that outlives a failed close must not reach this object.
  core_->MarkClosed();
  core_->SetSnapshotCommit(nullptr);
  core_->SetAutoCheckpoint(nullptr);
}

absl::Status DBImpl::Usable() const {
  if (core_->closed()) return ClosedError(absl::StrCat("database ", path(), " is closed"));
  return core_->CheckProcess();
}

absl::StatusOr<std::unique_ptr<ReadTransaction>> DBImpl::BeginRead() const {
  NENDB_RETURN_IF_ERROR(Usable());
  NENDB_ASSIGN_OR_RETURN(auto v, core_->Fresh());
  return NewReadTxn(std::move(v), core_->coordinator(), core_->threads());
}

absl::StatusOr<std::unique_ptr<WriteTransaction>> DBImpl::BeginWrite() {
  NENDB_RETURN_IF_ERROR(core_->CheckProcess());
  NENDB_ASSIGN_OR_RETURN(auto working, core_->BeginWrite());
  return NewWriteTxn(core_, std::move(working.first), working.second);
}

absl::Status DBImpl::Checkpoint(const ProgressFn& progress) {
  NENDB_RETURN_IF_ERROR(core_->CheckProcess());
  if (env_ == nullptr || core_->read_only()) return absl::OkStatus();
  NENDB_RETURN_IF_ERROR(core_->LockWriter());
  absl::Status s = CheckpointLocked(progress);
  core_->EndWrite();
  return s;
}

absl::Status DBImpl::Close() {
  if (core_->closed()) return absl::OkStatus();
  NENDB_RETURN_IF_ERROR(core_->CheckProcess());
  core_->SetAutoCheckpoint(nullptr);  // waits for one in flight
  absl::Status s;
  if (env_ != nullptr && !core_->read_only()) {
    // Another process writing for long only means this one leaves the
    // checkpoint to it.
    bool others_busy = false;
    s = core_->LockWriter(/*other_processes_timeout=*/absl::Milliseconds(200), &others_busy);
    if (s.ok()) {
      core_->SetSnapshotCommit(nullptr);
      if (core_->poisoned().ok()) s = CheckpointOnClose() ? CheckpointLocked() : core_->SyncLog();
      core_->EndWrite();
    } else if (others_busy) {
      s = core_->poisoned().ok() ? core_->SyncLog() : absl::OkStatus();
    } else {
      return s;  // a transaction of this handle is still open
    }
  }
  core_->MarkClosed();
  return s;
}

absl::StatusOr<DatabaseStats> DBImpl::Stats() const {
  NENDB_RETURN_IF_ERROR(Usable());
  NENDB_ASSIGN_OR_RETURN(std::shared_ptr<const Version> v, core_->Fresh());
  DatabaseStats st;
  st.path = path();
  st.sequence = v->seq;
  st.num_nodes = v->nodes->live;
  st.num_edges = v->edges->live;
  st.node_id_bound = v->nodes->slots();
  st.edge_slots = v->edges->slots();
  st.num_labels = v->catalog->labels.size();
  st.num_edge_types = v->catalog->edge_types.size();
  st.heap_bytes = core_->arena()->bytes_in_use();
  st.string_bytes = v->strings->size();
  st.snapshot_generation = v->gen;
  st.snapshot_file_bytes = v->snapshot_bytes;
  st.log_bytes = v->log_end;
  st.processes = core_->coordinator() != nullptr ? core_->coordinator()->Processes() : 1;
  st.mapped_bytes = v->verifier != nullptr ? st.snapshot_file_bytes : 0;
  st.resident_bytes = st.heap_bytes + st.mapped_bytes;
  const Footprint f = MeasureFootprint(*v);
  st.bytes_per_node = st.num_nodes ? double(f.node_bytes) / st.num_nodes : 0;
  st.bytes_per_edge = st.num_edges ? double(f.edge_bytes) / st.num_edges : 0;
  return st;
}

}  // namespace nendb
