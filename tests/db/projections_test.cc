// Projection files through a database: a projection built on a state that
// is exactly its snapshot is written beside it and mapped after reopening
// (proved by damaging the file: the next open's analytics then report it);
// checkpoints carry cached projections to the new snapshot and drop the old
// generation's files unless a reader pins them; read-only handles read but
// never write them; a crash while writing one never leaves a damaged file;
// Check reports and Repair removes damaged ones.
#include "db/projections.h"

#include <map>
#include <random>
#include <string>
#include <vector>

#include "db/files.h"
#include "env/fault_env.h"
#include "gtest/gtest.h"
#include "nendb/algorithms.h"
#include "nendb/database.h"
#include "test_util.h"
#include "util/status_macros.h"

namespace nendb {
namespace {

constexpr char kDir[] = "/db";

class ProjectionFilesTest : public ::testing::Test {
 protected:
  Options Opts(bool read_only = false) {
    Options o;
    o.env = &env_;
    o.read_only = read_only;
    o.threads = 2;
    return o;
  }
  std::unique_ptr<Database> Open(bool read_only = false) {
    auto db = Database::Open(kDir, Opts(read_only));
    EXPECT_TRUE(db.ok()) << db.status();
    return std::move(db).value();
  }
  // 3000 nodes, 9000 weighted edges; with holes: some nodes deleted.
  void Fill(Database& db, bool holes) {
    std::mt19937_64 rng(11);
    NENDB_ASSERT_OK(testing::WriteTxn(db, [&](WriteTransaction& tx) -> absl::Status {
      for (int i = 0; i < 3000; ++i) nodes_.push_back(tx.AddNode("N").value());
      for (int i = 0; i < 9000; ++i) {
        tx.AddEdge(nodes_[rng() % 2000], nodes_[rng() % 3000], "E", double(1 + rng() % 9)).value();
      }
      if (holes) {
        for (int i = 2; i < 3000; i += 97)
          NENDB_RETURN_IF_ERROR_FOR_TEST(tx.DeleteNode(nodes_[i], true));
      }
      return absl::OkStatus();
    }));
  }
  // Projection file names by generation.
  std::vector<std::string> Names() { return env_.ListDir(kDir).value(); }
  std::map<uint64_t, std::vector<std::string>> Files() {
    std::map<uint64_t, std::vector<std::string>> out;
    for (const std::string& name : Names()) {
      bool tmp = false;
      const uint64_t gen = ParseGraphFileName(name, &tmp);
      if (gen != 0 && !tmp) out[gen].push_back(name);
    }
    return out;
  }
  // A file with these bytes, durable.
  void Put(const std::string& name, const std::string& bytes) {
    auto f = env_.NewWritableFile(std::string(kDir) + "/" + name).value();
    NENDB_ASSERT_OK(f->Append(bytes));
    NENDB_ASSERT_OK(f->Sync());
    NENDB_ASSERT_OK(f->Close());
    NENDB_ASSERT_OK(env_.SyncDir(kDir));
  }
  uint64_t Generation(Database& db) { return db.Stats().value().snapshot_generation; }
  // Flips a byte in the middle of a file.
  void Damage(const std::string& name) {
    const std::string path = std::string(kDir) + "/" + name;
    std::string bytes = env_.Contents(path);
    bytes[bytes.size() / 2] ^= 0x10;
    env_.SetContents(path, bytes);
  }
  static BfsOptions Undirected() {
    BfsOptions o;
    o.graph.directed = false;
    return o;
  }
  absl::StatusOr<std::vector<int32_t>> Depths(Database& db) {
    auto rx = db.BeginRead();
    if (!rx.ok()) return rx.status();
    auto r = Bfs(**rx, {nodes_[1]}, Undirected());
    if (!r.ok()) return r.status();
    return r->depth;
  }

  FaultEnv env_;
  std::vector<NodeId> nodes_;
};

TEST_F(ProjectionFilesTest, AProjectionAtTheSnapshotIsKeptAndMappedAfterReopening) {
  auto db = Open();
  Fill(*db, /*holes=*/true);
  NENDB_ASSERT_OK(db->Checkpoint());
  const uint64_t gen = Generation(*db);
  EXPECT_TRUE(Files().empty());
  NENDB_ASSERT_OK_AND_ASSIGN(const auto depths, Depths(*db));
  ASSERT_EQ(Files()[gen].size(), 1u);
  NENDB_ASSERT_OK(db->Close());
  db = Open();
  EXPECT_EQ(Depths(*db).value(), depths);
  NENDB_ASSERT_OK(db->Close());

  // Damaged, it is what the next open's first call reports: it was read.
  const std::string name = Files()[gen][0];
  Damage(name);
  db = Open();
  const absl::Status s = Depths(*db).status();
  EXPECT_EQ(ErrorKindOf(s), ErrorKind::kCorruption) << s;
  EXPECT_NE(s.message().find(name), std::string::npos) << s;
  EXPECT_NE(s.message().find("nendb check --repair"), std::string::npos) << s;
  std::string report;
  EXPECT_EQ(ErrorKindOf(db->Check(&report)), ErrorKind::kCorruption);
  EXPECT_NE(report.find("projection file " + name), std::string::npos) << report;
  db.reset();
  NENDB_ASSERT_OK_AND_ASSIGN(RepairReport repaired, Database::Repair(kDir, Opts()));
  EXPECT_EQ(repaired.projection_files_removed, 1u);
  db = Open();
  EXPECT_EQ(Depths(*db).value(), depths);
  EXPECT_EQ(Files()[gen].size(), 1u);  // written again
  report.clear();
  NENDB_EXPECT_OK(db->Check(&report));
}

TEST_F(ProjectionFilesTest, WeightedAndReorderedProjectionsComeBackTheSame) {
  auto db = Open();
  Fill(*db, /*holes=*/true);
  NENDB_ASSERT_OK(db->Checkpoint());
  PageRankOptions pr;
  pr.graph.weight = "weight";
  pr.graph.order = VertexOrder::kDegree;
  SsspOptions sssp;
  sssp.graph.weight = "weight";
  sssp.graph.directed = false;
  auto run = [&](Database& d) {
    auto rx = testing::Read(d);
    return std::make_pair(PageRank(*rx, pr).value().rank,
                          ShortestDistances(*rx, nodes_[1], sssp).value());
  };
  const auto before = run(*db);
  EXPECT_EQ(Files()[Generation(*db)].size(), 2u);
  NENDB_ASSERT_OK(db->Close());
  db = Open();
  // The same arrays, so the same sums: equal, not only close.
  EXPECT_EQ(run(*db), before);
}

TEST_F(ProjectionFilesTest, TheSnapshotsOwnAdjacencyIsNeverWritten) {
  auto db = Open();
  Fill(*db, /*holes=*/false);
  NENDB_ASSERT_OK(db->Checkpoint());
  auto rx = testing::Read(*db);
  BfsOptions natural;
  natural.graph.order = VertexOrder::kNatural;
  NENDB_ASSERT_OK(Bfs(*rx, {nodes_[1]}, natural).status());
  EXPECT_TRUE(Files().empty());
  BfsOptions degree;
  degree.graph.order = VertexOrder::kDegree;
  NENDB_ASSERT_OK(Bfs(*rx, {nodes_[1]}, degree).status());
  EXPECT_EQ(Files().size(), 1u);
}

TEST_F(ProjectionFilesTest, CommitsAfterTheSnapshotWaitForTheCheckpoint) {
  auto db = Open();
  Fill(*db, /*holes=*/true);
  NENDB_ASSERT_OK(db->Checkpoint());
  const uint64_t gen = Generation(*db);
  NENDB_ASSERT_OK(Depths(*db).status());  // a file of gen
  NENDB_ASSERT_OK(testing::WriteTxn(*db, [&](WriteTransaction& tx) {
    return tx.AddEdge(nodes_[5], nodes_[2500], "E", 1.0).status();
  }));
  NENDB_ASSERT_OK_AND_ASSIGN(const auto depths, Depths(*db));
  EXPECT_EQ(Files().size(), 1u);  // nothing for a state the snapshot does not hold
  {
    // A reader pins gen across the checkpoint, and with it gen's files.
    auto pinned = testing::Read(*db);
    NENDB_ASSERT_OK(db->Checkpoint());
    EXPECT_EQ(Files()[gen].size(), 1u);
  }
  // The checkpoint carried the projection of the state it wrote.
  EXPECT_EQ(Files()[gen + 1].size(), 1u);
  NodeId added = kNoNode;
  NENDB_ASSERT_OK(testing::WriteTxn(*db, [&](WriteTransaction& tx) -> absl::Status {
    NENDB_ASSIGN_OR_RETURN(added, tx.AddNode("N"));
    return tx.AddEdge(nodes_[1], added, "E", 1.0).status();
  }));
  NENDB_ASSERT_OK(db->Checkpoint());
  EXPECT_EQ(Files().count(gen), 0u);  // no pin left: gone with its generation
  EXPECT_EQ(Files().count(gen + 1), 0u);
  NENDB_ASSERT_OK_AND_ASSIGN(const auto latest, Depths(*db));
  EXPECT_EQ(latest[added], 1);
  EXPECT_NE(depths[added], 1);
  NENDB_ASSERT_OK(db->Close());
  db = Open();
  EXPECT_EQ(Depths(*db).value(), latest);
}

TEST_F(ProjectionFilesTest, AReadOnlyHandleReadsThemButNeverWritesThem) {
  {
    auto db = Open();
    Fill(*db, /*holes=*/true);
  }
  auto ro = Open(/*read_only=*/true);
  NENDB_ASSERT_OK_AND_ASSIGN(const auto depths, Depths(*ro));
  EXPECT_TRUE(Files().empty());
  NENDB_ASSERT_OK(ro->Close());
  {
    auto db = Open();
    NENDB_ASSERT_OK(Depths(*db).status());
  }
  ASSERT_EQ(Files().size(), 1u);
  Damage(Files().begin()->second[0]);
  ro = Open(/*read_only=*/true);
  EXPECT_EQ(ErrorKindOf(Depths(*ro).status()), ErrorKind::kCorruption);
}

TEST_F(ProjectionFilesTest, KeepProjectionsOffWritesNoneButReadsThem) {
  {
    auto db = Open();
    Fill(*db, /*holes=*/true);
  }
  Options off = Opts();
  off.keep_projections = false;
  auto db = Database::Open(kDir, off).value();
  NENDB_ASSERT_OK_AND_ASSIGN(const auto depths, Depths(*db));
  EXPECT_TRUE(Files().empty());
  NENDB_ASSERT_OK(db->Close());
  db = Open();
  NENDB_ASSERT_OK(Depths(*db).status());
  NENDB_ASSERT_OK(db->Close());
  ASSERT_EQ(Files().size(), 1u);
  Damage(Files().begin()->second[0]);
  db = Database::Open(kDir, off).value();
  EXPECT_EQ(ErrorKindOf(Depths(*db).status()), ErrorKind::kCorruption);
}

// A crash at every sync point from the write of a projection file to the
// next commit, losing unsynced data but keeping directory entries (as a
// journaling file system may): the next open never finds a damaged file,
// and gets the same answer. Without the file's sync before its rename, the
// renamed file could keep garbage.
TEST_F(ProjectionFilesTest, ACrashWhileWritingOneNeverLeavesItDamaged) {
  {
    auto db = Open();
    Fill(*db, /*holes=*/true);
    NENDB_ASSERT_OK(db->Checkpoint());
    NENDB_ASSERT_OK(db->Close());
  }
  std::map<std::string, std::string> pristine;
  for (const auto& name : Names()) {
    pristine[name] = env_.Contents(std::string(kDir) + "/" + name);
  }
  std::vector<int32_t> depths;
  for (uint64_t k = 1;; ++k) {
    for (const auto& name : Names()) {
      NENDB_ASSERT_OK(env_.DeleteFile(std::string(kDir) + "/" + name));
    }
    for (const auto& [name, bytes] : pristine) Put(name, bytes);
    auto db = Open();
    CrashOptions crash;
    crash.drop_unsynced_entries = false;
    crash.torn_seed = k;
    env_.CrashAtSync(k, crash);
    (void)Depths(*db);
    (void)testing::WriteTxn(*db, [](WriteTransaction& tx) { return tx.AddNode("N").status(); });
    const bool crashed = env_.crashed_since_clear();
    db.reset();
    env_.ClearFaults();
    env_.Restart();
    db = Open();
    NENDB_ASSERT_OK_AND_ASSIGN(auto after, Depths(*db));
    after.resize(nodes_.size());  // without the node the commit may have added
    if (depths.empty()) depths = after;
    EXPECT_EQ(after, depths) << k;
    NENDB_ASSERT_OK(db->Close());
    if (!crashed) break;
    ASSERT_LT(k, 10u);
  }
}

TEST_F(ProjectionFilesTest, TemporaryFilesOfACrashedWriterGoAtTheNextOpen) {
  {
    auto db = Open();
    Fill(*db, /*holes=*/false);
    NENDB_ASSERT_OK(db->Checkpoint());
  }
  const std::string tmp = GraphFileName(2, "k") + ".999-0.tmp";
  Put(tmp, "half a file");
  ASSERT_TRUE(env_.FileExists(std::string(kDir) + "/" + tmp));
  auto db = Open();
  EXPECT_FALSE(env_.FileExists(std::string(kDir) + "/" + tmp));
}

TEST(ProjectionFileNamesTest, NamesParseBackToTheirGeneration) {
  bool tmp = true;
  EXPECT_EQ(ParseGraphFileName(GraphFileName(42, "a key"), &tmp), 42u);
  EXPECT_FALSE(tmp);
  EXPECT_EQ(ParseGraphFileName(GraphFileName(7, "k") + ".12-3.tmp", &tmp), 7u);
  EXPECT_TRUE(tmp);
  EXPECT_NE(GraphFileName(7, "k"), GraphFileName(7, "l"));
  for (const char* bad : {"graph-.ngr", "graph-12.ngr", "graph-x-0123456789abcdef.ngr",
                          "graph-12-0123456789abcdef.ngrx", "snapshot-000000000001.nds",
                          "graph-12-0123456789abcdef.ngr.tmpx"}) {
    EXPECT_EQ(ParseGraphFileName(bad, &tmp), 0u) << bad;
  }
}

}  // namespace
}  // namespace nendb
