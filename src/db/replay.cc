#include "db/replay.h"

#include <new>

#include "absl/strings/str_cat.h"
#include "db/files.h"
#include "db/index_files.h"
#include "db/vector_indexes.h"
#include "nendb/errors.h"
#include "snapshot/reader.h"
#include "txn/op_log.h"
#include "txn/ops.h"
#include "util/status_macros.h"
#include "wal/log_format.h"

namespace nendb {
namespace {

// Replays the log of working's generation from working->log_end.
absl::Status Replay(const ReplayPlan& plan, uint64_t base_sequence, Version& working,
                    const WriteCtx& parent, Replayed* out) {
  const std::string path = plan.dir + "/" + LogName(working.gen);
  WriteCtx ctx = parent;
  // A long log (recovery) builds the adjacency once, after its last
  // transaction; a short tail (a reader catching up with another process's
  // commits) appends to it as the writer did, which costs its own edges
  // instead of every edge of the graph, and lists them in the writer's order.
  // Log records take ~32 bytes per edge.
  const uint64_t tail = plan.until - working.log_end;
  ctx.defer_adjacency = plan.until == 0 || (tail > (1 << 20) && tail / 8 > working.edges->live);
  wal::ScanOptions scan;
  scan.expect = wal::LogInfo{working.gen, base_sequence, out->database_id};
  scan.from_offset = working.log_end;
  scan.after_sequence = working.seq;
  scan.repair = plan.repair;
  scan.until = plan.until;
  auto replay = [&](uint64_t sequence, absl::string_view ops) -> absl::Status {
    NENDB_RETURN_IF_ERROR(ReplayOps(working, ctx, ops, path));
    // The writer's commits freed deleted edges' slots by this policy, and
    // later edge ids depend on it; the adjacency itself is deferred.
    ops::MaybeCompactAdjacency(working, ctx, /*force=*/false);
    working.seq = sequence;
    return absl::OkStatus();
  };
  try {
    NENDB_ASSIGN_OR_RETURN(out->scan, wal::ScanLog(plan.env, path, scan, replay));
    ops::EnsureAdjacency(working, ctx);
  } catch (const std::bad_alloc&) {
    return CapacityError(absl::StrCat("out of memory replaying ", path));
  }
  working.log_end = out->scan.committed_end;
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<Replayed> LoadGeneration(const ReplayPlan& plan, uint64_t generation,
                                        bool verify_all, const WriteCtx& ctx) {
  const std::string snapshot = plan.dir + "/" + SnapshotName(generation);
  NENDB_ASSIGN_OR_RETURN(auto loaded, snapshot::Load(plan.env, snapshot, verify_all));
  const std::array<uint8_t, 16> zero = {};
  if (plan.database_id != zero && loaded.info.database_id != plan.database_id) {
    return CorruptionError(snapshot, 0, "the snapshot belongs to another database");
  }
  Replayed r;
  r.database_id = loaded.info.database_id;
  r.base_sequence = loaded.info.sequence;
  loaded.version->gen = generation;
  loaded.version->log_end = wal::kFileHeaderBytes;
  loaded.version->snapshot_bytes = loaded.info.file_bytes;
  if (plan.home.env != nullptr) {
    auto home = std::make_shared<SnapshotHome>(plan.home);
    home->database_id = loaded.info.database_id;
    loaded.version->home = std::move(home);
  }
  NENDB_RETURN_IF_ERROR(LoadIndexFiles(*loaded.version, plan.repair));
  r.log_found = plan.env->FileExists(plan.dir + "/" + LogName(generation));
  if (r.log_found && plan.until != wal::kFileHeaderBytes) {
    NENDB_RETURN_IF_ERROR(Replay(plan, r.base_sequence, *loaded.version, ctx, &r));
  } else if (!r.log_found && plan.until > wal::kFileHeaderBytes) {
    return CorruptionError(plan.dir + "/" + LogName(generation), 0,
                           "the log that other processes published commits to is missing");
  }
  NENDB_RETURN_IF_ERROR(SyncVectorIndexes(*loaded.version, ctx));
  KeepIndexFiles(*loaded.version);  // the graphs just built, if no commits followed
  r.version = std::move(loaded.version);
  return r;
}

absl::StatusOr<Replayed> ReplayTail(const ReplayPlan& plan, std::shared_ptr<const Version> from,
                                    const WriteCtx& ctx) {
  Replayed r;
  r.database_id = plan.database_id;
  r.log_found = true;
  if (plan.until == from->log_end) {
    r.version = std::move(from);
    return r;
  }
  auto working = std::make_shared<Version>(*from);
  // The base sequence only names the log's first record; the scan starts
  // after `from`.
  NENDB_RETURN_IF_ERROR(Replay(plan, from->seq, *working, ctx, &r));
  NENDB_RETURN_IF_ERROR(SyncVectorIndexes(*working, ctx));
  r.version = std::move(working);
  return r;
}

}  // namespace nendb
