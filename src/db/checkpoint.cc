// Checkpoints: the committed state written as the next snapshot, followed by
// a fresh write-ahead log (see docs/format/wal.md for the crash-safe order),
// then the projection and vector index files of the new generation.
#include "absl/strings/str_cat.h"
#include "db/db_impl.h"
#include "db/files.h"
#include "db/index_files.h"
#include "db/projections.h"
#include "nendb/errors.h"
#include "snapshot/reader.h"
#include "snapshot/writer.h"
#include "spdlog/spdlog.h"
#include "txn/ops.h"
#include "util/status_macros.h"
#include "wal/log_format.h"

namespace nendb {

// Callers hold the writer slot (and so the write lock of every process).
absl::Status DBImpl::CheckpointLocked(const ProgressFn& progress) {
  // 1. Everything logged is durable (and published) first.
  NENDB_RETURN_IF_ERROR(core_->SyncLog());
  std::shared_ptr<const Version> current = core_->Current();
  if (current->log_end <= wal::kFileHeaderBytes) return absl::OkStatus();  // nothing new
  return WriteCheckpoint(std::move(current), progress);
}

absl::Status DBImpl::CommitBySnapshot(std::shared_ptr<const Version> v) {
  // The commits before it are durable before the snapshot that follows them.
  NENDB_RETURN_IF_ERROR(core_->SyncLog());
  return WriteCheckpoint(std::move(v));
}

absl::Status DBImpl::WriteCheckpoint(std::shared_ptr<const Version> current,
                                     const ProgressFn& progress) {
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
  info.generation = current->gen + 1;
  info.sequence = compact->seq;
  info.database_id = core_->database_id();
  NENDB_RETURN_IF_ERROR(snapshot::Write(env_, core_->path(), SnapshotName(info.generation),
                                        *compact, &info, progress));
  // From here the new snapshot is what the next open uses: a failure to
  // start its log must stop further commits (they would go to a log the next
  // open ignores).
  auto loaded = snapshot::Load(env_, File(SnapshotName(info.generation)), /*verify_all=*/false);
  if (!loaded.ok()) {
    core_->Poison(loaded.status());
    return loaded.status();
  }
  loaded->version->gen = info.generation;
  loaded->version->log_end = wal::kFileHeaderBytes;
  loaded->version->snapshot_bytes = info.file_bytes;
  auto home = std::make_shared<SnapshotHome>(core_->Home());
  home->database_id = info.database_id;
  loaded->version->home = std::move(home);
  // The snapshot keeps row numbers, so the vector indexes carry over as they are.
  loaded->version->vector_indexes = compact->vector_indexes;
  // 3. Its log.
  if (absl::Status s = StartLog(info.generation, info.sequence); !s.ok()) {
    core_->Poison(s);
    return s;
  }
  // 4. Switch over and tell the other processes, then drop what the new
  // generation replaces (unless a reader still reads it).
  const std::shared_ptr<const Version> installed = loaded->version;
  core_->Install(std::move(loaded->version));
  core_->PublishHead();
  DeleteOldFiles(/*alone=*/false);
  // 5. The projections analytics used on the old state, for the new one.
  CarryProjections(*current, *installed);
  KeepIndexFiles(*installed);
  spdlog::debug("nendb: {} checkpointed as generation {} ({} bytes)", core_->path(),
                info.generation, info.file_bytes);
  return absl::OkStatus();
}

bool DBImpl::CheckpointOnClose() const {
  // A log small next to the snapshot is cheaper to replay at the next open
  // than the snapshot is to rewrite now.
  const uint64_t log = core_->LogBytes();
  if (log <= wal::kFileHeaderBytes) return false;
  return log >= core_->options().checkpoint_log_bytes ||
         log * 16 >= core_->Current()->snapshot_bytes;
}

}  // namespace nendb
