// Graph::Build: projections of a database version by label, edge type,
// direction and weight; the adjacency borrowed when it is the whole graph.
#include "algo/graph.h"

#include <algorithm>
#include <random>
#include <thread>
#include <tuple>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "algo/generate.h"
#include "algo/pagerank.h"
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

// The in-arcs a weighted directed graph must have: the stable transpose of
// its out-arcs, by target (so by source within a target, parallel arcs in
// out-arc order), as (target, source, weight) rows.
std::vector<std::tuple<Vid, Vid, float>> Transposed(const Graph& g) {
  std::vector<std::tuple<Vid, Vid, float>> rows;
  for (Vid u = 0; u < g.num_vertices(); ++u) {
    for (uint64_t i = g.out().offsets[u]; i < g.out().offsets[u + 1]; ++i) {
      rows.push_back({g.out().targets[i], u, g.out().weights[i]});
    }
  }
  std::stable_sort(rows.begin(), rows.end(),
                   [](const auto& a, const auto& b) { return std::get<0>(a) < std::get<0>(b); });
  return rows;
}

std::vector<std::tuple<Vid, Vid, float>> InRows(const Graph& g) {
  std::vector<std::tuple<Vid, Vid, float>> rows;
  const Arcs& in = g.in();
  for (Vid v = 0; v < g.num_vertices(); ++v) {
    for (uint64_t i = in.offsets[v]; i < in.offsets[v + 1]; ++i) {
      rows.push_back({v, in.targets[i], in.weights[i]});
    }
  }
  return rows;
}

// A database of random weighted edges between few nodes (many parallel
// edges with distinct weights, self-loops), loaded in bulk, then more edges
// one by one (the delta) and some deleted, with two weight sources: the
// edge weight and a "cost" property (float64 on E, int64 on F).
class WeightedGraphTest : public ::testing::Test {
 protected:
  struct Edge {
    NodeId source, target;
    std::string type;
    double weight, cost;
  };
  void SetUp() override {
    db_ = Database::Open(":memory:").value();
    std::mt19937_64 rng(7);
    std::vector<NodeId> nodes(kNodes);
    NENDB_ASSERT_OK(testing::WriteTxn(*db_, [&](WriteTransaction& tx) -> absl::Status {
      for (int i = 0; i < kNodes; ++i) {
        nodes[i] = tx.AddNode(i % 5 == 0 ? "W" : "V").value();
        if (i % 5 == 0) w_nodes_.insert(nodes[i]);
      }
      std::vector<NodeId> s(kBulk), t(kBulk);
      std::vector<double> w(kBulk), cost(kBulk);
      for (int i = 0; i < kBulk; ++i) {
        s[i] = nodes[rng() % kNodes];
        t[i] = nodes[rng() % kNodes];
        w[i] = 1 + i % 97;
        cost[i] = 0.5 + i;
        edges_.push_back({s[i], t[i], "E", w[i], cost[i]});
      }
      EdgeBatch batch;
      batch.sources = s;
      batch.targets = t;
      batch.weights = w;
      batch.type = "E";
      batch.properties.push_back(BulkColumn::Float64("cost", cost));
      ids_.resize(kBulk);
      return tx.AddEdges(batch, absl::MakeSpan(ids_));
    }));
    NENDB_ASSERT_OK(testing::WriteTxn(*db_, [&](WriteTransaction& tx) -> absl::Status {
      for (int i = 0; i < 200; ++i) {
        const bool e = i % 2 == 0;
        Edge edge{nodes[rng() % kNodes], nodes[rng() % kNodes], e ? "E" : "F", 2.0 + i, 1000.0 + i};
        PropertyMap props;
        if (e) {
          props = {{"cost", edge.cost}};
        } else {
          props = {{"cost", static_cast<int64_t>(edge.cost)}};
        }
        auto id = tx.AddEdge(edge.source, edge.target, edge.type, edge.weight, props);
        if (!id.ok()) return id.status();
        ids_.push_back(*id);
        edges_.push_back(edge);
      }
      // Deleted edges stay listed by the adjacency until its next rebuild.
      for (size_t i = 0; i < edges_.size(); i += 13) {
        NENDB_RETURN_IF_ERROR_FOR_TEST(tx.DeleteEdge(ids_[i]));
        edges_[i].type.clear();
      }
      return absl::OkStatus();
    }));
  }
  absl::StatusOr<std::shared_ptr<const Graph>> Build(const Projection& p, int threads) {
    auto rx = db_->BeginRead().value();
    bool committed;
    return Graph::Build(*VersionOf(*rx, &committed), p, threads);
  }
  // The out-arcs the projection must have, by source NodeId, sorted.
  std::vector<std::vector<std::pair<NodeId, float>>> Want(const Projection& p,
                                                          uint64_t node_id_bound) const {
    std::vector<std::vector<std::pair<NodeId, float>>> want(node_id_bound);
    for (const Edge& e : edges_) {
      if (e.type.empty()) continue;
      if (!p.edge_types.empty() && e.type != p.edge_types[0]) continue;
      if (!p.labels.empty() && (w_nodes_.contains(e.source) || w_nodes_.contains(e.target))) {
        continue;
      }
      want[e.source].push_back(
          {e.target, static_cast<float>(p.weight == "weight" ? e.weight : e.cost)});
    }
    for (auto& arcs : want) std::sort(arcs.begin(), arcs.end());
    return want;
  }

  static constexpr int kNodes = 40;
  static constexpr int kBulk = 3000;
  std::unique_ptr<Database> db_;
  std::vector<Edge> edges_;  // by creation; type "" once deleted
  std::vector<EdgeId> ids_;
  absl::flat_hash_set<NodeId> w_nodes_;  // labelled W, not V
};

TEST_F(WeightedGraphTest, InWeightsAreTheOutWeightsTransposed) {
  for (const char* weight : {"weight", "cost"}) {
    for (bool only_v : {false, true}) {
      for (bool only_e : {false, true}) {
        for (int threads : {1, 2}) {
          Projection p;
          p.weight = weight;
          if (only_v) p.labels = {"V"};
          if (only_e) p.edge_types = {"E"};
          SCOPED_TRACE(p.Key() + " threads " + std::to_string(threads));
          NENDB_ASSERT_OK_AND_ASSIGN(auto g, Build(p, threads));
          ASSERT_TRUE(g->weighted());
          auto out = ArcsByNode(*g);
          for (auto& arcs : out) std::sort(arcs.begin(), arcs.end());
          ASSERT_EQ(out, Want(p, g->node_id_bound()));
          ASSERT_EQ(InRows(*g), Transposed(*g));
        }
      }
    }
  }
}

TEST_F(WeightedGraphTest, AWeightedDirectedProjectionKeepsTwelveBytesPerEdge) {
  Projection p;
  p.weight = "weight";
  NENDB_ASSERT_OK_AND_ASSIGN(auto g, Build(p, 2));
  const uint64_t n = g->num_vertices(), m = g->num_arcs();
  ASSERT_GT(m, 10 * n);
  // Out-targets, out-weights and in-targets per edge; two offsets per vertex.
  const uint64_t offsets = 2 * 8 * (n + 1);
  EXPECT_EQ(g->bytes(), 12 * m + offsets);
  EXPECT_LE(static_cast<double>(g->bytes() - offsets) / m, 12.0);
  // The in-weights, once some kernel asks for them: 4 more.
  ASSERT_NE(g->in().weights, nullptr);
  EXPECT_EQ(g->bytes(), 16 * m + offsets);
  // Unweighted or undirected projections have no in-weights to add.
  p.weight = "";
  p.edge_types = {"E"};
  NENDB_ASSERT_OK_AND_ASSIGN(g, Build(p, 2));
  EXPECT_EQ(g->in().weights, nullptr);
  EXPECT_EQ(g->bytes(), 8 * g->num_arcs() + offsets);
}

TEST_F(WeightedGraphTest, ConcurrentFirstReadersShareOneBuildOfTheInWeights) {
  Projection p;
  p.weight = "cost";
  NENDB_ASSERT_OK_AND_ASSIGN(auto g, Build(p, 2));
  std::vector<const float*> seen(4);
  std::vector<std::thread> readers;
  for (int i = 0; i < 4; ++i) {
    readers.emplace_back([&, i] { seen[i] = g->in().weights; });
  }
  for (std::thread& t : readers) t.join();
  for (const float* w : seen) EXPECT_EQ(w, seen[0]);
  EXPECT_EQ(InRows(*g), Transposed(*g));
}

TEST_F(WeightedGraphTest, WeightedPageRankPullsTheRightInWeights) {
  for (const char* weight : {"weight", "cost"}) {
    Projection p;
    p.weight = weight;
    NENDB_ASSERT_OK_AND_ASSIGN(auto g, Build(p, 2));
    PageRankOptions o;
    o.tolerance = 1e-12;
    o.max_iterations = 1000;
    NENDB_ASSERT_OK_AND_ASSIGN(auto r, PageRank(*g, o, {2, nullptr}));
    // The verifier pushes along the out-arcs and their weights.
    NENDB_EXPECT_OK(VerifyPageRank(*g, o, r, 1e-10));
  }
}

TEST_F(WeightedGraphTest, WeightsThatAreNotNumbersAreErrors) {
  NENDB_ASSERT_OK(testing::WriteTxn(*db_, [&](WriteTransaction& tx) {
    return tx.AddEdge(edges_[0].source, edges_[0].target, "G", 1.0, {{"cost", std::string("high")}})
        .status();
  }));
  Projection p;
  p.weight = "cost";
  auto g = Build(p, 2);
  EXPECT_ERROR_KIND(g, kInvalidArgument);
  EXPECT_NE(g.status().message().find("int64 or float64"), absl::string_view::npos) << g.status();
  p.edge_types = {"E", "F"};
  NENDB_EXPECT_OK(Build(p, 2).status());
}

TEST(GraphFromArcsTest, WeightedDirectedInArcsAreTheOutArcsTransposed) {
  const EdgeList e = UniformRandom(50, 2000, 3, /*weighted=*/true);
  auto g = ToGraph(e, /*directed=*/true);
  EXPECT_EQ(g->bytes(), 12 * g->num_arcs() + 16 * (50 + 1));
  EXPECT_EQ(InRows(*g), Transposed(*g));
  // Unweighted graphs keep their in-arcs in input order.
  auto u = Graph::FromArcs(3, std::vector<Vid>{2, 0, 1}, std::vector<Vid>{1, 1, 1}, {}, true);
  auto in = u->in().Targets(1);
  EXPECT_EQ(std::vector<Vid>(in.begin(), in.end()), (std::vector<Vid>{2, 0, 1}));
}

}  // namespace
}  // namespace nendb::algo
