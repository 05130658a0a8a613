// Durability: commits survive process kills and power loss at every sync
// point, I/O errors are clean, and the harness notices missing syncs.
#include <cerrno>
#include <cstdlib>
#include <random>

#include "crash/workload.h"
#include "dump.h"
#include "env/fault_env.h"
#include "gtest/gtest.h"
#include "nendb/database.h"
#include "test_util.h"

namespace nendb {
namespace {

constexpr char kPath[] = "/db";

// Edge ids of fresh slots: slot n, generation 0.
EdgeId MakeEdgeIdForTest(uint32_t slot) { return slot; }

// checkpoint_log_bytes: small by default, so checkpoints happen during the
// workloads too.
Options On(FaultEnv* env, SyncMode sync = SyncMode::kFull, uint64_t checkpoint_log_bytes = 4096) {
  Options o;
  o.env = env;
  o.sync = sync;
  o.busy_timeout = absl::Milliseconds(100);
  o.checkpoint_log_bytes = checkpoint_log_bytes;
  return o;
}

// Commits the crash workload's transactions [first, first + txns) (see
// crash/workload.h), checkpointing half-way, until the first error. Returns
// how many transactions are acknowledged in all.
int RunWorkload(FaultEnv* env, SyncMode sync, int txns, int first = 0) {
  auto db = Database::Open(kPath, On(env, sync));
  if (!db.ok()) return first;
  int acked = first;
  for (int i = first; i < first + txns; ++i) {
    absl::Status s =
        testing::WriteTxn(**db, [&](WriteTransaction& tx) { return crash::ApplyTxn(tx, i); });
    if (!s.ok()) break;
    acked = i + 1;
    if (i == first + txns / 2 && !(*db)->Checkpoint().ok()) break;
  }
  (void)(*db)->Close();
  return acked;
}

// The database holds exactly transactions [0, m) for some m in [acked,
// attempted]; returns m, or -1 with a failure recorded.
int VerifyPrefix(FaultEnv* env, int acked, int attempted) {
  auto db = Database::Open(kPath, On(env));
  EXPECT_TRUE(db.ok()) << db.status();
  if (!db.ok()) return -1;
  auto rx = (*db)->BeginRead().value();
  auto m = crash::VerifyPrefix(*rx);
  EXPECT_TRUE(m.ok()) << m.status();
  if (!m.ok()) return -1;
  EXPECT_GE(*m, acked) << "acknowledged commits were lost";
  EXPECT_LE(*m, attempted);
  std::string report;
  EXPECT_TRUE((*db)->Check(&report).ok()) << report;
  return ::testing::Test::HasFailure() ? -1 : static_cast<int>(*m);
}

TEST(RecoveryTest, CommitsSurviveAProcessKill) {
  FaultEnv env;
  std::string before;
  {
    auto db = Database::Open(kPath, On(&env, SyncMode::kFull, 1 << 30)).value();
    ASSERT_TRUE(testing::WriteTxn(*db, [](WriteTransaction& tx) -> absl::Status {
                  LabelSchema s;
                  s.properties = {{"name", ValueType::kString, 0, true}};
                  NENDB_RETURN_IF_ERROR_FOR_TEST(tx.DefineLabel("P", s));
                  for (int i = 0; i < 20; ++i) {
                    auto n = tx.AddNode(
                        std::vector<std::string>{"P", "Q"}, Key(absl::StrCat("k", i)),
                        {{"name", absl::StrCat("n", i)}, {"v", std::vector<float>{float(i), 2}}});
                    if (!n.ok()) return n.status();
                  }
                  return absl::OkStatus();
                }).ok());
    std::vector<int64_t> keys = {100, 101, 102};
    std::vector<double> w = {0.5, 1.5, 2.5};
    std::vector<NodeId> src = {0, 1, 2}, dst = {3, 4, 5};
    ASSERT_TRUE(testing::WriteTxn(*db, [&](WriteTransaction& tx) -> absl::Status {
                  NodeBatch nb;
                  nb.labels = {"B"};
                  nb.count = 3;
                  nb.keys.ints = keys;
                  nb.properties.push_back(BulkColumn::Float64("w", w));
                  NENDB_RETURN_IF_ERROR_FOR_TEST(tx.AddNodes(nb, {}));
                  EdgeBatch eb;
                  eb.sources = src;
                  eb.targets = dst;
                  eb.type = "E";
                  eb.weights = w;
                  NENDB_RETURN_IF_ERROR_FOR_TEST(tx.AddEdges(eb, {}));
                  NENDB_RETURN_IF_ERROR_FOR_TEST(tx.DeleteNode(7, true));
                  NENDB_RETURN_IF_ERROR_FOR_TEST(tx.RemoveLabel(8, "P"));
                  NENDB_RETURN_IF_ERROR_FOR_TEST(tx.SetWeight(MakeEdgeIdForTest(1), 9.0));
                  return tx.SetEdgeProperty(MakeEdgeIdForTest(2), "x", "y");
                }).ok());
    ASSERT_TRUE(testing::WriteTxn(*db, [](WriteTransaction& tx) {
                  return tx.DeleteEdge(MakeEdgeIdForTest(0));
                }).ok());
    before = testing::Dump(*db).value();
    CrashOptions kill;
    kill.drop_unsynced_data = false;
    kill.drop_unsynced_entries = false;
    env.Crash(kill);  // the process dies; nothing was checkpointed
  }
  env.Restart();
  auto db = Database::Open(kPath, On(&env)).value();
  EXPECT_EQ(testing::Dump(*db).value(), before);
  EXPECT_GT(db->Stats().value().log_bytes, 64u);  // replayed from the log
}

// A transaction whose log would pass the checkpoint threshold is written
// once, as the next snapshot, not to the log and then to a checkpoint; a
// failure while writing it leaves the state before it.
// Replay builds the adjacency once at its end, but frees deleted edges'
// slots exactly where the writer did, so edges added later get the same ids
// (replay checks every id against the log).
TEST(RecoveryTest, ReplayReusesTheSlotsTheWriterReused) {
  FaultEnv env;
  std::string before;
  {
    auto db = Database::Open(kPath, On(&env, SyncMode::kFull, 1 << 30)).value();
    std::vector<NodeId> nodes;
    ASSERT_TRUE(testing::WriteTxn(*db, [&](WriteTransaction& tx) -> absl::Status {
                  for (int i = 0; i < 300; ++i) {
                    auto n = tx.AddNode("N", Key(int64_t{i}));
                    if (!n.ok()) return n.status();
                    nodes.push_back(*n);
                  }
                  return absl::OkStatus();
                }).ok());
    // Bulk batches of at least 4096 edges rebuild the adjacency (and free
    // the pending slots) at once; single edges reuse freed slots.
    std::mt19937_64 rng(3);
    // Node 7 is deleted half-way: edges go between the others.
    auto any = [&] { return nodes[8 + rng() % (nodes.size() - 8)]; };
    bool seven = true;
    auto bulk = [&](WriteTransaction& tx) {
      std::vector<NodeId> s(5000), d(5000);
      for (size_t i = 0; i < s.size(); ++i) {
        s[i] = seven && i % 50 == 0 ? nodes[7] : any();
        d[i] = any();
      }
      EdgeBatch b;
      b.sources = s;
      b.targets = d;
      b.type = "E";
      return tx.AddEdges(b, {});
    };
    auto deletes = [&](WriteTransaction& tx, uint32_t from) -> absl::Status {
      for (uint32_t slot = from; slot < from + 300; slot += 3) {
        if (tx.HasEdge(MakeEdgeIdForTest(slot))) {
          NENDB_RETURN_IF_ERROR_FOR_TEST(tx.DeleteEdge(MakeEdgeIdForTest(slot)));
        }
      }
      return absl::OkStatus();
    };
    auto singles = [&](WriteTransaction& tx, int count) -> absl::Status {
      for (int i = 0; i < count; ++i) {
        NENDB_RETURN_IF_ERROR_FOR_TEST(tx.AddEdge(any(), any(), "S").status());
      }
      return absl::OkStatus();
    };
    ASSERT_TRUE(testing::WriteTxn(*db, bulk).ok());
    ASSERT_TRUE(testing::WriteTxn(*db, [&](WriteTransaction& tx) { return deletes(tx, 0); }).ok());
    ASSERT_TRUE(testing::WriteTxn(*db, bulk).ok());  // frees them
    ASSERT_TRUE(
        testing::WriteTxn(*db, [&](WriteTransaction& tx) { return singles(tx, 150); }).ok());
    ASSERT_GT(testing::Read(*db)->Degree(nodes[7], Direction::kOut).value(), 150u);
    ASSERT_TRUE(testing::WriteTxn(*db, [&](WriteTransaction& tx) {
                  return tx.DeleteNode(nodes[7], /*detach=*/true);
                }).ok());
    seven = false;
    ASSERT_TRUE(
        testing::WriteTxn(*db, [&](WriteTransaction& tx) { return deletes(tx, 900); }).ok());
    ASSERT_TRUE(testing::WriteTxn(*db, [&](WriteTransaction& tx) { return singles(tx, 40); }).ok());
    ASSERT_TRUE(testing::WriteTxn(*db, bulk).ok());
    ASSERT_TRUE(
        testing::WriteTxn(*db, [&](WriteTransaction& tx) { return singles(tx, 120); }).ok());
    // Some single edges took freed slots (a later generation of a low slot).
    std::vector<EdgeId> singles_ids;
    ASSERT_TRUE(testing::Read(*db)->ScanEdges("S", &singles_ids, nullptr, nullptr, nullptr).ok());
    EXPECT_TRUE(std::any_of(singles_ids.begin(), singles_ids.end(),
                            [](EdgeId e) { return (e & 0xFFFFFFFFu) < 5000 && (e >> 32) > 0; }));
    before = testing::Dump(*db).value();
    CrashOptions kill;
    kill.drop_unsynced_data = kill.drop_unsynced_entries = false;
    env.Crash(kill);
  }
  env.Restart();
  auto db = Database::Open(kPath, On(&env)).value();
  EXPECT_EQ(testing::Dump(*db).value(), before);
  std::string report;
  EXPECT_TRUE(db->Check(&report).ok()) << report;
}

TEST(RecoveryTest, LargeTransactionsCommitAsSnapshots) {
  FaultEnv env;
  auto db = Database::Open(kPath, On(&env)).value();
  for (int i = 0; i < 7; ++i) {
    ASSERT_TRUE(
        testing::WriteTxn(*db, [&](WriteTransaction& tx) { return crash::ApplyTxn(tx, i); }).ok());
  }
  const DatabaseStats before = db->Stats().value();
  ASSERT_GT(before.log_bytes, 64u);
  ASSERT_TRUE(crash::AddsBigNodes(7));
  env.FailAt(3, ENOSPC, /*persistent=*/false);  // inside the snapshot write
  EXPECT_FALSE(
      testing::WriteTxn(*db, [](WriteTransaction& tx) { return crash::ApplyTxn(tx, 7); }).ok());
  EXPECT_EQ(crash::VerifyPrefix(*testing::Read(*db)).value_or(-1), 7);
  ASSERT_TRUE(
      testing::WriteTxn(*db, [](WriteTransaction& tx) { return crash::ApplyTxn(tx, 7); }).ok());
  const DatabaseStats after = db->Stats().value();
  EXPECT_EQ(after.snapshot_generation, before.snapshot_generation + 1);
  EXPECT_EQ(after.log_bytes, 64u);  // nothing of it went to the log
  env.Crash();                      // power loss right after the commit returned
  env.Restart();
  EXPECT_EQ(VerifyPrefix(&env, 8, 8), 8);
}

// sync=off never asks for a sync (not even at checkpoints) and still loses
// nothing when only the process dies.
TEST(RecoveryTest, SyncOffNeverSyncsButSurvivesAProcessKill) {
  FaultEnv env;
  const uint64_t syncs_before = env.sync_points();
  auto db = Database::Open(kPath, On(&env, SyncMode::kOff)).value();
  for (int i = 0; i < 10; ++i) {
    ASSERT_TRUE(
        testing::WriteTxn(*db, [&](WriteTransaction& tx) { return crash::ApplyTxn(tx, i); }).ok());
  }
  ASSERT_TRUE(db->Checkpoint().ok());
  // Renames are the only sync points left: one per snapshot and log created.
  const uint64_t renames = env.sync_points() - syncs_before;
  EXPECT_LE(renames, 8u);
  CrashOptions kill;
  kill.drop_unsynced_data = kill.drop_unsynced_entries = false;
  env.Crash(kill);
  env.Restart();
  EXPECT_EQ(VerifyPrefix(&env, 10, 10), 10);
}

TEST(RecoveryTest, PowerLossAtEverySyncPointKeepsAcknowledgedCommits) {
  FaultEnv probe;
  RunWorkload(&probe, SyncMode::kFull, 12);
  const uint64_t points = probe.sync_points();
  ASSERT_GT(points, 20u);
  // Also the file system that keeps a new file's directory entry but not its
  // unsynced data (an empty or short file under its final name).
  CrashOptions keep_entries;
  keep_entries.drop_unsynced_entries = false;
  for (const CrashOptions& crash : {CrashOptions(), keep_entries}) {
    for (uint64_t k = 1; k <= points + 1; ++k) {
      SCOPED_TRACE(absl::StrCat("crash at sync point ", k,
                                crash.drop_unsynced_entries ? "" : ", entries kept"));
      FaultEnv env;
      env.CrashAtSync(k, crash);
      const int acked = RunWorkload(&env, SyncMode::kFull, 12);
      env.ClearFaults();
      env.Restart();
      ASSERT_GE(VerifyPrefix(&env, acked, 12), acked);
    }
  }
}

TEST(RecoveryTest, NormalSyncLosesOnlyATailOnPowerLoss) {
  FaultEnv probe;
  RunWorkload(&probe, SyncMode::kNormal, 12);
  for (uint64_t k = 1; k <= probe.sync_points() + 1; ++k) {
    SCOPED_TRACE(absl::StrCat("crash at sync point ", k));
    FaultEnv env;
    env.CrashAtSync(k);
    const int attempted = RunWorkload(&env, SyncMode::kNormal, 12);
    env.ClearFaults();
    env.Restart();
    ASSERT_GE(VerifyPrefix(&env, /*acked=*/0, attempted + 1), 0);
  }
}

// Power loss at random I/O calls (not only sync points), with each file
// keeping a random, partly zeroed part of what it had not synced, and new
// directory entries lost or kept.
TEST(RecoveryTest, PowerLossAtRandomCallsWithTornWrites) {
  for (SyncMode sync : {SyncMode::kFull, SyncMode::kNormal}) {
    FaultEnv probe;
    RunWorkload(&probe, sync, 12);
    const uint64_t calls = probe.io_calls();
    std::mt19937_64 rng(static_cast<uint64_t>(sync) + 7);
    for (int trial = 0; trial < 300; ++trial) {
      CrashOptions torn;
      torn.torn_seed = rng() | 1;
      torn.drop_unsynced_entries = rng() % 2 == 0;
      const uint64_t k = 1 + rng() % calls;
      SCOPED_TRACE(absl::StrCat("sync ", static_cast<int>(sync), " crash at call ", k, " seed ",
                                torn.torn_seed));
      FaultEnv env;
      env.CrashAtCall(k, torn);
      const int acked = RunWorkload(&env, sync, 12);
      env.ClearFaults();
      env.Restart();
      ASSERT_GE(VerifyPrefix(&env, sync == SyncMode::kFull ? acked : 0, acked + 1),
                sync == SyncMode::kFull ? acked : 0);
    }
  }
}

TEST(RecoveryTest, LostDirectoryEntriesAtEveryStep) {
  FaultEnv probe;
  RunWorkload(&probe, SyncMode::kFull, 12);
  CrashOptions entries_only;
  entries_only.drop_unsynced_data = false;
  for (uint64_t k = 1; k <= probe.sync_points() + 1; ++k) {
    SCOPED_TRACE(absl::StrCat("directory entries lost at sync point ", k));
    FaultEnv env;
    env.CrashAtSync(k, entries_only);
    const int acked = RunWorkload(&env, SyncMode::kFull, 12);
    env.ClearFaults();
    env.Restart();
    ASSERT_GE(VerifyPrefix(&env, acked, 12), acked);
  }
}

TEST(RecoveryTest, FailingTheKthIoCallIsACleanError) {
  FaultEnv probe;
  int first = RunWorkload(&probe, SyncMode::kFull, 6);
  RunWorkload(&probe, SyncMode::kFull, 6, first);  // recovery and more commits
  const uint64_t calls = probe.io_calls();
  struct Mode {
    int err;
    bool persistent, short_write;
  };
  // NENDB_FAULT_STRIDE=s (make asan: 3): mode i fails only the calls k with
  // k % s == i % s, so the modes together still fail every call once.
  const char* stride_env = std::getenv("NENDB_FAULT_STRIDE");
  const uint64_t stride = stride_env != nullptr ? std::max(1, std::atoi(stride_env)) : 1;
  const Mode modes[] = {{EIO, false, false}, {ENOSPC, true, false}, {EIO, true, true}};
  for (uint64_t m = 0; m < 3; ++m) {
    const Mode mode = modes[m];
    for (uint64_t k = 1 + (m + stride - 1) % stride; k <= calls + 1; k += stride) {
      SCOPED_TRACE(
          absl::StrCat("errno ", mode.err, " persistent ", mode.persistent, " at call ", k));
      FaultEnv env;
      env.FailAt(k, mode.err, mode.persistent, mode.short_write);
      int acked = RunWorkload(&env, SyncMode::kFull, 6);
      acked = RunWorkload(&env, SyncMode::kFull, 6, acked);
      env.ClearFaults();
      env.Crash();  // and then the power goes
      env.Restart();
      ASSERT_GE(VerifyPrefix(&env, acked, 12), acked);
    }
  }
}

TEST(RecoveryTest, AFailedSyncPoisonsTheDatabase) {
  FaultEnv env;
  auto db = Database::Open(kPath, On(&env)).value();
  ASSERT_TRUE(testing::WriteTxn(*db, [](WriteTransaction& tx) {
                return tx.AddNode("N", Key(1)).status();
              }).ok());
  env.FailAt(2, EIO, /*persistent=*/false);  // the commit's append works, its sync fails
  auto tx = db->BeginWrite().value();
  ASSERT_TRUE(tx->AddNode("N", Key(2)).ok());
  absl::Status s = tx->Commit();
  ASSERT_FALSE(s.ok());
  auto again = db->BeginWrite();
  ASSERT_FALSE(again.ok());
  EXPECT_NE(again.status().message().find("reopen"), absl::string_view::npos) << again.status();
  EXPECT_EQ(testing::Read(*db)->NumNodes(), 1u);  // readers see the durable state
  db.reset();
  env.ClearFaults();
  auto reopened = Database::Open(kPath, On(&env)).value();
  EXPECT_TRUE(testing::WriteTxn(*reopened, [](WriteTransaction& tx) {
                return tx.AddNode("N", Key(3)).status();
              }).ok());
}

}  // namespace
}  // namespace nendb
