// libFuzzer target for the write-ahead log reader: the input is one log file
// (docs/format/wal.md). Damaged logs must end in a torn tail or an error;
// crashes, hangs, leaks, undefined behaviour and reads out of bounds are the
// bugs this looks for.
//
// Each input goes two ways:
//  - straight into wal::ReadLogHeader and wal::ScanLog (without and with
//    repair), replaying every committed transaction with ReplayOps onto a
//    working Version as recovery does, with ScanOptions.expect taken from the
//    log's own header so that inputs get past the foreign-log check;
//  - as the log of a database directory (in memory) next to a valid snapshot
//    whose identity is set to the log's, opened with Database::Open: the real
//    recovery path, then every read and Close.
// and, if its checksums are wrong, again with them recomputed
// (FixLogChecksums), since otherwise almost every mutation of a record is
// rejected by its CRC before the operation decoder sees it.
//
// A log's operations record the ids they produced, so a log replays only onto
// the state it followed: generation 1 is a new database (an empty Version),
// any other generation the small database of PopulateBase. The seed corpus
// (make_corpus) holds logs of both.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <new>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "fuzz_util.h"
#include "nendb/database.h"
#include "nendb/env.h"
#include "snapshot/reader.h"
#include "spdlog/spdlog.h"
#include "storage/arena.h"
#include "storage/version.h"
#include "txn/op_log.h"
#include "txn/ops.h"
#include "util/bytes.h"
#include "wal/log_reader.h"

namespace nendb::fuzz {
namespace {

constexpr char kLogPath[] = "/scratch/input.log";

// A broken harness must not pass for a clean fuzzing run.
void Require(const absl::Status& s, absl::string_view what) {
  if (s.ok()) return;
  std::fprintf(stderr, "log_fuzzer: %s: %s\n", std::string(what).c_str(), s.ToString().c_str());
  std::abort();
}

// What a log may follow, built once per process.
struct Bases {
  std::unique_ptr<Env> env;  // the mapped small_version reads from it
  BaseSnapshots snapshots;
  std::shared_ptr<const Version> small_version;
  // One arena for every direct replay, so that chunks a replay fails to give
  // back show up in bytes_in_use() (ASan does not see arena memory).
  std::shared_ptr<ChunkArena> arena;
};

const Bases* MakeBases() {
  auto* b = new Bases;
  b->env = Env::NewMemEnv();
  auto snapshots = MakeBaseSnapshots(b->env.get());
  Require(snapshots.status(), "building the base snapshots");
  b->snapshots = *std::move(snapshots);
  (void)b->env->CreateDir(kScratchDir);
  const std::string path = absl::StrCat(kScratchDir, "/small.nds");
  Require(WriteFile(b->env.get(), path, b->snapshots.small), "writing the base snapshot");
  auto loaded = snapshot::Load(b->env.get(), path, /*verify_all=*/true);
  Require(loaded.status(), "loading the base snapshot");
  b->small_version = std::move(loaded->version);
  b->arena = std::make_shared<ChunkArena>(FuzzOptions(nullptr).arena_slab_bytes, 0);
  return b;
}

const Bases& GetBases() {
  static const Bases* bases = MakeBases();
  return *bases;
}

// Replaying a bulk insert allocates for its node count, and nothing in a log
// bounds that count (a batch without keys or properties is just a number): a
// 184-byte log asks recovery for tens of gigabytes (tests/fuzz/crashes/
// oom-addnodes-count.log). Until the library bounds it, transactions that may
// hold such a batch are not replayed, so that the fuzzer looks for other bugs
// instead of finding this one again in every run. The scan is deliberately
// loose (any byte offset, no check of what follows the count): skipping a
// harmless transaction costs a little coverage, replaying a huge one ends
// the run. NENDB_FUZZ_HUGE_BATCHES=1 in the environment replays them anyway.
constexpr uint64_t kMaxReplayedBatch = uint64_t{1} << 17;  // every column spans chunks

bool MayAddManyNodes(absl::string_view ops) {
  static const bool replay_all = std::getenv("NENDB_FUZZ_HUGE_BATCHES") != nullptr;
  if (replay_all) return false;
  for (size_t at = 0; at < ops.size(); ++at) {
    if (ops[at] != static_cast<char>(OpCode::kAddNodes)) continue;
    // The fields before the count, as Replayer reads them: labels, count.
    ByteReader r(ops.substr(at + 1));
    const uint64_t labels = r.U64();
    if (!r.ok() || labels > ops.size()) continue;
    for (uint64_t i = 0; i < labels && r.ok(); ++i) (void)r.Str();
    const uint64_t count = r.U64();
    if (r.ok() && count > kMaxReplayedBatch) return true;
  }
  return false;
}

// ScanLog with a CommitFn that replays as DBImpl::Recover does. Sets
// *skipped if a transaction was held back by MayAddManyNodes.
void ScanDirect(Env* env, const absl::StatusOr<wal::LogInfo>& info, bool repair, bool* skipped) {
  const Bases& bases = GetBases();
  static TxnId next_txn = 1;
  auto working = info.ok() && info->generation == 1
                     ? std::make_shared<Version>()
                     : std::make_shared<Version>(*bases.small_version);
  const WriteCtx ctx{next_txn++, bases.arena, /*threads=*/1};
  wal::ScanOptions scan;
  if (info.ok()) scan.expect = *info;
  scan.repair = repair;
  auto replay = [&](uint64_t sequence, absl::string_view ops) -> absl::Status {
    if (MayAddManyNodes(ops)) {
      *skipped = true;
      return absl::ResourceExhaustedError("the fuzz harness does not replay huge batches");
    }
    try {
      if (absl::Status s = ReplayOps(*working, ctx, ops, kLogPath); !s.ok()) return s;
      ops::MaybeCompactAdjacency(*working, ctx, /*force=*/false);
    } catch (const std::bad_alloc&) {
      return absl::ResourceExhaustedError("out of memory replaying");
    }
    working->seq = sequence;
    return absl::OkStatus();
  };
  (void)wal::ScanLog(env, kLogPath, scan, replay);
}

// The real recovery path: the log in a database directory next to the
// snapshot it follows.
void OpenAsDatabase(absl::string_view log, const absl::StatusOr<wal::LogInfo>& info) {
  auto env = Env::NewMemEnv();
  PrepareDatabaseDir(env.get(), GetBases().snapshots, log, info);
  auto db = Database::Open(kDbDir, FuzzOptions(env.get()));
  if (!db.ok()) return;
  ReadEverything(**db);
  // Closing may checkpoint the recovered state: the snapshot writer then
  // sees what replay built.
  (void)(*db)->Close();
}

void RunOne(absl::string_view log) {
  static Env* env = [] {
    Env* e = Env::NewMemEnv().release();
    (void)e->CreateDir(kScratchDir);
    return e;
  }();
  if (!WriteFile(env, kLogPath, log).ok()) return;
  const absl::StatusOr<wal::LogInfo> info = wal::ReadLogHeader(env, kLogPath);
  bool skipped = false;
  ScanDirect(env, info, /*repair=*/false, &skipped);
  ScanDirect(env, info, /*repair=*/true, &skipped);
  const uint64_t leaked = GetBases().arena->bytes_in_use();
  if (leaked != 0) {
    std::fprintf(stderr, "log_fuzzer: replay left %llu arena bytes in use\n",
                 static_cast<unsigned long long>(leaked));
    std::abort();
  }
  // Recovery replays the same transactions onto the same state as the direct
  // scan, so it would replay the held-back one too.
  if (!skipped) OpenAsDatabase(log, info);
}

}  // namespace
}  // namespace nendb::fuzz

extern "C" int LLVMFuzzerInitialize(int* argc, char*** argv) {
  // Recovery warns about every damaged log; at thousands of inputs a second
  // that would be most of the run time.
  spdlog::set_level(spdlog::level::off);
  (void)nendb::fuzz::GetBases();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string input(reinterpret_cast<const char*>(data), size);
  nendb::fuzz::RunOne(input);
  std::string fixed = input;
  if (nendb::fuzz::FixLogChecksums(&fixed) && fixed != input) nendb::fuzz::RunOne(fixed);
  return 0;
}
