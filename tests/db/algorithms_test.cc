// nendb/algorithms.h through a database: results by NodeId, projections,
// bad sources, write transactions' own changes, snapshots kept apart.
#include "nendb/algorithms.h"

#include <cmath>
#include <random>

#include "gtest/gtest.h"
#include "nendb/database.h"
#include "test_util.h"

namespace nendb {
namespace {

class AlgorithmsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = Database::Open(":memory:").value();
    // Ids 0..4: a (Person) -> b (Person) -> c (City), d (Person) alone, and
    // e deleted, leaving a hole in the ids.
    NENDB_ASSERT_OK(testing::WriteTxn(*db_, [&](WriteTransaction& tx) -> absl::Status {
      a_ = tx.AddNode("Person", Key("a")).value();
      b_ = tx.AddNode("Person", Key("b")).value();
      c_ = tx.AddNode("City", Key("c")).value();
      d_ = tx.AddNode("Person", Key("d")).value();
      const NodeId e = tx.AddNode("Person", Key("e")).value();
      tx.AddEdge(a_, b_, "KNOWS").value();
      tx.AddEdge(b_, c_, "LIVES_IN").value();
      return tx.DeleteNode(e);
    }));
  }
  std::unique_ptr<Database> db_;
  NodeId a_, b_, c_, d_;
};

TEST_F(AlgorithmsTest, BfsByNodeId) {
  auto rx = testing::Read(*db_);
  NENDB_ASSERT_OK_AND_ASSIGN(BfsResult r, Bfs(*rx, {a_}));
  ASSERT_EQ(r.depth.size(), rx->NodeIdBound());
  EXPECT_EQ(r.depth[a_], 0);
  EXPECT_EQ(r.depth[b_], 1);
  EXPECT_EQ(r.depth[c_], 2);
  EXPECT_EQ(r.depth[d_], -1);
  EXPECT_EQ(r.depth[4], -1);  // the deleted node
  EXPECT_EQ(r.parent[c_], b_);
  EXPECT_EQ(r.parent[a_], a_);
  EXPECT_EQ(r.parent[d_], kNoNode);
  BfsOptions people;
  people.graph.labels = {"Person"};
  NENDB_ASSERT_OK_AND_ASSIGN(r, Bfs(*rx, {a_}, people));
  EXPECT_EQ(r.depth[c_], -1);  // not a Person
  EXPECT_ERROR_KIND(Bfs(*rx, {c_}, people), kNotFound);
  EXPECT_ERROR_KIND(Bfs(*rx, {4}), kNotFound);   // deleted
  EXPECT_ERROR_KIND(Bfs(*rx, {99}), kNotFound);  // never existed
  BfsOptions undirected;
  undirected.graph.directed = false;
  NENDB_ASSERT_OK_AND_ASSIGN(r, Bfs(*rx, {c_}, undirected));
  EXPECT_EQ(r.depth[a_], 2);
}

TEST_F(AlgorithmsTest, KHopNeighbourhoods) {
  auto rx = testing::Read(*db_);
  using Ids = std::vector<NodeId>;
  EXPECT_EQ(KHop(*rx, {a_}, 0).value(), Ids{});
  EXPECT_EQ(KHop(*rx, {a_}, 1).value(), Ids{b_});
  EXPECT_EQ(KHop(*rx, {a_}, 2).value(), (Ids{b_, c_}));
  EXPECT_EQ(KHop(*rx, {a_}, 9).value(), (Ids{b_, c_}));
  KHopOptions with;
  with.include_sources = true;
  EXPECT_EQ(KHop(*rx, {a_}, 0, with).value(), Ids{a_});
  EXPECT_EQ(KHop(*rx, {c_, d_}, 1, with).value(), (Ids{c_, d_}));
  KHopOptions undirected;
  undirected.graph.directed = false;
  EXPECT_EQ(KHop(*rx, {c_}, 1, undirected).value(), Ids{b_});
  EXPECT_EQ(KHop(*rx, {c_, a_}, 1, undirected).value(), Ids{b_});  // b is a neighbour of both
  EXPECT_ERROR_KIND(KHop(*rx, {a_}, -1), kInvalidArgument);
  EXPECT_ERROR_KIND(KHop(*rx, {4}, 1), kNotFound);  // deleted
}

TEST_F(AlgorithmsTest, PageRankAndComponentsByNodeId) {
  auto rx = testing::Read(*db_);
  NENDB_ASSERT_OK_AND_ASSIGN(PageRankResult pr, PageRank(*rx));
  ASSERT_EQ(pr.rank.size(), rx->NodeIdBound());
  EXPECT_EQ(pr.rank[4], 0.0);
  EXPECT_NEAR(pr.rank[a_] + pr.rank[b_] + pr.rank[c_] + pr.rank[d_], 1.0, 1e-9);
  EXPECT_GT(pr.rank[c_], pr.rank[b_]);
  EXPECT_GT(pr.rank[b_], pr.rank[a_]);
  PageRankOptions personal;
  personal.personalization.assign(rx->NodeIdBound(), 0.0);
  personal.personalization[d_] = 1;
  NENDB_ASSERT_OK_AND_ASSIGN(pr, PageRank(*rx, personal));
  EXPECT_NEAR(pr.rank[d_], 1.0, 1e-9);  // d has no edges: everything returns to it
  personal.personalization.pop_back();
  EXPECT_ERROR_KIND(PageRank(*rx, personal), kInvalidArgument);
  NENDB_ASSERT_OK_AND_ASSIGN(std::vector<NodeId> wcc, WeaklyConnectedComponents(*rx));
  EXPECT_EQ(wcc, (std::vector<NodeId>{a_, a_, a_, d_, kNoNode}));
}

TEST_F(AlgorithmsTest, EachSnapshotSeesItsOwnGraph) {
  auto before = testing::Read(*db_);
  NENDB_ASSERT_OK_AND_ASSIGN(BfsResult r, Bfs(*before, {a_}));  // builds and caches
  auto tx = db_->BeginWrite().value();
  ASSERT_TRUE(tx->AddEdge(c_, d_, "NEAR").ok());
  // A write transaction sees its own uncommitted edge...
  NENDB_ASSERT_OK_AND_ASSIGN(r, Bfs(*tx, {a_}));
  EXPECT_EQ(r.depth[d_], 3);
  NENDB_ASSERT_OK(tx->Commit());
  // ...the old snapshot still does not, the next one does.
  NENDB_ASSERT_OK_AND_ASSIGN(r, Bfs(*before, {a_}));
  EXPECT_EQ(r.depth[d_], -1);
  NENDB_ASSERT_OK_AND_ASSIGN(r, Bfs(*testing::Read(*db_), {a_}));
  EXPECT_EQ(r.depth[d_], 3);
}

TEST_F(AlgorithmsTest, PathsComponentsCoresAndTriangles) {
  NENDB_ASSERT_OK(testing::WriteTxn(*db_, [&](WriteTransaction& tx) -> absl::Status {
    tx.AddEdge(c_, a_, "ROAD", 5.0).value();  // closes a -> b -> c -> a
    return tx.AddEdge(a_, c_, "ROAD", 1.5).status();
  }));
  auto rx = testing::Read(*db_);
  NENDB_ASSERT_OK_AND_ASSIGN(std::vector<double> dist, ShortestDistances(*rx, a_));
  ASSERT_EQ(dist.size(), rx->NodeIdBound());
  EXPECT_EQ(dist[a_], 0.0);
  EXPECT_EQ(dist[b_], 1.0);
  EXPECT_EQ(dist[c_], 1.5);  // a -> c directly beats a -> b -> c (2.0)
  EXPECT_TRUE(std::isinf(dist[d_]));
  EXPECT_TRUE(std::isinf(dist[4]));
  NENDB_ASSERT_OK_AND_ASSIGN(std::vector<NodeId> path, ShortestPath(*rx, b_, a_));
  EXPECT_EQ(path, (std::vector<NodeId>{b_, c_, a_}));
  NENDB_ASSERT_OK_AND_ASSIGN(path, ShortestPath(*rx, a_, d_));
  EXPECT_TRUE(path.empty());
  NENDB_ASSERT_OK_AND_ASSIGN(std::vector<NodeId> scc, StronglyConnectedComponents(*rx));
  EXPECT_EQ(scc, (std::vector<NodeId>{a_, a_, a_, d_, kNoNode}));
  NENDB_ASSERT_OK_AND_ASSIGN(std::vector<int64_t> cores, CoreNumbers(*rx));
  EXPECT_EQ(cores[a_], 2);  // a-b, b-c, c-a twice, a-c: degrees 4, 2, 4 -> 2-core
  EXPECT_EQ(cores[d_], 0);
  EXPECT_EQ(cores[4], -1);
  NENDB_ASSERT_OK_AND_ASSIGN(TriangleCounts t, Triangles(*rx));
  EXPECT_EQ(t.total, 1u);
  EXPECT_EQ(t.triangles[b_], 1);
  EXPECT_EQ(t.clustering[a_], 1.0);
  EXPECT_EQ(t.clustering[d_], 0.0);
  EXPECT_TRUE(std::isnan(t.clustering[4]));
  // A negative weight is refused by SSSP, not by unweighted paths.
  NENDB_ASSERT_OK(testing::WriteTxn(
      *db_, [&](WriteTransaction& tx) { return tx.AddEdge(d_, a_, "ROAD", -1.0).status(); }));
  rx = testing::Read(*db_);
  EXPECT_ERROR_KIND(ShortestDistances(*rx, d_), kInvalidArgument);
  NENDB_ASSERT_OK_AND_ASSIGN(path, ShortestPath(*rx, d_, b_));
  EXPECT_EQ(path, (std::vector<NodeId>{d_, a_, b_}));
}

// A random graph on 3,000 nodes (ids 0.., some deleted) with parallel
// edges: results by NodeId must not depend on the vertex order.
TEST(AlgorithmsOrderTest, DegreeOrderGivesTheSameResultsByNode) {
  auto db = Database::Open(":memory:").value();
  std::mt19937_64 rng(5);
  std::vector<NodeId> n;
  NENDB_ASSERT_OK(testing::WriteTxn(*db, [&](WriteTransaction& tx) -> absl::Status {
    for (int i = 0; i < 3000; ++i) n.push_back(tx.AddNode("N").value());
    for (int i = 0; i < 9000; ++i) {
      tx.AddEdge(n[rng() % 2000], n[rng() % 3000], "E", double(1 + rng() % 9)).value();
    }
    for (int i = 0; i < 3000; i += 97) NENDB_RETURN_IF_ERROR_FOR_TEST(tx.DeleteNode(n[i], true));
    return absl::OkStatus();
  }));
  auto rx = testing::Read(*db);
  GraphProjection natural, degree;
  natural.order = VertexOrder::kNatural;
  degree.order = VertexOrder::kDegree;
  auto with = [](GraphProjection p, bool directed) {
    p.directed = directed;
    return p;
  };
  for (bool directed : {true, false}) {
    BfsOptions b1, b2;
    b1.graph = with(natural, directed), b2.graph = with(degree, directed);
    EXPECT_EQ(Bfs(*rx, {n[1]}, b1).value().depth, Bfs(*rx, {n[1]}, b2).value().depth);
    ComponentsOptions c1, c2;
    c1.graph = with(natural, directed), c2.graph = with(degree, directed);
    EXPECT_EQ(WeaklyConnectedComponents(*rx, c1).value(),
              WeaklyConnectedComponents(*rx, c2).value());
    EXPECT_EQ(StronglyConnectedComponents(*rx, c1).value(),
              StronglyConnectedComponents(*rx, c2).value());
    EXPECT_EQ(CoreNumbers(*rx, c1).value(), CoreNumbers(*rx, c2).value());
    EXPECT_EQ(Triangles(*rx, c1).value().triangles, Triangles(*rx, c2).value().triangles);
    SsspOptions s1, s2;
    s1.graph = with(natural, directed), s2.graph = with(degree, directed);
    s1.graph.weight = s2.graph.weight = "weight";
    EXPECT_EQ(ShortestDistances(*rx, n[1], s1).value(), ShortestDistances(*rx, n[1], s2).value());
    PageRankOptions p1, p2;
    p1.graph = with(natural, directed), p2.graph = with(degree, directed);
    p1.graph.weight = p2.graph.weight = "weight";
    const std::vector<double> r1 = PageRank(*rx, p1).value().rank,
                              r2 = PageRank(*rx, p2).value().rank;
    for (size_t i = 0; i < r1.size(); ++i) ASSERT_NEAR(r1[i], r2[i], 1e-12) << i;
  }
  // Communities may differ with the order, but are numbered by smallest
  // member either way.
  CommunityOptions o;
  o.graph = with(degree, false);
  NENDB_ASSERT_OK_AND_ASSIGN(Communities c, DetectCommunities(*rx, CommunityMethod::kLouvain, o));
  int64_t next = 0;
  for (int64_t label : c.community) {
    if (label < 0) continue;
    EXPECT_LE(label, next);
    next = std::max(next, label + 1);
  }
  EXPECT_GT(next, 1);
  NENDB_ASSERT_OK_AND_ASSIGN(double q, Modularity(*rx, c.community, o));
  EXPECT_NEAR(q, c.modularity, 1e-9);
}

TEST(AlgorithmsCommunityTest, TwoTrianglesAndTheirBridge) {
  auto db = Database::Open(":memory:").value();
  std::vector<NodeId> n;
  NENDB_ASSERT_OK(testing::WriteTxn(*db, [&](WriteTransaction& tx) -> absl::Status {
    for (int i = 0; i < 6; ++i) n.push_back(tx.AddNode("N").value());
    for (auto [a, b] : {std::pair{0, 1}, {1, 2}, {2, 0}, {3, 4}, {4, 5}, {5, 3}, {2, 3}}) {
      tx.AddEdge(n[a], n[b], "E").value();
    }
    return absl::OkStatus();
  }));
  auto rx = testing::Read(*db);
  for (CommunityMethod m : {CommunityMethod::kLouvain, CommunityMethod::kLeiden}) {
    NENDB_ASSERT_OK_AND_ASSIGN(Communities c, DetectCommunities(*rx, m));
    EXPECT_EQ(c.community, (std::vector<int64_t>{0, 0, 0, 1, 1, 1}));
    EXPECT_NEAR(c.modularity, 5.0 / 14, 1e-12);  // 2 * (3/7 - (7/14)^2)
  }
  NENDB_ASSERT_OK_AND_ASSIGN(Communities lp,
                             DetectCommunities(*rx, CommunityMethod::kLabelPropagation));
  EXPECT_EQ(lp.community.size(), 6u);
  const std::vector<int64_t> split = {7, 7, 7, 9, 9, 9};
  NENDB_ASSERT_OK_AND_ASSIGN(double q, Modularity(*rx, split));
  EXPECT_NEAR(q, 5.0 / 14, 1e-12);
  EXPECT_ERROR_KIND(Modularity(*rx, std::vector<int64_t>{1, 2}), kInvalidArgument);
  BetweennessOptions undirected;
  undirected.graph.directed = false;
  NENDB_ASSERT_OK_AND_ASSIGN(std::vector<double> b, Betweenness(*rx, undirected));
  // 2 and 3 carry the 9 pairs across the bridge, plus nothing inside.
  EXPECT_EQ(b, (std::vector<double>{0, 0, 6, 6, 0, 0}));
}

TEST_F(AlgorithmsTest, ProgressCancels) {
  auto rx = testing::Read(*db_);
  PageRankOptions o;
  o.run.progress = [](double) { return false; };
  EXPECT_ERROR_KIND(PageRank(*rx, o), kCancelled);
}

}  // namespace
}  // namespace nendb
