#include "nendb/database.h"

#include <fstream>
#include <thread>

#include "gtest/gtest.h"
#include "nendb/env.h"
#include "test_util.h"

namespace nendb {
namespace {

using testing::ScratchDir;

TEST(DatabaseTest, AddReadCheckpointReopen) {
  ScratchDir dir;
  const std::string path = dir.Sub("db");
  NodeId a, b;
  EdgeId e;
  {
    NENDB_ASSERT_OK_AND_ASSIGN(auto db, Database::Open(path));
    NENDB_ASSERT_OK_AND_ASSIGN(auto tx, db->BeginWrite());
    NENDB_ASSERT_OK_AND_ASSIGN(a, tx->AddNode("Person", Key("alice"), {{"age", 30}}));
    NENDB_ASSERT_OK_AND_ASSIGN(b, tx->AddNode("Person", Key("bob"), {{"name", "Bob"}}));
    NENDB_ASSERT_OK_AND_ASSIGN(e, tx->AddEdge(a, b, "KNOWS", 2.0, {{"since", 2020}}));
    NENDB_ASSERT_OK(tx->Commit());
    NENDB_ASSERT_OK_AND_ASSIGN(auto rx, db->BeginRead());
    EXPECT_EQ(rx->NumNodes(), 2u);
    NENDB_ASSERT_OK_AND_ASSIGN(NodeId found, rx->FindNode("Person", Key("bob")));
    EXPECT_EQ(found, b);
    NENDB_ASSERT_OK(db->Close());
  }
  NENDB_ASSERT_OK_AND_ASSIGN(auto db, Database::Open(path));
  NENDB_ASSERT_OK_AND_ASSIGN(auto rx, db->BeginRead());
  EXPECT_EQ(rx->NumNodes(), 2u);
  EXPECT_EQ(rx->NumEdges(), 1u);
  NENDB_ASSERT_OK_AND_ASSIGN(Node na, rx->GetNode(a));
  EXPECT_EQ(na.key, Key("alice"));
  ASSERT_EQ(na.properties.size(), 1u);
  EXPECT_EQ(na.properties[0].second, Value(30));
  NENDB_ASSERT_OK_AND_ASSIGN(Edge ed, rx->GetEdge(e));
  EXPECT_EQ(ed.source, a);
  EXPECT_EQ(ed.target, b);
  EXPECT_EQ(ed.weight, 2.0);
  EXPECT_EQ(ed.type, "KNOWS");
  ASSERT_EQ(ed.properties.size(), 1u);
  EXPECT_EQ(ed.properties[0], Property("since", Value(2020)));
  std::vector<NodeId> nbrs;
  NENDB_ASSERT_OK(rx->Neighbors(a, Direction::kOut, "", &nbrs));
  EXPECT_EQ(nbrs, std::vector<NodeId>{b});
  std::string report;
  NENDB_EXPECT_OK(db->Check(&report));
}

TEST(DatabaseTest, InMemoryDatabase) {
  NENDB_ASSERT_OK_AND_ASSIGN(auto db, Database::Open(":memory:"));
  NENDB_ASSERT_OK_AND_ASSIGN(auto tx, db->BeginWrite());
  NENDB_ASSERT_OK(tx->AddNode("X").status());
  NENDB_ASSERT_OK(tx->Commit());
  NENDB_ASSERT_OK(db->Checkpoint());
  NENDB_ASSERT_OK_AND_ASSIGN(auto rx, db->BeginRead());
  EXPECT_EQ(rx->NumNodes(), 1u);
  NENDB_ASSERT_OK(db->Close());
}

TEST(DatabaseTest, RefusesAFileOrAForeignDirectory) {
  ScratchDir dir;
  std::ofstream(dir.Sub("plain-file")) << "hello";
  EXPECT_ERROR_KIND(Database::Open(dir.Sub("plain-file")), kInvalidArgument);
  std::filesystem::create_directory(dir.Sub("photos"));
  std::ofstream(dir.Sub("photos/cat.jpg")) << "meow";
  EXPECT_ERROR_KIND(Database::Open(dir.Sub("photos")), kInvalidArgument);
  EXPECT_TRUE(std::filesystem::exists(dir.Sub("photos/cat.jpg")));
  // Nothing was written into the refused directory.
  EXPECT_EQ(std::distance(std::filesystem::directory_iterator(dir.Sub("photos")),
                          std::filesystem::directory_iterator()),
            1);
  EXPECT_ERROR_KIND(Database::Open(dir.Sub("photos")), kInvalidArgument);
}

TEST(DatabaseTest, MissingDatabase) {
  ScratchDir dir;
  Options ro;
  ro.read_only = true;
  EXPECT_ERROR_KIND(Database::Open(dir.Sub("nope"), ro), kNotFound);
  Options no_create;
  no_create.create_if_missing = false;
  EXPECT_ERROR_KIND(Database::Open(dir.Sub("nope"), no_create), kNotFound);
  EXPECT_FALSE(std::filesystem::exists(dir.Sub("nope")));
}

TEST(DatabaseTest, ErrorIfExists) {
  ScratchDir dir;
  { NENDB_ASSERT_OK(Database::Open(dir.Sub("db")).status()); }
  Options o;
  o.error_if_exists = true;
  EXPECT_FALSE(Database::Open(dir.Sub("db"), o).ok());
}

TEST(DatabaseTest, ReadOnlyHandleRefusesWrites) {
  ScratchDir dir;
  NENDB_ASSERT_OK_AND_ASSIGN(auto writer, Database::Open(dir.Sub("db")));
  {
    NENDB_ASSERT_OK_AND_ASSIGN(auto tx, writer->BeginWrite());
    NENDB_ASSERT_OK(tx->AddNode("A", Key(1)).status());
    NENDB_ASSERT_OK(tx->Commit());
  }
  NENDB_ASSERT_OK(writer->Checkpoint());
  Options ro;
  ro.read_only = true;
  NENDB_ASSERT_OK_AND_ASSIGN(auto reader, Database::Open(dir.Sub("db"), ro));
  EXPECT_ERROR_KIND(reader->BeginWrite(), kReadOnly);
  NENDB_ASSERT_OK_AND_ASSIGN(auto rx, reader->BeginRead());
  EXPECT_EQ(rx->NumNodes(), 1u);
}

TEST(DatabaseTest, CheckpointReplacesTheSnapshotFile) {
  ScratchDir dir;
  NENDB_ASSERT_OK_AND_ASSIGN(auto db, Database::Open(dir.Sub("db")));
  for (int round = 0; round < 3; ++round) {
    NENDB_ASSERT_OK_AND_ASSIGN(auto tx, db->BeginWrite());
    NENDB_ASSERT_OK(tx->AddNode("A", Key(round)).status());
    NENDB_ASSERT_OK(tx->Commit());
    NENDB_ASSERT_OK(db->Checkpoint());
  }
  int snapshots = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir.Sub("db"))) {
    const std::string name = entry.path().filename().string();
    if (name.rfind("snapshot-", 0) == 0) ++snapshots;
    EXPECT_EQ(name.find(".tmp"), std::string::npos) << name;
  }
  EXPECT_EQ(snapshots, 1);
  NENDB_ASSERT_OK_AND_ASSIGN(DatabaseStats st, db->Stats());
  EXPECT_EQ(st.num_nodes, 3u);
  EXPECT_EQ(st.snapshot_generation, 4u);  // the empty database was generation 1
  EXPECT_GT(st.snapshot_file_bytes, 0u);
}

// A commit whose log passes checkpoint_log_bytes checkpoints (or commits as
// the next snapshot) only once the log is also a quarter of the snapshot:
// large commits into a large database go through the log.
TEST(DatabaseTest, LargeCommitsCheckpointInProportionToTheSnapshot) {
  ScratchDir dir;
  Options o;
  o.checkpoint_log_bytes = 64 << 10;
  NENDB_ASSERT_OK_AND_ASSIGN(auto db, Database::Open(dir.Sub("db"), o));
  auto add = [&](int first, int count) {
    NENDB_ASSERT_OK_AND_ASSIGN(auto tx, db->BeginWrite());
    for (int i = first; i < first + count; ++i) {
      NENDB_ASSERT_OK(tx->AddNode("A", Key(i), {{"s", Value(std::string(40, 'x'))}}).status());
    }
    NENDB_ASSERT_OK(tx->Commit());
  };
  auto generation = [&] { return db->Stats().value().snapshot_generation; };
  add(0, 40000);  // logs megabytes into an empty database: a new snapshot
  const uint64_t big = generation();
  EXPECT_GT(big, 1u);
  EXPECT_GT(db->Stats().value().snapshot_file_bytes, 1u << 20);
  add(40000, 2000);  // past 64 KiB of log, far below a quarter of the snapshot
  EXPECT_EQ(generation(), big);
  EXPECT_GT(db->Stats().value().log_bytes, o.checkpoint_log_bytes);
  add(42000, 20000);  // now a quarter of it
  EXPECT_GT(generation(), big);
  NENDB_ASSERT_OK_AND_ASSIGN(auto rx, db->BeginRead());
  EXPECT_EQ(rx->NumNodes(), 62000u);
}

// Checkpoint reports the bytes it writes as it goes and can be cancelled,
// which leaves the previous snapshot and the log in charge.
TEST(DatabaseTest, CheckpointReportsProgressAndCanBeCancelled) {
  ScratchDir dir;
  NENDB_ASSERT_OK_AND_ASSIGN(auto db, Database::Open(dir.Sub("db")));
  std::vector<NodeId> src(300000), dst(300000);
  NENDB_ASSERT_OK(testing::WriteTxn(*db, [&](WriteTransaction& tx) -> absl::Status {
    NodeBatch nodes;
    nodes.labels = {"V"};
    nodes.count = 1000;
    NENDB_RETURN_IF_ERROR_FOR_TEST(tx.AddNodes(nodes, {}));
    for (size_t i = 0; i < src.size(); ++i) {
      src[i] = i % 1000;
      dst[i] = (i * 7) % 1000;
    }
    EdgeBatch edges;
    edges.sources = src;
    edges.targets = dst;
    edges.type = "E";
    return tx.AddEdges(edges, {});
  }));
  const uint64_t generation = db->Stats().value().snapshot_generation;
  std::vector<std::pair<uint64_t, uint64_t>> calls;
  absl::Status cancelled = db->Checkpoint([&](uint64_t done, uint64_t total) {
    calls.emplace_back(done, total);
    return false;
  });
  EXPECT_EQ(cancelled.code(), absl::StatusCode::kCancelled) << cancelled;
  ASSERT_EQ(calls.size(), 1u);
  EXPECT_EQ(db->Stats().value().snapshot_generation, generation);
  EXPECT_EQ(testing::Read(*db)->NumEdges(), src.size());
  calls.clear();
  NENDB_ASSERT_OK(db->Checkpoint([&](uint64_t done, uint64_t total) {
    calls.emplace_back(done, total);
    return true;
  }));
  ASSERT_GE(calls.size(), 2u);  // the snapshot is over 8 MiB
  for (size_t i = 0; i < calls.size(); ++i) {
    EXPECT_LE(calls[i].first, calls[i].second);
    if (i > 0) EXPECT_GT(calls[i].first, calls[i - 1].first);
  }
  const DatabaseStats st = db->Stats().value();
  EXPECT_EQ(st.snapshot_generation, generation + 1);
  EXPECT_LE(calls.back().first, st.snapshot_file_bytes);
  NENDB_ASSERT_OK(db->Close());
  NENDB_ASSERT_OK_AND_ASSIGN(auto again, Database::Open(dir.Sub("db")));
  EXPECT_EQ(testing::Read(*again)->NumEdges(), src.size());
}

// A closed handle that is still around does not tie its path to the
// directory it had: deleted and made again, the path opens afresh.
TEST(DatabaseTest, APathOpensAfreshAfterItsDirectoryWasDeleted) {
  ScratchDir dir;
  NENDB_ASSERT_OK_AND_ASSIGN(auto old, Database::Open(dir.Sub("db")));
  NENDB_ASSERT_OK(testing::WriteTxn(
      *old, [](WriteTransaction& tx) { return tx.AddNode("A", Key(1)).status(); }));
  NENDB_ASSERT_OK(old->Checkpoint());
  NENDB_ASSERT_OK(old->Close());
  std::filesystem::remove_all(dir.Sub("db"));
  NENDB_ASSERT_OK_AND_ASSIGN(auto fresh, Database::Open(dir.Sub("db")));
  EXPECT_EQ(testing::Read(*fresh)->NumNodes(), 0u);
  NENDB_ASSERT_OK(testing::WriteTxn(
      *fresh, [](WriteTransaction& tx) { return tx.AddNode("B", Key(2)).status(); }));
  NENDB_ASSERT_OK(fresh->Close());
  NENDB_ASSERT_OK_AND_ASSIGN(auto again, Database::Open(dir.Sub("db")));
  EXPECT_EQ(testing::Read(*again)->NumNodes(), 1u);
}

TEST(DatabaseTest, ReadTransactionOutlivesClose) {
  ScratchDir dir;
  NENDB_ASSERT_OK_AND_ASSIGN(auto db, Database::Open(dir.Sub("db")));
  {
    NENDB_ASSERT_OK_AND_ASSIGN(auto tx, db->BeginWrite());
    NENDB_ASSERT_OK(tx->AddNode("A", Key("k"), {{"v", "text"}}).status());
    NENDB_ASSERT_OK(tx->Commit());
  }
  NENDB_ASSERT_OK_AND_ASSIGN(auto rx, db->BeginRead());
  NENDB_ASSERT_OK(db->Close());
  EXPECT_ERROR_KIND(db->Stats(), kClosed);
  std::string report;
  EXPECT_ERROR_KIND(db->Check(&report), kClosed);
  EXPECT_ERROR_KIND(db->BeginRead(), kClosed);
  EXPECT_ERROR_KIND(db->BeginWrite(), kClosed);
  db.reset();
  NENDB_ASSERT_OK_AND_ASSIGN(Node n, rx->GetNode(0));
  EXPECT_EQ(n.properties[0].second, Value("text"));
}

TEST(DatabaseTest, WorksOnTheInMemoryEnv) {
  auto env = Env::NewMemEnv();
  Options o;
  o.env = env.get();
  {
    NENDB_ASSERT_OK_AND_ASSIGN(auto db, Database::Open("/db", o));
    NENDB_ASSERT_OK_AND_ASSIGN(auto tx, db->BeginWrite());
    NENDB_ASSERT_OK(tx->AddNode("A", Key("x"), {{"v", 1.5}}).status());
    NENDB_ASSERT_OK(tx->Commit());
  }
  NENDB_ASSERT_OK_AND_ASSIGN(auto db, Database::Open("/db", o));
  NENDB_ASSERT_OK_AND_ASSIGN(auto rx, db->BeginRead());
  NENDB_ASSERT_OK_AND_ASSIGN(NodeId id, rx->FindNode("A", Key("x")));
  NENDB_ASSERT_OK_AND_ASSIGN(Value v, rx->GetProperty(id, "v"));
  EXPECT_EQ(v, Value(1.5));
}

}  // namespace
}  // namespace nendb
