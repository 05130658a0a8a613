#include "db/db_impl.h"

#include <random>
#include <thread>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/strip.h"
#include "db/transactions.h"
#include "nendb/errors.h"
#include "snapshot/reader.h"
#include "snapshot/writer.h"
#include "spdlog/spdlog.h"
#include "txn/ops.h"
#include "util/status_macros.h"

namespace nendb {
namespace {

constexpr char kMemoryPath[] = ":memory:";
constexpr char kLockName[] = "LOCK";

}  // namespace

std::string SnapshotName(uint64_t generation) {
  return absl::StrFormat("snapshot-%012d.nds", generation);
}

uint64_t ParseSnapshotName(absl::string_view name) {
  if (!absl::ConsumePrefix(&name, "snapshot-") || !absl::ConsumeSuffix(&name, ".nds")) return 0;
  uint64_t gen = 0;
  if (name.empty() || !absl::SimpleAtoi(name, &gen)) return 0;
  return gen;
}

absl::StatusOr<std::unique_ptr<Database>> Database::Open(absl::string_view path,
                                                         const Options& options) {
  return DBImpl::Open(path, options);
}

DBImpl::DBImpl(std::shared_ptr<DbCore> core, Env* env) : core_(std::move(core)), env_(env) {}

absl::StatusOr<std::unique_ptr<Database>> DBImpl::Open(absl::string_view path,
                                                       const Options& options) {
  if (path.empty()) return absl::InvalidArgumentError("the database path is empty");
  const bool memory = path == kMemoryPath;
  std::string dir(path);
  while (dir.size() > 1 && dir.back() == '/') dir.pop_back();
  auto core = std::make_shared<DbCore>(options, dir, options.read_only && !memory);
  Env* env = memory ? nullptr : (options.env != nullptr ? options.env : Env::Default());
  std::unique_ptr<DBImpl> db(new DBImpl(core, env));
  if (!memory) {
    if (absl::Status s = db->OpenFiles(); !s.ok()) {
      core->MarkClosed();  // nothing to checkpoint: leave the directory as it was
      return s;
    }
  }
  return std::unique_ptr<Database>(std::move(db));
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
  for (const auto& name : before) ours |= name == kLockName || ParseSnapshotName(name) != 0;
  if (!ours) {
    return absl::InvalidArgumentError(absl::StrCat(
        dir, " is not a nendb database: it holds other files and no snapshot; "
             "choose an empty or new directory"));
  }
  if (!core_->read_only()) {
    // Another writer process holds the directory: retry until busy_timeout.
    const absl::Time deadline = absl::Now() + o.busy_timeout;
    while (true) {
      auto lock = env_->TryLockFile(absl::StrCat(dir, "/", kLockName));
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
  bool foreign = false;
  for (const auto& name : names) {
    const uint64_t gen = ParseSnapshotName(name);
    newest = std::max(newest, gen);
    if (gen == 0 && name != kLockName) {
      if (absl::StartsWith(name, "snapshot-") && absl::EndsWith(name, ".tmp")) {
        // A checkpoint that did not finish: never renamed, so never used.
        if (!core_->read_only()) (void)env_->DeleteFile(absl::StrCat(dir, "/", name));
      } else {
        foreign = true;
      }
    }
  }
  if (newest == 0) {
    if (foreign) {
      return absl::InvalidArgumentError(absl::StrCat(
          dir, " is not a nendb database: it holds other files and no snapshot; "
               "choose an empty or new directory"));
    }
    if (core_->read_only()) {
      return absl::NotFoundError(absl::StrCat("database ", dir, " has no snapshot yet"));
    }
    if (o.error_if_exists && !names.empty()) {
      return absl::AlreadyExistsError(absl::StrCat("database ", dir, " already exists"));
    }
    return CreateNew();
  }
  if (o.error_if_exists) {
    return absl::AlreadyExistsError(absl::StrCat("database ", dir, " already exists"));
  }
  return LoadSnapshot(newest);
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
  const std::string file = absl::StrCat(core_->path(), "/", SnapshotName(generation));
  NENDB_ASSIGN_OR_RETURN(auto loaded,
                         snapshot::Load(env_, file, core_->options().verify_on_open));
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

// Writes the current version as snapshot generation_ + 1 and switches to it.
// Callers hold the writer slot (or are opening the database).
absl::Status DBImpl::CheckpointLocked() {
  std::shared_ptr<const Version> current = core_->Current();
  if (generation_ != 0 && current->seq == snapshot_seq_) return absl::OkStatus();
  // Snapshots hold a compact adjacency: fold the delta in first.
  std::shared_ptr<const Version> compact = current;
  if (current->out->delta_entries != 0 || current->edges->pending_count != 0) {
    auto working = std::make_shared<Version>(*current);
    WriteCtx ctx{core_->NewTxnId(), core_->arena()};
    try {
      ops::MaybeCompactAdjacency(*working, ctx, /*force=*/true);
    } catch (const std::bad_alloc&) {
      return CapacityError("out of memory while compacting for a checkpoint");
    }
    compact = working;
  }
  NENDB_RETURN_IF_ERROR(compact->Ready(kPartAll));
  snapshot::SnapshotInfo info;
  info.generation = generation_ + 1;
  info.sequence = compact->seq;
  info.database_id = database_id_;
  const std::string& dir = core_->path();
  NENDB_RETURN_IF_ERROR(snapshot::Write(env_, dir, SnapshotName(info.generation), *compact, &info));
  const std::string file = absl::StrCat(dir, "/", SnapshotName(info.generation));
  auto loaded = snapshot::Load(env_, file, /*verify_all=*/false);
  if (!loaded.ok()) return loaded.status();
  core_->Install(std::move(loaded->version));
  // Older snapshots are no longer needed; readers still mapping one keep it.
  if (auto names = env_->ListDir(dir); names.ok()) {
    for (const auto& name : *names) {
      const uint64_t g = ParseSnapshotName(name);
      if (g != 0 && g < info.generation) (void)env_->DeleteFile(absl::StrCat(dir, "/", name));
    }
  }
  generation_ = info.generation;
  snapshot_seq_ = info.sequence;
  snapshot_bytes_ = info.file_bytes;
  spdlog::debug("nendb: {} checkpointed as generation {} ({} bytes)", dir, generation_,
                snapshot_bytes_);
  return absl::OkStatus();
}

absl::Status DBImpl::Close() {
  if (core_->closed()) return absl::OkStatus();
  absl::Status s;
  if (env_ != nullptr && !core_->read_only()) {
    s = core_->LockWriter();
    if (!s.ok()) return s;
    {
      absl::MutexLock l(&mu_);
      s = CheckpointLocked();
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
