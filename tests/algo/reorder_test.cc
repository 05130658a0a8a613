// Degree ordering: the order, the reordered graph's arcs and weights by
// NodeId, and kernels giving the same results by NodeId on both graphs.
#include "algo/reorder.h"

#include <algorithm>
#include <cmath>
#include <vector>

#include "algo/bfs.h"
#include "algo/generate.h"
#include "algo/kcore.h"
#include "algo/pagerank.h"
#include "algo/scc.h"
#include "algo/sssp.h"
#include "algo/triangles.h"
#include "algo/wcc.h"
#include "gtest/gtest.h"
#include "test_util.h"

namespace nendb::algo {
namespace {

using NodeArcs = std::vector<std::vector<std::pair<NodeId, float>>>;

// Every vertex's arcs as sorted (NodeId, weight) lists, by NodeId.
NodeArcs ByNode(const Graph& g, bool in) {
  NodeArcs out(g.node_id_bound());
  const Arcs& a = in ? g.in() : g.out();
  for (Vid u = 0; u < g.num_vertices(); ++u) {
    auto& list = out[g.Node(u)];
    for (uint64_t i = a.offsets[u]; i < a.offsets[u + 1]; ++i) {
      list.push_back({g.Node(a.targets[i]), a.weights ? a.weights[i] : 1.0f});
    }
    std::sort(list.begin(), list.end());
  }
  return out;
}

uint64_t Degree(const Graph& g, Vid v) {
  return g.out().Degree(v) + (g.directed() ? g.in().Degree(v) : 0);
}

TEST(ReorderTest, DegreeOrderIsAPermutationByDecreasingDegree) {
  // A star whose centre 3 has more parallel arcs than there are vertices.
  std::vector<Vid> s, t;
  for (int i = 0; i < 20; ++i) s.push_back(3), t.push_back(static_cast<Vid>(i % 6));
  s.push_back(1), t.push_back(2);
  for (bool directed : {true, false}) {
    auto g = Graph::FromArcs(6, s, t, {}, directed);
    const std::vector<Vid> order = DegreeOrder(*g, 2);
    ASSERT_EQ(order.size(), 6u);
    EXPECT_EQ(order[0], 3u);
    std::vector<Vid> sorted = order;
    std::sort(sorted.begin(), sorted.end());
    for (Vid v = 0; v < 6; ++v) EXPECT_EQ(sorted[v], v);
    for (size_t i = 1; i < order.size(); ++i) {
      const uint64_t a = Degree(*g, order[i - 1]), b = Degree(*g, order[i]);
      EXPECT_TRUE(a > b || (a == b && order[i - 1] < order[i])) << i;
    }
  }
}

TEST(ReorderTest, TheReorderedGraphHasTheSameArcsAndWeightsByNode) {
  for (bool directed : {true, false}) {
    for (bool weighted : {false, true}) {
      auto g = ToGraph(Kronecker(10, 8, 3, weighted), directed);
      auto r = Reordered(*g, DegreeOrder(*g, 2), 2);
      ASSERT_EQ(r->num_vertices(), g->num_vertices());
      ASSERT_EQ(r->num_arcs(), g->num_arcs());
      EXPECT_EQ(r->weighted(), weighted);
      for (Vid u = 0; u < r->num_vertices(); ++u) ASSERT_EQ(r->VertexOf(r->Node(u)), u);
      EXPECT_EQ(Degree(*r, 0), Degree(*g, DegreeOrder(*g, 1)[0]));
      EXPECT_EQ(ByNode(*r, false), ByNode(*g, false)) << directed << weighted;
      // In-weights of a weighted directed graph are derived lazily from the
      // out-arcs, which needs the in-arcs sorted by (new) source.
      if (directed) {
        EXPECT_EQ(ByNode(*r, true), ByNode(*g, true)) << weighted;
      }
    }
  }
}

TEST(ReorderTest, KernelsGiveTheSameResultsByNode) {
  auto g = ToGraph(Kronecker(12, 16, 7, /*weighted=*/true), /*directed=*/false);
  auto r = Reordered(*g, DegreeOrder(*g, 2), 2);
  Control c;
  c.threads = 2;
  auto by_node = [](const Graph& x, auto values) {
    std::vector<typename decltype(values)::value_type> out(x.node_id_bound());
    for (Vid u = 0; u < x.num_vertices(); ++u) out[x.Node(u)] = values[u];
    return out;
  };
  const Vid source = 5;
  NENDB_ASSERT_OK_AND_ASSIGN(auto bfs_g, Bfs(*g, {source}, -1, c));
  NENDB_ASSERT_OK_AND_ASSIGN(auto bfs_r, Bfs(*r, {r->VertexOf(g->Node(source))}, -1, c));
  NENDB_EXPECT_OK(VerifyBfs(*r, {r->VertexOf(g->Node(source))}, -1, bfs_r));
  EXPECT_EQ(by_node(*r, bfs_r.depth), by_node(*g, bfs_g.depth));
  NENDB_ASSERT_OK_AND_ASSIGN(auto d_g, Sssp(*g, source, 0, c));
  NENDB_ASSERT_OK_AND_ASSIGN(auto d_r, Sssp(*r, r->VertexOf(g->Node(source)), 0, c));
  EXPECT_EQ(by_node(*r, d_r), by_node(*g, d_g));
  NENDB_ASSERT_OK_AND_ASSIGN(auto cores_g, CoreNumbers(*g, c));
  NENDB_ASSERT_OK_AND_ASSIGN(auto cores_r, CoreNumbers(*r, c));
  EXPECT_EQ(by_node(*r, cores_r), by_node(*g, cores_g));
  NENDB_ASSERT_OK_AND_ASSIGN(auto tri_g, Triangles(*g, c));
  NENDB_ASSERT_OK_AND_ASSIGN(auto tri_r, Triangles(*r, c));
  EXPECT_EQ(by_node(*r, tri_r.per_vertex), by_node(*g, tri_g.per_vertex));
  NENDB_ASSERT_OK_AND_ASSIGN(auto cc_r, Wcc(*r, c));
  NENDB_EXPECT_OK(VerifyComponents(*r, cc_r));
  NENDB_ASSERT_OK_AND_ASSIGN(auto pr_g, PageRank(*g, {}, c));
  NENDB_ASSERT_OK_AND_ASSIGN(auto pr_r, PageRank(*r, {}, c));
  const auto a = by_node(*r, pr_r.rank), b = by_node(*g, pr_g.rank);
  for (size_t i = 0; i < a.size(); ++i) ASSERT_NEAR(a[i], b[i], 1e-12) << i;
}

// Kernels that read only the topology never build a weighted directed
// graph's lazy in-weights (graph.h), which PageRank's pull does need.
TEST(ReorderTest, TopologyKernelsLeaveTheInWeightsUnbuilt) {
  auto g = ToGraph(Kronecker(10, 8, 3, /*weighted=*/true), /*directed=*/true);
  const uint64_t before = g->bytes();
  Control c;
  NENDB_ASSERT_OK(Bfs(*g, {1}, -1, c).status());
  NENDB_ASSERT_OK(Wcc(*g, c).status());
  NENDB_ASSERT_OK(Scc(*g, c).status());
  NENDB_ASSERT_OK(CoreNumbers(*g, c).status());
  NENDB_ASSERT_OK(Triangles(*g, c).status());
  Reordered(*g, DegreeOrder(*g, 2), 2);
  EXPECT_EQ(g->bytes(), before);
  NENDB_ASSERT_OK(PageRank(*g, {}, c).status());
  EXPECT_EQ(g->bytes(), before + 4 * g->num_arcs());
}

TEST(ReorderTest, WorthReorderingOnlyLargeGraphsWithoutLocality) {
  EXPECT_FALSE(WorthReordering(*ToGraph(Kronecker(12, 16, 1), false)));  // small
  EXPECT_TRUE(WorthReordering(*ToGraph(Kronecker(16, 8, 1), false)));    // ids scrambled
  // A 256 x 256 grid in row order: every arc joins ids at most 256 apart.
  std::vector<Vid> s, t;
  for (Vid y = 0; y < 256; ++y) {
    for (Vid x = 0; x < 256; ++x) {
      if (x + 1 < 256) s.push_back(y * 256 + x), t.push_back(y * 256 + x + 1);
      if (y + 1 < 256) s.push_back(y * 256 + x), t.push_back((y + 1) * 256 + x);
    }
  }
  EXPECT_FALSE(WorthReordering(*Graph::FromArcs(256 * 256, s, t, {}, false)));
}

}  // namespace
}  // namespace nendb::algo
