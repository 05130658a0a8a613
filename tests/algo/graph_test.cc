// Graph::Build: projections of a database version by label, edge type,
// direction and weight; the adjacency borrowed when it is the whole graph.
#include "algo/graph.h"

#include <vector>

#include "algo/generate.h"
#include "db/transactions.h"
#include "gtest/gtest.h"
#include "nendb/database.h"
#include "test_util.h"

namespace nendb::algo {
namespace {

// Arcs of every vertex as (target NodeId, weight) lists, by NodeId.
std::vector<std::vector<std::pair<NodeId, float>>> ArcsByNode(const Graph& g, bool in = false) {
  std::vector<std::vector<std::pair<NodeId, float>>> out(g.node_id_bound());
  const Arcs& a = in ? g.in() : g.out();
  for (Vid u = 0; u < g.num_vertices(); ++u) {
    for (uint64_t i = a.offsets[u]; i < a.offsets[u + 1]; ++i) {
      out[g.Node(u)].push_back({g.Node(a.targets[i]), a.weights ? a.weights[i] : 1.0f});
    }
  }
  return out;
}

class GraphTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = Database::Open(":memory:").value();
    NENDB_ASSERT_OK(testing::WriteTxn(*db_, [&](WriteTransaction& tx) -> absl::Status {
      for (int i = 0; i < 3; ++i) p_.push_back(tx.AddNode("Person", Key(i)).value());
      c_ = tx.AddNode("City", Key("paris")).value();
      tx.AddEdge(p_[0], p_[1], "KNOWS", 2.0, {{"cost", int64_t{7}}}).value();
      tx.AddEdge(p_[1], p_[2], "KNOWS", 3.0, {{"cost", int64_t{1}}}).value();
      tx.AddEdge(p_[2], p_[2], "KNOWS", 1.0, {{"cost", int64_t{4}}}).value();  // self-loop
      tx.AddEdge(p_[0], c_, "LIVES_IN").value();
      return absl::OkStatus();
    }));
  }
  absl::StatusOr<std::shared_ptr<const Graph>> Build(const Projection& p) {
    auto rx = db_->BeginRead().value();
    bool committed;
    return Graph::Build(*VersionOf(*rx, &committed), p, 2);
  }

  std::unique_ptr<Database> db_;
  std::vector<NodeId> p_;
  NodeId c_;
};

TEST_F(GraphTest, EverythingDirected) {
  NENDB_ASSERT_OK_AND_ASSIGN(auto g, Build({}));
  EXPECT_EQ(g->num_vertices(), 4u);
  EXPECT_EQ(g->num_arcs(), 4u);
  EXPECT_FALSE(g->weighted());
  auto out = ArcsByNode(*g);
  EXPECT_EQ(out[p_[0]].size(), 2u);
  EXPECT_EQ(out[p_[2]], (std::vector<std::pair<NodeId, float>>{{p_[2], 1.0f}}));
  auto in = ArcsByNode(*g, /*in=*/true);
  EXPECT_EQ(in[c_], (std::vector<std::pair<NodeId, float>>{{p_[0], 1.0f}}));
}

TEST_F(GraphTest, LabelsTypesAndDirection) {
  Projection p;
  p.labels = {"Person"};
  p.directed = false;
  NENDB_ASSERT_OK_AND_ASSIGN(auto g, Build(p));
  EXPECT_EQ(g->num_vertices(), 3u);
  EXPECT_EQ(g->VertexOf(c_), kNoVertex);  // not a Person: its edge is dropped too
  // 0-1 and 1-2 both ways, the self-loop once.
  EXPECT_EQ(g->num_arcs(), 5u);
  auto arcs = ArcsByNode(*g);
  EXPECT_EQ(arcs[p_[1]].size(), 2u);
  EXPECT_EQ(arcs[p_[2]].size(), 2u);
  p = {};
  p.edge_types = {"LIVES_IN"};
  NENDB_ASSERT_OK_AND_ASSIGN(g, Build(p));
  EXPECT_EQ(g->num_vertices(), 4u);
  EXPECT_EQ(g->num_arcs(), 1u);
}

TEST_F(GraphTest, WeightsFromTheFieldOrAProperty) {
  Projection p;
  p.edge_types = {"KNOWS"};
  p.weight = "weight";
  NENDB_ASSERT_OK_AND_ASSIGN(auto g, Build(p));
  EXPECT_EQ(ArcsByNode(*g)[p_[1]], (std::vector<std::pair<NodeId, float>>{{p_[2], 3.0f}}));
  EXPECT_EQ(ArcsByNode(*g, true)[p_[1]], (std::vector<std::pair<NodeId, float>>{{p_[0], 2.0f}}));
  p.weight = "cost";
  NENDB_ASSERT_OK_AND_ASSIGN(g, Build(p));
  EXPECT_EQ(ArcsByNode(*g)[p_[0]], (std::vector<std::pair<NodeId, float>>{{p_[1], 7.0f}}));
  EXPECT_EQ(ArcsByNode(*g)[p_[1]], (std::vector<std::pair<NodeId, float>>{{p_[2], 1.0f}}));
  // The LIVES_IN edge has no cost.
  p.edge_types = {};
  EXPECT_ERROR_KIND(Build(p), kInvalidArgument);
}

TEST_F(GraphTest, BadProjectionsAreErrors) {
  Projection p;
  p.labels = {"Nobody"};
  EXPECT_ERROR_KIND(Build(p), kNotFound);
  p = {};
  p.edge_types = {"NOPE"};
  EXPECT_ERROR_KIND(Build(p), kNotFound);
  p = {};
  p.weight = "no_such_property";
  EXPECT_ERROR_KIND(Build(p), kNotFound);
  // A NaN weight never gets in; a NaN property is refused as a weight.
  EXPECT_ERROR_KIND(
      testing::WriteTxn(*db_,
                        [&](WriteTransaction& tx) {
                          return tx.AddEdge(p_[1], p_[0], "KNOWS", std::nan("")).status();
                        }),
      kInvalidArgument);
  NENDB_ASSERT_OK(testing::WriteTxn(*db_, [&](WriteTransaction& tx) {
    return tx.AddEdge(p_[1], p_[0], "ROAD", 1.0, {{"km", std::nan("")}}).status();
  }));
  p = {};
  p.edge_types = {"ROAD"};
  p.weight = "km";
  auto nan = Build(p);
  EXPECT_ERROR_KIND(nan, kInvalidArgument);
  EXPECT_NE(nan.status().message().find("NaN"), absl::string_view::npos) << nan.status();
}

TEST_F(GraphTest, DeletedNodesAndEdgesAreGone) {
  NENDB_ASSERT_OK(testing::WriteTxn(
      *db_, [&](WriteTransaction& tx) { return tx.DeleteNode(p_[1], /*detach=*/true); }));
  NENDB_ASSERT_OK_AND_ASSIGN(auto g, Build({}));
  EXPECT_EQ(g->num_vertices(), 3u);
  EXPECT_EQ(g->VertexOf(p_[1]), kNoVertex);
  EXPECT_EQ(g->num_arcs(), 2u);  // the self-loop and LIVES_IN
  EXPECT_EQ(g->node_id_bound(), 4u);
}

TEST(GraphBorrowTest, ABulkLoadedCheckpointedGraphIsTheAdjacencyItself) {
  testing::ScratchDir dir;
  const EdgeList e = UniformRandom(1000, 5000, 1);
  {
    auto db = Database::Open(dir.Sub("db")).value();
    NENDB_ASSERT_OK(testing::WriteTxn(*db, [&](WriteTransaction& tx) -> absl::Status {
      NodeBatch nodes;
      nodes.labels = {"V"};
      nodes.count = e.vertices;
      std::vector<NodeId> ids(e.vertices);
      NENDB_RETURN_IF_ERROR_FOR_TEST(tx.AddNodes(nodes, absl::MakeSpan(ids)));
      std::vector<NodeId> s(e.sources.begin(), e.sources.end());
      std::vector<NodeId> t(e.targets.begin(), e.targets.end());
      EdgeBatch edges;
      edges.sources = s;
      edges.targets = t;
      edges.type = "E";
      return tx.AddEdges(edges, {});
    }));
    NENDB_ASSERT_OK(db->Checkpoint());
  }
  auto db = Database::Open(dir.Sub("db")).value();
  auto rx = db->BeginRead().value();
  bool committed;
  NENDB_ASSERT_OK_AND_ASSIGN(auto g, Graph::Build(*VersionOf(*rx, &committed), {}, 2));
  EXPECT_TRUE(g->borrowed());
  EXPECT_EQ(g->bytes(), 0u);
  // The same arcs as a graph built from the edge list.
  auto want = ToGraph(e, /*directed=*/true);
  ASSERT_EQ(g->num_arcs(), want->num_arcs());
  for (Vid u = 0; u < g->num_vertices(); ++u) {
    auto a = g->out().Targets(u), b = want->out().Targets(u);
    std::vector<Vid> x(a.begin(), a.end()), y(b.begin(), b.end());
    std::sort(x.begin(), x.end());
    std::sort(y.begin(), y.end());
    ASSERT_EQ(x, y) << u;
  }
  // Any projection builds its own.
  Projection undirected;
  undirected.directed = false;
  NENDB_ASSERT_OK_AND_ASSIGN(auto u, Graph::Build(*VersionOf(*rx, &committed), undirected, 2));
  EXPECT_FALSE(u->borrowed());
  auto want_u = ToGraph(e, /*directed=*/false);
  for (Vid v = 0; v < u->num_vertices(); ++v) {
    auto a = u->out().Targets(v), b = want_u->out().Targets(v);
    std::vector<Vid> x(a.begin(), a.end()), y(b.begin(), b.end());
    std::sort(x.begin(), x.end());
    std::sort(y.begin(), y.end());
    ASSERT_EQ(x, y) << v;
  }
  // Weighted from the bases too.
  Projection weighted;
  weighted.weight = "weight";
  NENDB_ASSERT_OK_AND_ASSIGN(auto w, Graph::Build(*VersionOf(*rx, &committed), weighted, 2));
  ASSERT_EQ(w->num_arcs(), e.sources.size());
  for (uint64_t i = 0; i < w->num_arcs(); ++i) ASSERT_EQ(w->out().weights[i], 1.0f);
  EXPECT_EQ(
      u->num_arcs(), 2 * e.sources.size() - [&] {
        uint64_t loops = 0;
        for (size_t i = 0; i < e.sources.size(); ++i) loops += e.sources[i] == e.targets[i];
        return loops;
      }());
}

}  // namespace
}  // namespace nendb::algo
