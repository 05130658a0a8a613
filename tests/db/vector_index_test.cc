// Vector indexes through a database: created by a transaction (and gone
// with its rollback), searched by Knn with recall@10 >= 0.95 against the
// exact answer; updates, deletes and inserts show at once and after they are
// folded in; the index survives commit, checkpoint, reopening and kill -9,
// and opening reads it from its file (Repair replaces a damaged one);
// filters return only allowed nodes and exactly k; int8 and Hamming
// indexes keep their definitions and files across reopening; bad
// definitions are refused with the right error kinds.
#include "nendb/vector_index.h"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <random>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "db/files.h"
#include "fuzz/fuzz_util.h"
#include "gtest/gtest.h"
#include "nendb/database.h"
#include "nendb/errors.h"
#include "test_util.h"

namespace nendb {
namespace {

constexpr uint32_t kDim = 16;
constexpr int kNodes = 12000;

// Points around 30 centres, as embeddings cluster.
std::vector<float> Clustered(int n, uint64_t seed) {
  std::mt19937_64 rng(seed), centre_rng(3);
  std::normal_distribution<float> pick(0.0f, 1.0f);
  std::vector<float> centres(30 * kDim);
  for (float& c : centres) c = 3.0f * pick(centre_rng);
  std::vector<float> v(size_t(n) * kDim);
  for (int i = 0; i < n; ++i) {
    const uint64_t c = rng() % 30;
    for (uint32_t d = 0; d < kDim; ++d) v[i * kDim + d] = centres[c * kDim + d] + pick(rng);
  }
  return v;
}

std::vector<float> Row(const std::vector<float>& v, int i) {
  return std::vector<float>(v.begin() + i * kDim, v.begin() + (i + 1) * kDim);
}

class VectorIndexTest : public ::testing::Test {
 protected:
  std::unique_ptr<Database> Open() {
    Options o;
    o.threads = 2;
    auto db = Database::Open(dir_.Sub("db"), o);
    EXPECT_TRUE(db.ok()) << db.status();
    return std::move(db).value();
  }
  // kNodes Docs with embeddings and a few Notes, then a cosine index on Doc.
  void Fill(Database& db) {
    data_ = Clustered(kNodes, 1);
    NENDB_ASSERT_OK(testing::WriteTxn(db, [&](WriteTransaction& tx) -> absl::Status {
      NodeBatch b;
      b.labels = {"Doc"};
      b.count = kNodes;
      BulkColumn e;
      e.name = "embedding";
      e.type = ValueType::kVector;
      e.dim = kDim;
      e.floats = data_;
      b.properties.push_back(std::move(e));
      ids_.resize(kNodes);
      NENDB_RETURN_IF_ERROR_FOR_TEST(tx.AddNodes(b, absl::MakeSpan(ids_)));
      for (int i = 0; i < 20; ++i) {
        NENDB_RETURN_IF_ERROR_FOR_TEST(
            tx.AddNode("Note", Key(i), {{"embedding", Value(Row(data_, i))}}).status());
      }
      return absl::OkStatus();
    }));
    NENDB_ASSERT_OK(testing::WriteTxn(db, [&](WriteTransaction& tx) {
      return tx.CreateVectorIndex(VectorIndexSpec{.label = "Doc"});
    }));
  }
  // Mean recall@10 of the index against exact search, over 50 queries.
  double Recall(Database& db, const KnnOptions& base = {}, bool through_index = true) {
    const std::vector<float> queries = Clustered(50, 2);
    auto rx = testing::Read(db);
    KnnOptions o = base;
    auto got = Knn(*rx, queries, kDim, 10, o);
    o.exact = true;
    auto truth = Knn(*rx, queries, kDim, 10, o);
    EXPECT_TRUE(got.ok() && truth.ok()) << got.status() << truth.status();
    if (!got.ok() || !truth.ok()) return 0;
    EXPECT_EQ(got->indexed_tables, through_index ? 1u : 0u);
    EXPECT_EQ(truth->indexed_tables, 0u);
    double found = 0;
    for (int q = 0; q < 50; ++q) {
      absl::flat_hash_set<NodeId> t(truth->ids.begin() + q * 10, truth->ids.begin() + q * 10 + 10);
      for (int j = 0; j < 10; ++j) found += t.contains(got->ids[q * 10 + j]);
    }
    return found / 500;
  }
  VectorIndexInfo Info(Database& db) {
    auto list = ListVectorIndexes(*testing::Read(db));
    EXPECT_EQ(list.size(), 1u);
    return list.empty() ? VectorIndexInfo() : list[0];
  }
  // The nearest node to q by the index.
  std::pair<NodeId, float> Nearest(const ReadTransaction& rx, const std::vector<float>& q) {
    auto r = Knn(rx, q, kDim, 1);
    EXPECT_TRUE(r.ok()) << r.status();
    return r.ok() ? std::make_pair(r->ids[0], r->distances[0]) : std::make_pair(kNoNode, 0.0f);
  }

  // The names of the vector index files in the database directory.
  std::vector<std::string> IndexFiles() {
    std::vector<std::string> out;
    const std::vector<std::string> names = Env::Default()->ListDir(dir_.Sub("db")).value();
    for (const std::string& name : names) {
      bool tmp = false;
      if (ParseIndexFileName(name, &tmp) != 0 && !tmp) out.push_back(name);
    }
    return out;
  }
  // Flips a byte in the middle of a file of the database.
  void Damage(const std::string& name) {
    const std::string path = dir_.Sub("db") + "/" + name;
    std::string bytes = fuzz::ReadFile(Env::Default(), path).value();
    bytes[bytes.size() / 2] ^= 0x40;
    NENDB_ASSERT_OK(Env::Default()->DeleteFile(path));
    NENDB_ASSERT_OK(fuzz::WriteFile(Env::Default(), path, bytes));
  }

  testing::ScratchDir dir_;
  std::vector<float> data_;
  std::vector<NodeId> ids_;
};

TEST_F(VectorIndexTest, TheIndexAnswersWithHighRecall) {
  auto db = Open();
  Fill(*db);
  VectorIndexInfo info = Info(*db);
  EXPECT_EQ(info.spec.label, "Doc");
  EXPECT_EQ(info.spec.metric, VectorMetric::kCosine);
  EXPECT_EQ(info.dim, kDim);
  EXPECT_EQ(info.indexed, uint64_t(kNodes));  // the Notes are another label's
  EXPECT_EQ(info.pending, 0u);
  EXPECT_GT(info.memory_bytes, uint64_t(kNodes) * 4 * 33);
  EXPECT_GE(Recall(*db), 0.95);
  KnnOptions l2;
  l2.metric = VectorMetric::kL2;  // no index of this metric: exact
  auto r = Knn(*testing::Read(*db), Row(data_, 5), kDim, 3, l2);
  NENDB_ASSERT_OK(r.status());
  EXPECT_EQ(r->indexed_tables, 0u);
}

TEST_F(VectorIndexTest, ChangesShowAtOnceAndAfterTheyAreFoldedIn) {
  auto db = Open();
  Fill(*db);
  // One update: a vector far from everything is found where it went.
  std::vector<float> far(kDim, 0.0f);
  far[0] = 100.0f;
  far[1] = -100.0f;
  NENDB_ASSERT_OK(testing::WriteTxn(*db, [&](WriteTransaction& tx) -> absl::Status {
    NENDB_RETURN_IF_ERROR_FOR_TEST(tx.SetProperty(ids_[7], "embedding", Value(far)));
    // The transaction sees its own change.
    EXPECT_EQ(Nearest(tx, far).first, ids_[7]);
    return absl::OkStatus();
  }));
  EXPECT_EQ(Info(*db).pending, 1u);
  EXPECT_EQ(Nearest(*testing::Read(*db), far).first, ids_[7]);
  // A deleted node is never returned; its old vector finds another node.
  NENDB_ASSERT_OK(
      testing::WriteTxn(*db, [&](WriteTransaction& tx) { return tx.DeleteNode(ids_[9]); }));
  auto [nearest, d] = Nearest(*testing::Read(*db), Row(data_, 9));
  EXPECT_NE(nearest, ids_[9]);
  // Enough changes to fold: 1500 nodes get new vectors, 500 are deleted and
  // 500 added (reusing the deleted ones' rows).
  const std::vector<float> fresh = Clustered(2000, 4);
  std::vector<NodeId> added;
  NENDB_ASSERT_OK(testing::WriteTxn(*db, [&](WriteTransaction& tx) -> absl::Status {
    for (int i = 0; i < 1500; ++i) {
      NENDB_RETURN_IF_ERROR_FOR_TEST(
          tx.SetProperty(ids_[1000 + i], "embedding", Value(Row(fresh, i))));
    }
    for (int i = 0; i < 500; ++i) NENDB_RETURN_IF_ERROR_FOR_TEST(tx.DeleteNode(ids_[5000 + i]));
    for (int i = 0; i < 500; ++i) {
      added.push_back(tx.AddNode("Doc", {}, {{"embedding", Value(Row(fresh, 1500 + i))}}).value());
    }
    return absl::OkStatus();
  }));
  VectorIndexInfo info = Info(*db);
  EXPECT_EQ(info.pending, 0u);  // folded
  EXPECT_EQ(info.indexed, uint64_t(kNodes) - 1 - 500 + 500);
  EXPECT_GE(Recall(*db), 0.95);
  auto rx = testing::Read(*db);
  EXPECT_EQ(Nearest(*rx, far).first, ids_[7]);
  for (int i = 0; i < 1500; i += 150) EXPECT_EQ(Nearest(*rx, Row(fresh, i)).first, ids_[1000 + i]);
  for (int i = 0; i < 500; i += 50) EXPECT_EQ(Nearest(*rx, Row(fresh, 1500 + i)).first, added[i]);
  auto all = Knn(*rx, Clustered(20, 5), kDim, 10);
  NENDB_ASSERT_OK(all.status());
  // Only live nodes; a deleted one only where an added node took its id.
  absl::flat_hash_set<NodeId> reused(added.begin(), added.end());
  for (NodeId id : all->ids) {
    EXPECT_TRUE(rx->HasNode(id));
    if (id == ids_[9] || (id >= ids_[5000] && id < ids_[5500])) {
      EXPECT_TRUE(reused.contains(id));
    }
  }
}

TEST_F(VectorIndexTest, FiltersReturnOnlyAllowedNodesAndExactlyK) {
  auto db = Open();
  Fill(*db);
  auto rx = testing::Read(*db);
  const std::vector<float> queries = Clustered(10, 6);
  // Every other Doc (half: through the graph), then 30 of them (exact).
  for (size_t every : {2u, 400u}) {
    KnnOptions o;
    o.nodes.emplace();
    absl::flat_hash_set<NodeId> allowed;
    for (size_t i = 0; i < ids_.size(); i += every) {
      o.nodes->push_back(ids_[i]);
      allowed.insert(ids_[i]);
    }
    NENDB_ASSERT_OK_AND_ASSIGN(KnnResult r, Knn(*rx, queries, kDim, 10, o));
    EXPECT_EQ(r.indexed_tables, every == 2 ? 1u : 0u);
    for (NodeId id : r.ids) EXPECT_TRUE(allowed.contains(id)) << id;
    EXPECT_GE(Recall(*db, o, every == 2), 0.9) << every;
  }
  // By label: the Notes hold 20 vectors, exactly.
  KnnOptions notes;
  notes.labels = {"Note"};
  NENDB_ASSERT_OK_AND_ASSIGN(KnnResult r, Knn(*rx, queries, kDim, 20, notes));
  for (NodeId id : r.ids) EXPECT_GT(id, ids_.back());
}

TEST_F(VectorIndexTest, TheIndexSurvivesReopeningCheckpointsAndAKill) {
  {
    auto db = Open();
    Fill(*db);
  }
  {
    auto db = Open();  // closed with a checkpoint, or replayed from the log
    EXPECT_EQ(Info(*db).indexed, uint64_t(kNodes));
    EXPECT_GE(Recall(*db), 0.95);
    NENDB_ASSERT_OK(db->Checkpoint());
    EXPECT_GE(Recall(*db), 0.95);
  }
  // A process that commits changes and dies by SIGKILL loses none of them.
  std::vector<float> far(kDim, 0.0f);
  far[2] = 50.0f;
  const pid_t child = ::fork();
  if (child == 0) {
    Options o;
    o.threads = 1;
    auto db = Database::Open(dir_.Sub("db"), o);
    if (!db.ok()) _exit(2);
    auto tx = (*db)->BeginWrite();
    if (!tx.ok() || !(*tx)->SetProperty(ids_[11], "embedding", Value(far)).ok() ||
        !(*tx)->DeleteNode(ids_[12]).ok() || !(*tx)->Commit().ok()) {
      _exit(3);
    }
    ::raise(SIGKILL);
  }
  int status = 0;
  ASSERT_EQ(::waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFSIGNALED(status)) << "child exited with " << WEXITSTATUS(status);
  auto db = Open();
  auto rx = testing::Read(*db);
  EXPECT_FALSE(rx->HasNode(ids_[12]));
  EXPECT_EQ(Nearest(*rx, far).first, ids_[11]);
  EXPECT_NE(Nearest(*rx, Row(data_, 12)).first, ids_[12]);
  EXPECT_EQ(Info(*db).indexed + Info(*db).pending >= uint64_t(kNodes) - 1, true);
  EXPECT_GE(Recall(*db), 0.95);
}

TEST_F(VectorIndexTest, OpeningReadsTheIndexFileAndRepairReplacesADamagedOne) {
  std::vector<std::vector<float>> moved;
  {
    auto db = Open();
    Fill(*db);
    // Ten updates stay pending (below the fold threshold): the file keeps
    // them beside the graph, which a graph built at open would not have.
    NENDB_ASSERT_OK(testing::WriteTxn(*db, [&](WriteTransaction& tx) -> absl::Status {
      for (int i = 0; i < 10; ++i) {
        moved.push_back(std::vector<float>(kDim, 0.0f));
        moved.back()[i] = 40.0f;
        NENDB_RETURN_IF_ERROR_FOR_TEST(tx.SetProperty(ids_[i], "embedding", Value(moved.back())));
      }
      return absl::OkStatus();
    }));
    NENDB_ASSERT_OK(db->Checkpoint());
    EXPECT_EQ(Info(*db).pending, 10u);
  }
  ASSERT_EQ(IndexFiles().size(), 1u);
  {
    auto db = Open();
    EXPECT_EQ(Info(*db).pending, 10u);
    EXPECT_EQ(Info(*db).indexed, uint64_t(kNodes));  // the updated rows are in it too
    EXPECT_EQ(Nearest(*testing::Read(*db), moved[3]).first, ids_[3]);
    EXPECT_GE(Recall(*db), 0.95);
    std::string report;
    NENDB_EXPECT_OK(db->Check(&report));
    // Damage under an open database: `check` finds it.
    Damage(IndexFiles()[0]);
    const absl::Status s = db->Check(&report);
    EXPECT_EQ(ErrorKindOf(s), ErrorKind::kCorruption) << s;
    EXPECT_NE(report.find("vector index file"), std::string::npos) << report;
  }
  // Opening refuses the damaged file, naming it; Repair builds the index again.
  auto failed = Database::Open(dir_.Sub("db"));
  ASSERT_FALSE(failed.ok());
  EXPECT_EQ(ErrorKindOf(failed.status()), ErrorKind::kCorruption);
  EXPECT_EQ(CorruptionFile(failed.status()), dir_.Sub("db") + "/" + IndexFiles()[0]);
  NENDB_ASSERT_OK(Database::Repair(dir_.Sub("db")).status());
  ASSERT_EQ(IndexFiles().size(), 1u);
  {
    auto db = Open();
    EXPECT_EQ(Info(*db).pending, 0u);
    EXPECT_EQ(Nearest(*testing::Read(*db), moved[3]).first, ids_[3]);
    EXPECT_GE(Recall(*db), 0.95);
  }
  // A lost file is built again at open, and written again.
  NENDB_ASSERT_OK(Env::Default()->DeleteFile(dir_.Sub("db") + "/" + IndexFiles()[0]));
  {
    auto db = Open();
    EXPECT_GE(Recall(*db), 0.95);
  }
  EXPECT_EQ(IndexFiles().size(), 1u);
}

// A reader process beside the writer reads the index from its file, answers
// as the writer does, and sees the writer's later commits (pending rows, then
// folded ones) at its next read.
TEST_F(VectorIndexTest, AReaderProcessSearchesTheIndexAndSeesNewCommits) {
  auto db = Open();
  Fill(*db);
  NENDB_ASSERT_OK(db->Checkpoint());
  const std::vector<float> queries = Clustered(20, 4);
  const KnnResult mine = Knn(*testing::Read(*db), queries, kDim, 10).value();
  std::vector<float> far(kDim, 0.0f);
  far[5] = 60.0f;
  int to_child[2], to_parent[2];
  ASSERT_EQ(::pipe(to_child), 0);
  ASSERT_EQ(::pipe(to_parent), 0);
  const pid_t child = ::fork();
  if (child == 0) {
    Options o;
    o.threads = 1;
    o.read_only = true;
    auto reader = Database::Open(dir_.Sub("db"), o);
    if (!reader.ok()) _exit(2);
    auto r = Knn(*testing::Read(**reader), queries, kDim, 10);
    const bool same = r.ok() && r->ids == mine.ids && r->indexed_tables == 1;
    char byte = same ? 'y' : 'n';
    if (::write(to_parent[1], &byte, 1) != 1 || ::read(to_child[0], &byte, 1) != 1) _exit(3);
    // The writer moved node 5 far away and committed.
    auto moved = Knn(*testing::Read(**reader), far, kDim, 1);
    byte = moved.ok() && moved->ids[0] == ids_[5] ? 'y' : 'n';
    if (::write(to_parent[1], &byte, 1) != 1) _exit(4);
    _exit(0);
  }
  char byte = 0;
  ASSERT_EQ(::read(to_parent[0], &byte, 1), 1);
  EXPECT_EQ(byte, 'y') << "the reader's answers differ from the writer's";
  NENDB_ASSERT_OK(testing::WriteTxn(
      *db, [&](WriteTransaction& tx) { return tx.SetProperty(ids_[5], "embedding", Value(far)); }));
  ASSERT_EQ(::write(to_child[1], "g", 1), 1);
  ASSERT_EQ(::read(to_parent[0], &byte, 1), 1);
  EXPECT_EQ(byte, 'y') << "the reader did not see the moved vector";
  int status = 0;
  ASSERT_EQ(::waitpid(child, &status, 0), child);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << status;
  for (int fd : {to_child[0], to_child[1], to_parent[0], to_parent[1]}) ::close(fd);
}

// The fraction of hits no farther than the exact k-th (Hamming distances
// tie: 16-bit codes of 12000 nodes hold many copies of each code, which the
// graph must not make islands of).
double HammingRecall(const ReadTransaction& rx) {
  const std::vector<float> queries = Clustered(50, 4);
  KnnOptions o;
  o.labels = {"Doc"};
  o.metric = VectorMetric::kHamming;
  auto got = Knn(rx, queries, kDim, 10, o);
  o.exact = true;
  auto truth = Knn(rx, queries, kDim, 10, o);
  EXPECT_TRUE(got.ok() && truth.ok()) << got.status() << truth.status();
  if (!got.ok() || !truth.ok()) return 0;
  EXPECT_EQ(got->indexed_tables, 1u);
  double good = 0;
  for (int q = 0; q < 50; ++q) {
    for (int j = 0; j < 10; ++j) good += got->distances[q * 10 + j] <= truth->distances[q * 10 + 9];
  }
  return good / 500;
}

TEST_F(VectorIndexTest, Int8AndHammingIndexesSurviveReopeningAndCheckpoints) {
  auto db = Open();
  Fill(*db);
  NENDB_ASSERT_OK(testing::WriteTxn(*db, [&](WriteTransaction& tx) -> absl::Status {
    NENDB_RETURN_IF_ERROR_FOR_TEST(tx.CreateVectorIndex(
        {.label = "Doc", .metric = VectorMetric::kL2, .quantization = VectorQuantization::kInt8}));
    return tx.CreateVectorIndex({.label = "Doc", .metric = VectorMetric::kHamming});
  }));
  KnnOptions l2;
  l2.metric = VectorMetric::kL2;
  // Reopened from the log (the definitions replayed), then from a checkpoint
  // (the catalog and the index files read).
  for (int round = 0; round < 3; ++round) {
    if (round == 2) NENDB_ASSERT_OK(db->Checkpoint());
    if (round > 0) {
      db.reset();
      db = Open();
    }
    const std::vector<VectorIndexInfo> list = ListVectorIndexes(*testing::Read(*db));
    ASSERT_EQ(list.size(), 3u);
    EXPECT_EQ(list[1].spec.quantization, VectorQuantization::kInt8);
    EXPECT_EQ(list[1].spec.metric, VectorMetric::kL2);
    EXPECT_EQ(list[2].spec.quantization, VectorQuantization::kNone);
    EXPECT_EQ(list[2].spec.metric, VectorMetric::kHamming);
    EXPECT_EQ(list[1].indexed, uint64_t(kNodes));
    // The same graph arrays but for cosine's inverse norms, and the codes: a
    // byte per component, and the ranges.
    EXPECT_EQ(list[1].memory_bytes,
              list[0].memory_bytes - 4 * uint64_t(kNodes) + uint64_t(kNodes) * kDim + 8 * kDim);
    EXPECT_GE(Recall(*db, l2), 0.95) << "round " << round;
    // Distances are exact: the nearest to a stored vector is itself, at 0.
    auto r = Knn(*testing::Read(*db), Row(data_, 77), kDim, 1, l2);
    NENDB_ASSERT_OK(r.status());
    EXPECT_EQ(r->ids[0], ids_[77]);
    EXPECT_EQ(r->distances[0], 0.0f);
    EXPECT_GE(HammingRecall(*testing::Read(*db)), 0.95) << "round " << round;
  }
  EXPECT_EQ(IndexFiles().size(), 3u);
  std::string report;
  NENDB_EXPECT_OK(db->Check(&report));
}

TEST_F(VectorIndexTest, DefinitionsAreCheckedAndRolledBack) {
  auto db = Open();
  Fill(*db);
  auto tx = db->BeginWrite().value();
  EXPECT_ERROR_KIND(tx->CreateVectorIndex({.label = "Nope"}), kNotFound);
  EXPECT_ERROR_KIND(tx->CreateVectorIndex({.label = "Doc", .property = "missing"}), kNotFound);
  ASSERT_TRUE(tx->AddNode("Doc", Key(1), {{"title", Value("x")}}).ok());
  EXPECT_ERROR_KIND(tx->CreateVectorIndex({.label = "Doc", .property = "title"}), kInvalidArgument);
  EXPECT_ERROR_KIND(tx->CreateVectorIndex({.label = "Doc", .m = 1}), kInvalidArgument);
  EXPECT_ERROR_KIND(tx->CreateVectorIndex({.label = "Doc", .m = 16, .ef_construction = 4}),
                    kInvalidArgument);
  EXPECT_ERROR_KIND(tx->CreateVectorIndex({.label = "Doc"}), kConstraint);
  EXPECT_ERROR_KIND(tx->CreateVectorIndex({.label = "Doc",
                                           .metric = VectorMetric::kHamming,
                                           .quantization = VectorQuantization::kInt8}),
                    kInvalidArgument);
  EXPECT_ERROR_KIND(tx->DropVectorIndex("Doc", "embedding", VectorMetric::kL2), kNotFound);
  // An index of another metric, then a rollback: only the committed one stays.
  ASSERT_TRUE(tx->CreateVectorIndex({.label = "Doc", .metric = VectorMetric::kL2}).ok());
  tx->Rollback();
  EXPECT_EQ(ListVectorIndexes(*testing::Read(*db)).size(), 1u);
  // Dropped: searches are exact again, and it stays dropped after reopening.
  NENDB_ASSERT_OK(testing::WriteTxn(*db, [&](WriteTransaction& w) {
    return w.DropVectorIndex("Doc", "embedding", VectorMetric::kCosine);
  }));
  EXPECT_TRUE(ListVectorIndexes(*testing::Read(*db)).empty());
  db.reset();
  db = Open();
  EXPECT_TRUE(ListVectorIndexes(*testing::Read(*db)).empty());
  auto r = Knn(*testing::Read(*db), Row(data_, 0), kDim, 5);
  NENDB_ASSERT_OK(r.status());
  EXPECT_EQ(r->indexed_tables, 0u);
}

}  // namespace
}  // namespace nendb
