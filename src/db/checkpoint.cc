// Checkpoints: the committed state written as the next snapshot, followed by
// a fresh write-ahead log; see docs/format/wal.md for the crash-safe order.
#include "absl/strings/str_cat.h"
#include "db/db_impl.h"
#include "db/files.h"
#include "nendb/errors.h"
#include "snapshot/reader.h"
#include "snapshot/writer.h"
#include "spdlog/spdlog.h"
#include "txn/ops.h"
#include "util/status_macros.h"

namespace nendb {

// Callers hold the writer slot (or are creating the database) and mu_.
absl::Status DBImpl::CheckpointLocked() {
  // 1. Everything logged is durable (and published) first.
  NENDB_RETURN_IF_ERROR(core_->SyncLog());
  std::shared_ptr<const Version> current = core_->Current();
  if (generation_ != 0 && current->seq == snapshot_seq_) return absl::OkStatus();
  return WriteCheckpoint(std::move(current));
}

absl::Status DBImpl::CommitBySnapshot(std::shared_ptr<const Version> v) {
  absl::MutexLock l(&mu_);
  // The commits before it are durable before the snapshot that follows them.
  NENDB_RETURN_IF_ERROR(core_->SyncLog());
  return WriteCheckpoint(std::move(v));
}

absl::Status DBImpl::WriteCheckpoint(std::shared_ptr<const Version> current) {
  // Snapshots hold a compact adjacency: fold the delta in first.
  std::shared_ptr<const Version> compact = current;
  if (current->out->delta_entries != 0 || current->edges->pending_count != 0) {
    auto working = std::make_shared<Version>(*current);
    const WriteCtx ctx = core_->Ctx(core_->NewTxnId());
    try {
      ops::MaybeCompactAdjacency(*working, ctx, /*force=*/true);
    } catch (const std::bad_alloc&) {
      return CapacityError("out of memory while compacting for a checkpoint");
    }
    compact = working;
  }
  NENDB_RETURN_IF_ERROR(compact->Ready(kPartAll));
  // 2. The snapshot: temporary file, fsync, rename, fsync directory.
  snapshot::SnapshotInfo info;
  info.generation = generation_ + 1;
  info.sequence = compact->seq;
  info.database_id = database_id_;
  NENDB_RETURN_IF_ERROR(
      snapshot::Write(env_, core_->path(), SnapshotName(info.generation), *compact, &info));
  // From here the new snapshot is what the next open uses: a failure to
  // start its log must stop further commits (they would go to a log the next
  // open ignores).
  auto loaded = snapshot::Load(env_, File(SnapshotName(info.generation)), /*verify_all=*/false);
  if (!loaded.ok()) {
    core_->Poison(loaded.status());
    return loaded.status();
  }
  const uint64_t old_generation = generation_;
  generation_ = info.generation;
  snapshot_seq_ = info.sequence;
  snapshot_bytes_ = info.file_bytes;
  // 3. Its log.
  if (absl::Status s = StartLog(info.generation, info.sequence, database_id_); !s.ok()) {
    core_->Poison(s);
    return s;
  }
  // 4. Switch over, then drop what the new generation replaces. A reader still
  // mapping the old snapshot keeps it alive.
  core_->Install(std::move(loaded->version));
  if (old_generation != 0) {
    (void)env_->DeleteFile(File(LogName(old_generation)));
    (void)env_->DeleteFile(File(SnapshotName(old_generation)));
  }
  spdlog::debug("nendb: {} checkpointed as generation {} ({} bytes)", core_->path(), generation_,
                snapshot_bytes_);
  return absl::OkStatus();
}

bool DBImpl::CheckpointOnClose() const {
  // A log small next to the snapshot is cheaper to replay at the next open
  // than the snapshot is to rewrite now.
  const uint64_t log = core_->LogBytes();
  if (log <= wal::kFileHeaderBytes) return false;
  return log >= core_->options().checkpoint_log_bytes || log * 16 >= snapshot_bytes_;
}

}  // namespace nendb
