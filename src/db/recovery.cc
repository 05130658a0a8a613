// Opening a database's log: replay of the committed transactions after the
// snapshot, torn-tail truncation, and removal of files older generations
// left behind.
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "db/db_impl.h"
#include "db/files.h"
#include "nendb/errors.h"
#include "spdlog/spdlog.h"
#include "txn/op_log.h"
#include "txn/ops.h"
#include "util/mutants.h"
#include "util/status_macros.h"
#include "wal/log_reader.h"

namespace nendb {

absl::Status DBImpl::Recover() {
  uint64_t generation, base;
  wal::LogInfo info;
  {
    absl::MutexLock l(&mu_);
    generation = generation_;
    base = snapshot_seq_;
    info = wal::LogInfo{generation_, snapshot_seq_, database_id_};
  }
  const std::string path = File(LogName(generation));
  if (!env_->FileExists(path)) {
    // A crash between publishing the snapshot and creating its log.
    return core_->read_only() ? absl::OkStatus() : StartLog(generation, base, info.database_id);
  }
  auto working = std::make_shared<Version>(*core_->Current());
  WriteCtx ctx = core_->Ctx(core_->NewTxnId());
  ctx.defer_adjacency = true;  // built once, after the last transaction
  wal::ScanOptions scan;
  scan.expect = info;
  scan.repair = repair_;
  auto replay = [&](uint64_t sequence, absl::string_view ops) -> absl::Status {
    try {
      NENDB_RETURN_IF_ERROR(ReplayOps(*working, ctx, ops, path));
      // The writer's commits freed deleted edges' slots by this policy, and
      // later edge ids depend on it; the adjacency itself is deferred.
      ops::MaybeCompactAdjacency(*working, ctx, /*force=*/false);
    } catch (const std::bad_alloc&) {
      return CapacityError(absl::StrCat("out of memory replaying ", path));
    }
    working->seq = sequence;
    return absl::OkStatus();
  };
  NENDB_ASSIGN_OR_RETURN(recovery_, wal::ScanLog(env_, path, scan, replay));
  try {
    ops::EnsureAdjacency(*working, ctx);
  } catch (const std::bad_alloc&) {
    return CapacityError(absl::StrCat("out of memory replaying ", path));
  }
  if (recovery_.transactions > 0) core_->Install(working);
  if (recovery_.repaired_at != 0) {
    spdlog::warn("nendb: {}: damaged at offset {}; kept {} transactions, dropped {} after it", path,
                 recovery_.repaired_at, recovery_.transactions, recovery_.dropped_transactions);
  }
  if (core_->read_only()) return absl::OkStatus();
  NENDB_ASSIGN_OR_RETURN(auto log,
                         wal::LogWriter::Continue(env_, path, info, recovery_.committed_end));
  core_->SetLog(std::move(log));
  return absl::OkStatus();
}

absl::Status DBImpl::StartLog(uint64_t generation, uint64_t base_sequence,
                              const std::array<uint8_t, 16>& id) {
  NENDB_ASSIGN_OR_RETURN(auto log, wal::LogWriter::Create(env_, File(LogName(generation)),
                                                          {generation, base_sequence, id}));
  NENDB_RETURN_IF_ERROR(NENDB_DIR_SYNC(env_->SyncDir(core_->path())));
  core_->SetLog(std::move(log));
  return absl::OkStatus();
}

std::string DBImpl::LogPath() const {
  absl::MutexLock l(&mu_);
  return File(LogName(generation_));
}

void DBImpl::DeleteOldFiles() {
  uint64_t generation;
  {
    absl::MutexLock l(&mu_);
    generation = generation_;
  }
  auto names = env_->ListDir(core_->path());
  if (!names.ok()) return;
  for (const auto& name : *names) {
    const uint64_t snap = ParseSnapshotName(name), log = ParseLogName(name);
    const bool stale_tmp =
        (absl::StartsWith(name, "snapshot-") || absl::StartsWith(name, "wal-")) &&
        absl::EndsWith(name, ".tmp");
    if ((snap != 0 && snap < generation) || (log != 0 && log != generation) || stale_tmp) {
      (void)env_->DeleteFile(File(name));
    }
  }
}

}  // namespace nendb
