// Bulk inserts from borrowed columns.
#include <numeric>

#include "gtest/gtest.h"
#include "nendb/database.h"
#include "test_util.h"

namespace nendb {
namespace {

// Strings in the Arrow layout the bulk API takes.
struct Strings {
  explicit Strings(const std::vector<std::string>& v) {
    offsets.push_back(0);
    for (const auto& s : v) {
      bytes += s;
      offsets.push_back(bytes.size());
    }
  }
  StringColumn column() const { return StringColumn{offsets, bytes}; }
  std::vector<uint64_t> offsets;
  std::string bytes;
};

TEST(BulkOpsTest, NodesWithEveryColumnType) {
  auto db = Database::Open(":memory:").value();
  const size_t n = 1000;
  std::vector<int64_t> keys(n), ints(n);
  std::vector<double> doubles(n);
  std::vector<uint8_t> bools(n), valid(n);
  std::vector<float> vecs(n * 4);
  std::vector<std::string> names;
  for (size_t i = 0; i < n; ++i) {
    keys[i] = static_cast<int64_t>(i) * 10;
    ints[i] = -static_cast<int64_t>(i);
    doubles[i] = i * 0.5;
    bools[i] = i % 2;
    valid[i] = i % 3 != 0;
    for (int k = 0; k < 4; ++k) vecs[i * 4 + k] = i + k;
    names.push_back("name-" + std::to_string(i));
  }
  Strings s(names);
  NodeBatch batch;
  batch.labels = {"Item", "Thing"};
  batch.count = n;
  batch.keys.ints = keys;
  batch.properties.push_back(BulkColumn::Int64("i", ints));
  batch.properties.back().valid = valid;
  batch.properties.push_back(BulkColumn::Float64("d", doubles));
  batch.properties.push_back(BulkColumn::Bool("b", bools));
  batch.properties.push_back(BulkColumn::Vector("v", vecs, 4));
  batch.properties.push_back(BulkColumn::String("s", s.column()));
  std::vector<NodeId> ids(n);
  NENDB_ASSERT_OK(testing::WriteTxn(
      *db, [&](WriteTransaction& tx) { return tx.AddNodes(batch, absl::MakeSpan(ids)); }));
  auto rx = testing::Read(*db);
  EXPECT_EQ(rx->NumNodes(), n);
  for (size_t i : {size_t{0}, size_t{1}, size_t{2}, size_t{500}, n - 1}) {
    EXPECT_EQ(rx->FindNode("Thing", Key(keys[i])).value(), ids[i]);
    Node node = rx->GetNode(ids[i]).value();
    EXPECT_EQ(node.labels, (std::vector<std::string>{"Item", "Thing"}));
    PropertyMap want;
    if (valid[i]) want.emplace_back("i", ints[i]);
    want.emplace_back("d", doubles[i]);
    want.emplace_back("b", bools[i] == 1);
    want.emplace_back("v", std::vector<float>(vecs.begin() + 4 * i, vecs.begin() + 4 * i + 4));
    want.emplace_back("s", names[i]);
    EXPECT_EQ(node.properties, want) << i;
  }
  EXPECT_EQ(rx->NodesWithLabel("Item").value().size(), n);
}

TEST(BulkOpsTest, StringKeysAndEdges) {
  auto db = Database::Open(":memory:").value();
  Strings keys({"a", "b", "c", "d"});
  NodeBatch nodes;
  nodes.labels = {"V"};
  nodes.count = 4;
  nodes.keys.strings = keys.column();
  std::vector<NodeId> ids(4);
  std::vector<NodeId> src = {0, 0, 1, 2, 3};
  std::vector<NodeId> dst = {1, 2, 2, 3, 0};
  std::vector<double> w = {1, 2, 3, 4, 5};
  std::vector<int64_t> year = {2001, 2002, 2003, 2004, 2005};
  EdgeBatch edges;
  edges.sources = src;
  edges.targets = dst;
  edges.type = "E";
  edges.weights = w;
  edges.properties.push_back(BulkColumn::Int64("year", year));
  std::vector<EdgeId> eids(5);
  NENDB_ASSERT_OK(testing::WriteTxn(*db, [&](WriteTransaction& tx) {
    NENDB_RETURN_IF_ERROR_FOR_TEST(tx.AddNodes(nodes, absl::MakeSpan(ids)));
    return tx.AddEdges(edges, absl::MakeSpan(eids));
  }));
  auto rx = testing::Read(*db);
  EXPECT_EQ(rx->FindNode("V", Key("c")).value(), 2u);
  Edge e = rx->GetEdge(eids[3]).value();
  EXPECT_EQ(e.source, 2u);
  EXPECT_EQ(e.target, 3u);
  EXPECT_EQ(e.weight, 4.0);
  EXPECT_EQ(e.properties, (PropertyMap{{"year", int64_t{2004}}}));
  std::vector<NodeId> out;
  NENDB_ASSERT_OK(rx->Neighbors(0, Direction::kOut, "", &out));
  EXPECT_EQ(out, (std::vector<NodeId>{1, 2}));
}

TEST(BulkOpsTest, LargeEdgeBatchBuildsTheAdjacency) {
  auto db = Database::Open(":memory:").value();
  const uint64_t n = 10000, m = 100000;
  NodeBatch nodes;
  nodes.labels = {"V"};
  nodes.count = n;
  std::vector<NodeId> src(m), dst(m);
  for (uint64_t i = 0; i < m; ++i) {
    src[i] = (i * 7919) % n;
    dst[i] = (i * 104729 + 1) % n;
  }
  EdgeBatch edges;
  edges.sources = src;
  edges.targets = dst;
  edges.type = "E";
  NENDB_ASSERT_OK(testing::WriteTxn(*db, [&](WriteTransaction& tx) {
    NENDB_RETURN_IF_ERROR_FOR_TEST(tx.AddNodes(nodes, {}));
    return tx.AddEdges(edges, {});
  }));
  auto rx = testing::Read(*db);
  std::vector<uint64_t> out_deg(n), in_deg(n);
  for (uint64_t i = 0; i < m; ++i) {
    ++out_deg[src[i]];
    ++in_deg[dst[i]];
  }
  for (NodeId v : {0ul, 1ul, 4999ul, 9999ul}) {
    EXPECT_EQ(rx->Degree(v, Direction::kOut).value(), out_deg[v]);
    EXPECT_EQ(rx->Degree(v, Direction::kIn).value(), in_deg[v]);
  }
  std::string report;
  EXPECT_TRUE(db->Check(&report).ok()) << report;
}

// Large batches after the first extend the adjacency (or rebuild it, after
// a deletion or a small batch); every way lists each node's edges in id order.
TEST(BulkOpsTest, LargeBatchesIntoAGraphWithEdges) {
  auto db = Database::Open(":memory:").value();
  const uint64_t n = 3000, m = 20000;
  NodeBatch nodes;
  nodes.labels = {"V"};
  nodes.count = n + 2;  // the last two get edges only in the small batch
  std::vector<std::vector<NodeId>> want(n + 2);
  auto batch = [&](WriteTransaction& tx, uint64_t count, uint64_t salt, const char* type) {
    std::vector<NodeId> src(count), dst(count), ids(count);
    for (uint64_t i = 0; i < count; ++i) {
      src[i] = (i * 7919 + salt) % (count < 100 ? n + 2 : n);
      dst[i] = (i * 104729 + salt * 3) % n;
    }
    EdgeBatch edges;
    edges.sources = src;
    edges.targets = dst;
    edges.type = type;
    NENDB_RETURN_IF_ERROR_FOR_TEST(tx.AddEdges(edges, absl::MakeSpan(ids)));
    for (uint64_t i = 0; i < count; ++i) want[src[i]].push_back(dst[i]);
    return absl::OkStatus();
  };
  NENDB_ASSERT_OK(testing::WriteTxn(*db, [&](WriteTransaction& tx) {
    NENDB_RETURN_IF_ERROR_FOR_TEST(tx.AddNodes(nodes, {}));
    NENDB_RETURN_IF_ERROR_FOR_TEST(batch(tx, m, 1, "A"));
    return batch(tx, m, 2, "B");  // extends within the transaction
  }));
  NENDB_ASSERT_OK(testing::WriteTxn(*db, [&](WriteTransaction& tx) {
    return batch(tx, m, 3, "C");  // extends a committed base
  }));
  NENDB_ASSERT_OK(testing::WriteTxn(*db, [&](WriteTransaction& tx) {
    NENDB_RETURN_IF_ERROR_FOR_TEST(batch(tx, 50, 4, "D"));  // into the delta
    return batch(tx, m, 5, "E");  // so this one rebuilds
  }));
  auto rx = testing::Read(*db);
  ASSERT_EQ(rx->NumEdges(), 4 * m + 50);
  for (NodeId v : {0ul, 1ul, 1500ul, 2999ul, 3000ul, 3001ul}) {
    std::vector<NodeId> got;
    NENDB_ASSERT_OK(rx->Neighbors(v, Direction::kOut, "", &got));
    EXPECT_EQ(got, want[v]) << v;
  }
  std::string report;
  EXPECT_TRUE(db->Check(&report).ok()) << report;
}

TEST(BulkOpsTest, ABadRowChangesNothing) {
  auto db = Database::Open(":memory:").value();
  NENDB_ASSERT_OK(testing::WriteTxn(
      *db, [](WriteTransaction& tx) { return tx.AddNode("V", Key(5)).status(); }));
  auto tx = db->BeginWrite().value();
  std::vector<int64_t> keys = {1, 2, 5};  // 5 exists
  NodeBatch b;
  b.labels = {"V"};
  b.count = 3;
  b.keys.ints = keys;
  EXPECT_ERROR_KIND(tx->AddNodes(b, {}), kConstraint);
  keys = {1, 2, 2};
  EXPECT_ERROR_KIND(tx->AddNodes(b, {}), kConstraint);
  keys = {1, 2, 3};
  std::vector<double> short_col = {1.0, 2.0};
  b.properties.push_back(BulkColumn::Float64("x", short_col));
  EXPECT_ERROR_KIND(tx->AddNodes(b, {}), kInvalidArgument);
  b.properties.clear();
  std::vector<float> vec = {1, 2, NAN, 4};
  b.count = 2;
  keys = {1, 2};
  b.keys.ints = absl::MakeConstSpan(keys).subspan(0, 2);
  b.properties.push_back(BulkColumn::Vector("v", vec, 2));
  EXPECT_ERROR_KIND(tx->AddNodes(b, {}), kInvalidArgument);
  std::vector<NodeId> src = {0, 0}, dst = {0, 7};
  EdgeBatch e;
  e.sources = src;
  e.targets = dst;
  e.type = "E";
  EXPECT_ERROR_KIND(tx->AddEdges(e, {}), kNotFound);
  dst = {0, 0};
  std::vector<double> w = {1.0, NAN};
  e.weights = w;
  EXPECT_ERROR_KIND(tx->AddEdges(e, {}), kInvalidArgument);
  std::vector<EdgeId> wrong_size(5);
  e.weights = {};
  EXPECT_ERROR_KIND(tx->AddEdges(e, absl::MakeSpan(wrong_size)), kInvalidArgument);
  EXPECT_EQ(tx->NumNodes(), 1u);
  EXPECT_EQ(tx->NumEdges(), 0u);
  EXPECT_EQ(tx->Labels(), std::vector<std::string>{"V"});
  EXPECT_TRUE(tx->EdgeTypes().empty());
}

}  // namespace
}  // namespace nendb
