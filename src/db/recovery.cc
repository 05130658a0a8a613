// Opening a database when no other process has it open: the newest snapshot
// and the committed transactions of its log (a torn tail is cut), or a new
// database; and removing files older generations left behind.
#include <random>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "db/db_impl.h"
#include "db/files.h"
#include "db/replay.h"
#include "nendb/errors.h"
#include "spdlog/spdlog.h"
#include "util/mutants.h"
#include "util/status_macros.h"
#include "wal/log_format.h"

namespace nendb {

absl::Status DBImpl::RecoverAlone() {
  const std::string& dir = core_->path();
  const Options& o = core_->options();
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
    return CreateNew();
  }
  if (o.error_if_exists) {
    return absl::AlreadyExistsError(absl::StrCat("database ", dir, " already exists"));
  }
  ReplayPlan plan;
  plan.env = env_;
  plan.dir = dir;
  plan.repair = repair_;
  plan.home = core_->Home();
  NENDB_ASSIGN_OR_RETURN(
      Replayed r, LoadGeneration(plan, newest, o.verify_on_open, core_->Ctx(core_->NewTxnId())));
  recovery_ = r.scan;
  core_->SetFiles(env_, core_->coordinator(), r.database_id);
  const uint64_t committed_end = r.version->log_end;
  core_->Install(std::move(r.version));
  if (recovery_.repaired_at != 0) {
    spdlog::warn("nendb: {}: damaged at offset {}; kept {} transactions, dropped {} after it",
                 LogPath(), recovery_.repaired_at, recovery_.transactions,
                 recovery_.dropped_transactions);
  }
  if (core_->read_only()) return absl::OkStatus();
  if (!r.log_found) {
    // A crash between publishing the snapshot and creating its log.
    NENDB_RETURN_IF_ERROR(StartLog(newest, r.base_sequence));
  } else {
    NENDB_ASSIGN_OR_RETURN(auto log, wal::LogWriter::Continue(
                                         env_, LogPath(), {newest, r.base_sequence, r.database_id},
                                         committed_end, /*durable=*/0));
    // What survived the crash is made durable, so later records can say so.
    NENDB_RETURN_IF_ERROR(log->Sync());
    core_->SetLog(std::move(log), newest);
  }
  DeleteOldFiles(/*alone=*/true);
  return absl::OkStatus();
}

absl::Status DBImpl::CreateNew() {
  std::array<uint8_t, 16> id;
  std::random_device rd;
  for (size_t i = 0; i < id.size(); i += 4) {
    const uint32_t r = rd();
    std::memcpy(id.data() + i, &r, 4);
  }
  core_->SetFiles(env_, core_->coordinator(), id);
  return WriteCheckpoint(core_->Current());
}

absl::Status DBImpl::StartLog(uint64_t generation, uint64_t base_sequence) {
  NENDB_ASSIGN_OR_RETURN(auto log,
                         wal::LogWriter::Create(env_, File(LogName(generation)),
                                                {generation, base_sequence, core_->database_id()}));
  NENDB_RETURN_IF_ERROR(NENDB_DIR_SYNC(env_->SyncDir(core_->path())));
  core_->SetLog(std::move(log), generation);
  return absl::OkStatus();
}

std::string DBImpl::LogPath() const { return File(LogName(core_->Current()->gen)); }

void DBImpl::DeleteOldFiles(bool alone) {
  const uint64_t generation = core_->Current()->gen;
  // Generations a reader of another process still reads stay.
  const uint64_t pinned =
      core_->coordinator() != nullptr ? core_->coordinator()->OldestPinned() : 0;
  const uint64_t keep_from = pinned != 0 ? std::min(pinned, generation) : generation;
  auto names = env_->ListDir(core_->path());
  if (!names.ok()) return;
  for (const auto& name : *names) {
    const uint64_t snap = ParseSnapshotName(name), log = ParseLogName(name);
    bool graph_tmp = false, index_tmp = false;
    const uint64_t graph = ParseGraphFileName(name, &graph_tmp);
    const uint64_t index = ParseIndexFileName(name, &index_tmp);
    // Only this process writes snapshots and logs (it holds the write lock
    // or is alone), but any may be writing a projection of a generation
    // or a vector index of a generation still in use.
    const bool stale_tmp =
        ((absl::StartsWith(name, "snapshot-") || absl::StartsWith(name, "wal-")) &&
         absl::EndsWith(name, ".tmp")) ||
        ((graph_tmp || index_tmp) && alone);
    if ((snap != 0 && snap < keep_from) || (log != 0 && log < keep_from) ||
        (graph != 0 && graph < keep_from) || (index != 0 && index < keep_from) || stale_tmp) {
      (void)env_->DeleteFile(File(name));
    }
  }
}

}  // namespace nendb
