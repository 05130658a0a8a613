// Several processes on one database, within one test process: a second Env
// over the same files (NoSyncEnv forwards every call) gets its own
// coordinator, hence its own lock file (its own open file description, so
// real byte-lock conflicts) and reader slot, like another process. Real
// processes are in tests/crash/multiprocess_test.cc.
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <set>

#include "env/no_sync_env.h"
#include "gtest/gtest.h"
#include "nendb/algorithms.h"
#include "nendb/database.h"
#include "test_util.h"

namespace nendb {
namespace {

class ProcessesTest : public ::testing::Test {
 protected:
  // Process 0 uses the default Env, process 1 the other one.
  std::unique_ptr<Database> Open(int process, bool read_only = false,
                                 uint64_t checkpoint_log_bytes = uint64_t{64} << 20) {
    Options o;
    o.env = process == 0 ? Env::Default() : other_.get();
    o.read_only = read_only;
    o.busy_timeout = absl::Milliseconds(500);
    o.sync = SyncMode::kNormal;
    o.checkpoint_log_bytes = checkpoint_log_bytes;
    auto db = Database::Open(path_, o);
    EXPECT_TRUE(db.ok()) << db.status();
    return db.ok() ? std::move(*db) : nullptr;
  }
  static absl::Status Add(Database& db, int64_t key) {
    return testing::WriteTxn(db, [&](WriteTransaction& tx) {
      return tx.AddNode("N", Key(key), {{"k", key}}).status();
    });
  }
  static uint64_t Nodes(const Database& db) { return testing::Read(db)->NumNodes(); }
  std::set<uint64_t> Generations() {
    std::set<uint64_t> gens;
    for (const auto& e : std::filesystem::directory_iterator(path_)) {
      const std::string name = e.path().filename().string();
      if (name.rfind("snapshot-", 0) == 0 && name.size() == 25) {
        gens.insert(std::stoull(name.substr(9, 12)));
      }
    }
    return gens;
  }

  testing::ScratchDir dir_;
  const std::string path_ = dir_.Sub("db");
  std::unique_ptr<Env> other_ = NewNoSyncEnv(Env::Default());
};

TEST_F(ProcessesTest, WritersTakeTurnsAndSeeEachOthersCommits) {
  auto a = Open(0);
  auto b = Open(1);
  ASSERT_TRUE(Add(*a, 1).ok());
  EXPECT_EQ(Nodes(*b), 1u);  // b's next read sees a's commit
  auto tx = b->BeginWrite().value();
  ASSERT_TRUE(tx->AddNode("N", Key(2)).ok());
  auto busy = a->BeginWrite();  // waits for b's transaction, then gives up
  EXPECT_ERROR_KIND(busy, kBusy);
  EXPECT_NE(busy.status().message().find(absl::StrCat("pid ", ::getpid())), absl::string_view::npos)
      << busy.status();
  ASSERT_TRUE(tx->Commit().ok());
  // a writes after b, starting from b's commit.
  ASSERT_TRUE(testing::WriteTxn(*a, [](WriteTransaction& w) -> absl::Status {
                if (!w.FindNode("N", Key(2)).ok()) return absl::InternalError("b's node missing");
                return w.AddNode("N", Key(3)).status();
              }).ok());
  EXPECT_EQ(Nodes(*b), 3u);
  // Alternating writers continue one log: all of it is there after a reopen.
  for (int i = 4; i < 40; ++i) ASSERT_TRUE(Add(i % 2 ? *a : *b, i).ok());
  a.reset();
  b.reset();
  auto c = Open(0);
  EXPECT_EQ(Nodes(*c), 39u);
  std::string report;
  EXPECT_TRUE(c->Check(&report).ok()) << report;
}

TEST_F(ProcessesTest, AReaderFollowsCommitsAndCheckpointsButKeepsItsSnapshot) {
  auto w = Open(0);
  auto r = Open(1, /*read_only=*/true);
  auto held = r->BeginRead().value();
  EXPECT_EQ(held->NumNodes(), 0u);
  for (int i = 0; i < 50; ++i) {
    ASSERT_TRUE(Add(*w, i).ok());
    if (i % 10 == 9) {
      ASSERT_TRUE(w->Checkpoint().ok());
    }
    ASSERT_EQ(Nodes(*r), static_cast<uint64_t>(i + 1)) << i;
  }
  EXPECT_EQ(held->NumNodes(), 0u);  // the old read transaction still reads its snapshot
  EXPECT_EQ(r->Stats().value().snapshot_generation, w->Stats().value().snapshot_generation);
  EXPECT_EQ(r->Stats().value().processes, 2u);
  EXPECT_ERROR_KIND(r->BeginWrite(), kReadOnly);
}

// A reader catching up with a few commits appends their edges to its
// adjacency as the writer did, instead of rebuilding it from every edge of the
// graph (which took 160 ms per catch-up on 5M edges). Visible in neighbour
// order: a rebuild lists a node's edges by slot, appends list them in the
// order they came, and the new edge reuses a slot below the old one.
TEST_F(ProcessesTest, CatchingUpAppendsEdgesAsTheWriterDid) {
  auto w = Open(0);
  NodeId n[4];
  EdgeId first = kNoEdge;
  ASSERT_TRUE(testing::WriteTxn(*w, [&](WriteTransaction& tx) -> absl::Status {
                for (int i = 0; i < 4; ++i) n[i] = tx.AddNode("N", Key(i)).value();
                first = tx.AddEdge(n[0], n[1], "E").value();
                return tx.AddEdge(n[0], n[2], "E").status();
              }).ok());
  ASSERT_TRUE(
      testing::WriteTxn(*w, [&](WriteTransaction& tx) { return tx.DeleteEdge(first); }).ok());
  ASSERT_TRUE(w->Checkpoint().ok());  // frees the deleted edge's slot
  auto r = Open(1, /*read_only=*/true);
  EXPECT_EQ(testing::Read(*r)->NumEdges(), 1u);
  EdgeId reused = kNoEdge;
  ASSERT_TRUE(testing::WriteTxn(*w, [&](WriteTransaction& tx) -> absl::Status {
                auto e = tx.AddEdge(n[0], n[3], "E");
                if (e.ok()) reused = *e;
                return e.status();
              }).ok());
  // EdgeIds: the low 32 bits are the slot.
  ASSERT_EQ(uint32_t(reused), uint32_t(first)) << "the test needs the slot reused";
  std::vector<NodeId> in_writer, in_reader;
  ASSERT_TRUE(testing::Read(*w)->Neighbors(n[0], Direction::kOut, "", &in_writer).ok());
  ASSERT_TRUE(testing::Read(*r)->Neighbors(n[0], Direction::kOut, "", &in_reader).ok());
  EXPECT_EQ(in_writer, (std::vector<NodeId>{n[2], n[3]}));
  EXPECT_EQ(in_reader, in_writer);
}

TEST_F(ProcessesTest, PinnedGenerationsStayUntilTheReaderLetsGo) {
  auto w = Open(0, false, /*checkpoint_log_bytes=*/64 << 10);
  ASSERT_TRUE(Add(*w, -1).ok());
  ASSERT_TRUE(w->Checkpoint().ok());
  auto r = Open(1, /*read_only=*/true);
  auto held = r->BeginRead().value();
  const uint64_t pinned = r->Stats().value().snapshot_generation;
  // A long-lived reader across 10,000 commits and the checkpoints they cause.
  for (int i = 0; i < 10000; ++i) ASSERT_TRUE(Add(*w, i).ok());
  const std::set<uint64_t> while_held = Generations();
  EXPECT_TRUE(while_held.count(pinned)) << "the reader's snapshot was removed";
  EXPECT_GT(w->Stats().value().snapshot_generation, pinned + 5);
  EXPECT_EQ(held->NumNodes(), 1u);
  EXPECT_TRUE(held->FindNode("N", Key(int64_t{-1})).ok());
  held.reset();  // lets go
  ASSERT_TRUE(Add(*w, 10000).ok());
  ASSERT_TRUE(w->Checkpoint().ok());
  const std::set<uint64_t> after = Generations();
  EXPECT_EQ(after.size(), 1u) << "old generations stayed after the reader let go";
  EXPECT_EQ(Nodes(*r), 10002u);
}

// A projection file one process keeps is what another maps (damaged, it is
// what the other reports); a read-only process never writes one; the file
// stays while a reader of another process pins its generation.
TEST_F(ProcessesTest, AProjectionOneProcessKeepsIsMappedByAnother) {
  auto w = Open(0);
  ASSERT_TRUE(testing::WriteTxn(*w, [&](WriteTransaction& tx) -> absl::Status {
                std::vector<NodeId> n;
                for (int i = 0; i < 200; ++i) n.push_back(tx.AddNode("N").value());
                for (int i = 0; i < 600; ++i)
                  tx.AddEdge(n[(i * 7) % 200], n[(i * 13 + 1) % 200], "E").value();
                return tx.DeleteNode(n[199], /*detach=*/true);
              }).ok());
  ASSERT_TRUE(w->Checkpoint().ok());
  const uint64_t gen = w->Stats().value().snapshot_generation;
  auto graph_files = [&] {
    std::set<std::string> names;
    for (const auto& e : std::filesystem::directory_iterator(path_)) {
      const std::string name = e.path().filename().string();
      if (name.rfind("graph-", 0) == 0) names.insert(name);
    }
    return names;
  };
  BfsOptions undirected;
  undirected.graph.directed = false;
  auto r = Open(1, /*read_only=*/true);
  auto held = r->BeginRead().value();
  ASSERT_TRUE(Bfs(*held, {0}, undirected).ok());
  EXPECT_TRUE(graph_files().empty()) << "a read-only process wrote a projection file";
  const std::vector<int32_t> depths = Bfs(*testing::Read(*w), {0}, undirected).value().depth;
  ASSERT_EQ(graph_files().size(), 1u);
  const std::string name = *graph_files().begin(), file = path_ + "/" + name;
  auto damage = [&](char byte) {
    std::fstream f(file, std::ios::in | std::ios::out | std::ios::binary);
    f.seekg(std::filesystem::file_size(file) / 2);
    const char was = static_cast<char>(f.get());
    f.seekp(std::filesystem::file_size(file) / 2);
    f.put(byte);
    return was;
  };
  // Damaged, it is what a fresh snapshot of the other process reports: that
  // process maps the file instead of building the projection.
  const char was = damage('\x5a');
  ASSERT_NE(was, '\x5a');
  auto r2 = Open(1, /*read_only=*/true);
  EXPECT_EQ(ErrorKindOf(Bfs(*testing::Read(*r2), {0}, undirected).status()),
            ErrorKind::kCorruption);
  damage(was);
  r2 = Open(1, /*read_only=*/true);
  EXPECT_EQ(Bfs(*testing::Read(*r2), {0}, undirected).value().depth, depths);
  r2.reset();
  // The writer moves on; the reader's pin keeps gen's file.
  ASSERT_TRUE(Add(*w, 1).ok());
  ASSERT_TRUE(w->Checkpoint().ok());
  EXPECT_EQ(graph_files().count(name), 1u);
  EXPECT_EQ(Bfs(*held, {0}, undirected).value().depth, depths);
  held.reset();
  ASSERT_TRUE(Add(*w, 2).ok());
  ASSERT_TRUE(w->Checkpoint().ok());
  EXPECT_GT(w->Stats().value().snapshot_generation, gen + 1);
  EXPECT_TRUE(graph_files().empty());
}

TEST_F(ProcessesTest, HandlesOfOneProcessShareItsCoordination) {
  auto a = Open(0);
  auto b = Open(0);
  EXPECT_EQ(a->Stats().value().processes, 1u);
  ASSERT_TRUE(Add(*a, 1).ok());
  ASSERT_TRUE(Add(*b, 2).ok());
  EXPECT_EQ(Nodes(*a), 2u);
  // Closing one handle drops none of the other's locks.
  auto tx = a->BeginWrite().value();
  b.reset();
  auto other = Open(1);
  EXPECT_ERROR_KIND(other->BeginWrite(), kBusy);
  ASSERT_TRUE(tx->Commit().ok());
  EXPECT_TRUE(Add(*other, 3).ok());
}

TEST_F(ProcessesTest, UnrelatedOpensAndClosesOfItsFilesKeepTheLocks) {
  auto a = Open(0);
  auto tx = a->BeginWrite().value();
  // Code elsewhere in the process opening and closing the database's files
  // (classic POSIX record locks would all be dropped by the first close).
  for (const auto& e : std::filesystem::directory_iterator(path_)) {
    const int fd = ::open(e.path().c_str(), O_RDONLY);
    ASSERT_GE(fd, 0) << e.path();
    ::close(fd);
  }
  auto other = Open(1);
  EXPECT_ERROR_KIND(other->BeginWrite(), kBusy);
  ASSERT_TRUE(tx->AddNode("N", Key(1)).ok());
  ASSERT_TRUE(tx->Commit().ok());
  EXPECT_EQ(Nodes(*other), 1u);
}

TEST_F(ProcessesTest, AForkedChildMustOpenItsOwnHandle) {
  auto db = Open(0);
  ASSERT_TRUE(Add(*db, 1).ok());
  auto tx = db->BeginWrite().value();  // the parent holds the write lock across the fork
  ASSERT_TRUE(tx->AddNode("N", Key(2)).ok());
  const pid_t child = ::fork();
  if (child == 0) {
    // Not ASSERTs: the child reports through its exit code.
    int failures = 0;
    failures += ErrorKindOf(db->BeginRead().status()) != ErrorKind::kClosed;
    failures += ErrorKindOf(db->BeginWrite().status()) != ErrorKind::kClosed;
    failures += db->BeginRead().status().message().find("forked") == absl::string_view::npos;
    Options o;
    o.busy_timeout = absl::Milliseconds(50);
    auto own = Database::Open(path_, o);
    failures += !own.ok();
    if (own.ok()) {
      failures += testing::Read(**own)->NumNodes() != 1;
      // The parent's lock survives everything the child does.
      failures += ErrorKindOf((*own)->BeginWrite().status()) != ErrorKind::kBusy;
    }
    own = absl::UnknownError("");  // closes the child's handle
    db.reset();                    // the inherited handle goes without a trace
    _exit(failures);
  }
  int status = 0;
  ASSERT_EQ(::waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0) << "checks failed in the child";
  ASSERT_TRUE(tx->Commit().ok());  // the parent still holds its lock and log
  auto other = Open(1);
  EXPECT_EQ(Nodes(*other), 2u);
}

}  // namespace
}  // namespace nendb
