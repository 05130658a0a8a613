#include "db/db_impl.h"

#include <random>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "db/files.h"
#include "db/transactions.h"
#include "env/no_sync_env.h"
#include "nendb/errors.h"
#include "snapshot/reader.h"
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
    : core_(std::move(core)), env_(env), repair_(repair) {}

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
      core->MarkClosed();  // nothing to checkpoint: leave the directory as it
                           // was
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
    ours |= name == kLockName || ParseSnapshotName(name) != 0 || ParseLogName(name) != 0;
  }
  if (!ours) {
    return absl::InvalidArgumentError(
        absl::StrCat(dir,
                     " is not a nendb database: it holds other files and no snapshot; "
                     "choose an empty or new directory"));
  }
  if (!core_->read_only()) {
    // Another writer process holds the directory: retry until busy_timeout.
    const absl::Time deadline = absl::Now() + o.busy_timeout;
    while (true) {
      auto lock = env_->TryLockFile(File(kLockName));
      if (lock.ok()) {
        lock_ = std::move(*lock);
        break;
      }
      if (ErrorKindOf(lock.status()) != ErrorKind::kBusy || absl::Now() >= deadline) {
        return lock.status();
      }
      absl::SleepFor(absl::Milliseconds(10));
    }
  }
  NENDB_ASSIGN_OR_RETURN(auto names, env_->ListDir(dir));
  uint64_t newest = 0;
  for (const auto& name : names) newest = std::max(newest, ParseSnapshotName(name));
  if (newest == 0) {
    if (core_->read_only()) {
      return absl::NotFoundError(absl::StrCat("database ", dir, " has no snapshot yet"));
    }
    for (const auto& name : names) {
      if (ParseLogName(name) != 0) {
        return CorruptionError(File(name), 0,
                               "a write-ahead log without any snapshot to apply it to");
      }
    }
    if (o.error_if_exists && names.size() > 1) {
      return absl::AlreadyExistsError(absl::StrCat("database ", dir, " already exists"));
    }
    return CreateNew();
  }
  if (o.error_if_exists) {
    return absl::AlreadyExistsError(absl::StrCat("database ", dir, " already exists"));
  }
  NENDB_RETURN_IF_ERROR(LoadSnapshot(newest));
  NENDB_RETURN_IF_ERROR(Recover());
  if (!core_->read_only()) DeleteOldFiles();
  return absl::OkStatus();
}

absl::Status DBImpl::CreateNew() {
  std::random_device rd;
  for (size_t i = 0; i < database_id_.size(); i += 4) {
    const uint32_t r = rd();
    std::memcpy(database_id_.data() + i, &r, 4);
  }
  absl::MutexLock l(&mu_);
  generation_ = 0;
  return CheckpointLocked();
}

absl::Status DBImpl::LoadSnapshot(uint64_t generation) {
  NENDB_ASSIGN_OR_RETURN(auto loaded, snapshot::Load(env_, File(SnapshotName(generation)),
                                                     core_->options().verify_on_open));
  absl::MutexLock l(&mu_);
  generation_ = generation;
  snapshot_seq_ = loaded.info.sequence;
  snapshot_bytes_ = loaded.info.file_bytes;
  database_id_ = loaded.info.database_id;
  core_->Install(std::move(loaded.version));
  return absl::OkStatus();
}

DBImpl::~DBImpl() {
  if (absl::Status s = Close(); !s.ok()) {
    spdlog::error("nendb: closing {} failed: {}", core_->path(), s.ToString());
  }
  // A transaction that outlives a failed close must not reach this object.
  core_->MarkClosed();
  core_->SetSnapshotCommit(nullptr);
  core_->SetAutoCheckpoint(nullptr);
}

absl::StatusOr<std::unique_ptr<ReadTransaction>> DBImpl::BeginRead() const {
  if (core_->closed()) return ClosedError(absl::StrCat("database ", path(), " is closed"));
  return NewReadTxn(core_->Current());
}

absl::StatusOr<std::unique_ptr<WriteTransaction>> DBImpl::BeginWrite() {
  NENDB_ASSIGN_OR_RETURN(auto working, core_->BeginWrite());
  return NewWriteTxn(core_, std::move(working.first), working.second);
}

absl::Status DBImpl::Checkpoint() {
  if (env_ == nullptr || core_->read_only()) return absl::OkStatus();
  NENDB_RETURN_IF_ERROR(core_->LockWriter());
  absl::Status s;
  {
    absl::MutexLock l(&mu_);
    s = CheckpointLocked();
  }
  core_->EndWrite();
  return s;
}

absl::Status DBImpl::Close() {
  if (core_->closed()) return absl::OkStatus();
  core_->SetAutoCheckpoint(nullptr);  // waits for one in flight
  absl::Status s;
  if (env_ != nullptr && !core_->read_only()) {
    s = core_->LockWriter();
    if (!s.ok()) return s;
    core_->SetSnapshotCommit(nullptr);
    if (core_->poisoned().ok()) {
      absl::MutexLock l(&mu_);
      s = CheckpointOnClose() ? CheckpointLocked() : core_->SyncLog();
    }
    core_->EndWrite();
  }
  core_->MarkClosed();
  lock_.reset();
  return s;
}

absl::StatusOr<DatabaseStats> DBImpl::Stats() const {
  if (core_->closed()) return ClosedError(absl::StrCat("database ", path(), " is closed"));
  std::shared_ptr<const Version> v = core_->Current();
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
  st.log_bytes = core_->LogBytes();
  {
    absl::MutexLock l(&mu_);
    st.snapshot_generation = generation_;
    st.snapshot_file_bytes = snapshot_bytes_;
  }
  st.mapped_bytes = v->verifier != nullptr ? st.snapshot_file_bytes : 0;
  st.resident_bytes = st.heap_bytes + st.mapped_bytes;
  const Footprint f = MeasureFootprint(*v);
  st.bytes_per_node = st.num_nodes ? double(f.node_bytes) / st.num_nodes : 0;
  st.bytes_per_edge = st.num_edges ? double(f.edge_bytes) / st.num_edges : 0;
  return st;
}

}  // namespace nendb
