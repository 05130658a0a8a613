#include "algo/shortest_path.h"

#include <cmath>
#include <random>
#include <utility>

#include "algo/generate.h"
#include "algo/sssp.h"
#include "gtest/gtest.h"
#include "test_util.h"

namespace nendb::algo {
namespace {

using Path = std::vector<Vid>;

// 0 -> 1 -> 2 -> 3, 0 -> 4 -> 3, 5 -> 0, 6 alone.
std::shared_ptr<const Graph> Hops(bool directed) {
  const std::vector<Vid> s = {0, 1, 2, 0, 4, 5}, t = {1, 2, 3, 4, 3, 0};
  return Graph::FromArcs(7, s, t, {}, directed);
}

// 0 -4-> 1, 0 -1-> 2, 2 -2-> 1, 1 -1-> 3, 2 -5-> 3, 3 -3-> 4, 4 -1-> 0, 5 -1-> 4; 6 alone.
std::shared_ptr<const Graph> Weighted(bool directed) {
  const std::vector<Vid> s = {0, 0, 2, 1, 2, 3, 4, 5}, t = {1, 2, 1, 3, 3, 4, 0, 4};
  const std::vector<float> w = {4, 1, 2, 1, 5, 3, 1, 1};
  return Graph::FromArcs(7, s, t, w, directed);
}

// 0 -> 1 -> ... -> n - 1, every arc weighing 1 when weighted.
std::shared_ptr<const Graph> Line(Vid n, bool directed, bool weighted) {
  std::vector<Vid> s, t;
  for (Vid v = 0; v + 1 < n; ++v) {
    s.push_back(v);
    t.push_back(v + 1);
  }
  return Graph::FromArcs(n, s, t, weighted ? std::vector<float>(s.size(), 1) : std::vector<float>{},
                         directed);
}

// The path from `from` to `to`, which also passes the verifier.
Path PathOf(const Graph& g, Vid from, Vid to) {
  auto path = ShortestPath(g, from, to, {});
  EXPECT_TRUE(path.ok()) << path.status();
  if (!path.ok()) return {};
  NENDB_EXPECT_OK(VerifyPath(g, from, to, *path));
  return *path;
}

// Paths worked out by hand; each the only shortest one.
TEST(ShortestPathTest, GoldenPathsOnATinyUnweightedGraph) {
  auto g = Hops(true);
  EXPECT_EQ(PathOf(*g, 0, 3), (Path{0, 4, 3}));
  EXPECT_EQ(PathOf(*g, 5, 3), (Path{5, 0, 4, 3}));
  EXPECT_EQ(PathOf(*g, 1, 3), (Path{1, 2, 3}));
  EXPECT_EQ(PathOf(*g, 5, 2), (Path{5, 0, 1, 2}));
  EXPECT_EQ(PathOf(*g, 3, 0), Path{});  // against the arcs
  EXPECT_EQ(PathOf(*g, 0, 6), Path{});
  EXPECT_EQ(PathOf(*g, 6, 0), Path{});
  EXPECT_EQ(PathOf(*g, 2, 2), Path{2});
  EXPECT_EQ(PathOf(*g, 6, 6), Path{6});
  g = Hops(false);
  EXPECT_EQ(PathOf(*g, 3, 5), (Path{3, 4, 0, 5}));
  EXPECT_EQ(PathOf(*g, 2, 4), (Path{2, 3, 4}));
  EXPECT_EQ(PathOf(*g, 3, 0), (Path{3, 4, 0}));
  EXPECT_EQ(PathOf(*g, 6, 3), Path{});
  // Long enough for both sides to take several levels.
  g = Line(10, true, false);
  EXPECT_EQ(PathOf(*g, 0, 9), (Path{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}));
  EXPECT_EQ(PathOf(*g, 2, 5), (Path{2, 3, 4, 5}));
  EXPECT_EQ(PathOf(*g, 9, 0), Path{});
  g = Line(10, false, false);
  EXPECT_EQ(PathOf(*g, 8, 1), (Path{8, 7, 6, 5, 4, 3, 2, 1}));
}

TEST(ShortestPathTest, GoldenPathsOnATinyWeightedGraph) {
  auto g = Weighted(true);
  EXPECT_EQ(PathOf(*g, 0, 4), (Path{0, 2, 1, 3, 4}));     // 1 + 2 + 1 + 3 = 7
  EXPECT_EQ(PathOf(*g, 5, 3), (Path{5, 4, 0, 2, 1, 3}));  // 1 + 1 + 1 + 2 + 1 = 6
  EXPECT_EQ(PathOf(*g, 0, 1), (Path{0, 2, 1}));           // 3, not 4 straight
  EXPECT_EQ(PathOf(*g, 0, 5), Path{});
  EXPECT_EQ(PathOf(*g, 3, 3), Path{3});
  g = Weighted(false);
  EXPECT_EQ(PathOf(*g, 4, 2), (Path{4, 0, 2}));  // 2; by 3 it is 6 or 8
  EXPECT_EQ(PathOf(*g, 2, 3), (Path{2, 1, 3}));  // 3; straight or by 0 and 4, 5
  EXPECT_EQ(PathOf(*g, 5, 6), Path{});
  // 0 to 3 both ways has two paths of length 4: either will do.
  const Path p = PathOf(*g, 0, 3);
  EXPECT_TRUE(p == (Path{0, 2, 1, 3}) || p == (Path{0, 4, 3}));
}

TEST(ShortestPathTest, SelfLoopsParallelArcsAndZeroWeights) {
  // 0 -> 1 weighs 10 and 1 (in either order): the lighter wins over 0 -> 2
  // -> 1 (3 + 1). Zero-weight loops on 0 and 1 change nothing.
  for (bool light_first : {false, true}) {
    const std::vector<Vid> s = {0, 0, 0, 2, 0, 1}, t = {1, 1, 2, 1, 0, 1};
    std::vector<float> w = {10, 1, 3, 1, 0, 0};
    if (light_first) std::swap(w[0], w[1]);
    for (bool directed : {true, false}) {
      auto g = Graph::FromArcs(3, s, t, w, directed);
      EXPECT_EQ(PathOf(*g, 0, 1), (Path{0, 1}));
      EXPECT_EQ(PathOf(*g, 0, 0), Path{0});
    }
  }
  // Unweighted, parallel arcs and loops are just arcs.
  {
    const std::vector<Vid> s = {0, 0, 0, 1, 1}, t = {0, 1, 1, 1, 2};
    EXPECT_EQ(PathOf(*Graph::FromArcs(3, s, t, {}, true), 0, 2), (Path{0, 1, 2}));
  }
  // A zero-weight cycle on the way.
  {
    const std::vector<Vid> s = {0, 1, 2, 2}, t = {1, 2, 0, 3};
    const std::vector<float> w = {0, 0, 0, 1};
    auto g = Graph::FromArcs(4, s, t, w, true);
    EXPECT_EQ(PathOf(*g, 0, 3), (Path{0, 1, 2, 3}));
    EXPECT_EQ(PathOf(*g, 1, 0), (Path{1, 2, 0}));
  }
}

// A vertex with no arcs at all, if the graph has one.
Vid Isolated(const Graph& g) {
  for (Vid v = 0; v < g.num_vertices(); ++v) {
    if (g.out().Degree(v) == 0 && g.in().Degree(v) == 0) return v;
  }
  return 0;
}

// The vertex with the most out-arcs.
Vid Hub(const Graph& g) {
  Vid hub = 0;
  for (Vid v = 0; v < g.num_vertices(); ++v) {
    if (g.out().Degree(v) > g.out().Degree(hub)) hub = v;
  }
  return hub;
}

// Random pairs, pairs from and to a hub, and pairs with an isolated vertex, on Kronecker and
// uniform random graphs: the verifier agrees, and the lengths are Sssp's distances.
TEST(ShortestPathTest, AgreesWithTheVerifier) {
  const std::vector<EdgeList> inputs = {Kronecker(12, 16, 3, true), Kronecker(13, 16, 4),
                                        UniformRandom(20000, 60000, 7, true),
                                        UniformRandom(20000, 30000, 8)};
  std::mt19937 rng(5);
  for (const EdgeList& e : inputs) {
    for (bool directed : {true, false}) {
      auto g = ToGraph(e, directed);
      const Vid n = g->num_vertices();
      const Vid isolated = Isolated(*g);
      ASSERT_EQ(g->out().Degree(isolated), 0u);
      std::uniform_int_distribution<Vid> pick(0, n - 1);
      const Vid hub = Hub(*g);
      std::vector<std::pair<Vid, Vid>> pairs = {{isolated, 0}, {0, isolated}, {7, 7}};
      for (int k = 0; k < 3; ++k) {
        pairs.push_back({hub, pick(rng)});
        pairs.push_back({pick(rng), hub});
      }
      while (pairs.size() < 14) pairs.push_back({pick(rng), pick(rng)});
      int found = 0;
      for (const auto& [from, to] : pairs) {
        NENDB_ASSERT_OK_AND_ASSIGN(Path path, ShortestPath(*g, from, to, {}));
        NENDB_EXPECT_OK(VerifyPath(*g, from, to, path));
        NENDB_ASSERT_OK_AND_ASSIGN(auto dist, Sssp(*g, from, 0, {}));
        EXPECT_EQ(path.empty(), std::isinf(dist[to]));
        found += path.size() > 1;
      }
      EXPECT_GT(found, 0) << "no pair had a path";
    }
  }
}

TEST(ShortestPathTest, TheVerifierCatchesWrongAnswers) {
  auto g = Weighted(true);
  NENDB_EXPECT_OK(VerifyPath(*g, 0, 4, {0, 2, 1, 3, 4}));
  EXPECT_FALSE(VerifyPath(*g, 0, 4, {0, 1, 3, 4}).ok());     // 8: a path, not a shortest
  EXPECT_FALSE(VerifyPath(*g, 0, 4, {0, 2, 3, 4}).ok());     // 9
  EXPECT_FALSE(VerifyPath(*g, 0, 4, {0, 2, 1, 4}).ok());     // no arc 1 -> 4
  EXPECT_FALSE(VerifyPath(*g, 0, 4, {2, 1, 3, 4}).ok());     // does not start at 0
  EXPECT_FALSE(VerifyPath(*g, 0, 4, {0, 2, 1, 3}).ok());     // does not end at 4
  EXPECT_FALSE(VerifyPath(*g, 0, 4, {4, 3, 1, 2, 0}).ok());  // backwards
  EXPECT_FALSE(VerifyPath(*g, 0, 4, {}).ok());               // 4 is reachable
  EXPECT_FALSE(VerifyPath(*g, 0, 4, {0, 99, 4}).ok());
  EXPECT_FALSE(VerifyPath(*g, 0, 5, {0, 5}).ok());  // 5 is not reachable
  EXPECT_FALSE(VerifyPath(*g, 3, 3, {}).ok());
  EXPECT_FALSE(VerifyPath(*g, 3, 3, {3, 3}).ok());
  NENDB_EXPECT_OK(VerifyPath(*g, 3, 3, {3}));
  // Hops on a random graph: skipping a vertex, or the weighted length.
  auto h = ToGraph(Kronecker(12, 16, 3), true);
  const Vid hub = Hub(*h);
  Path path;
  for (Vid to = 0; path.size() < 4 && to < h->num_vertices(); ++to) {
    NENDB_ASSERT_OK_AND_ASSIGN(path, ShortestPath(*h, hub, to, {}));
  }
  ASSERT_GE(path.size(), 4u);
  NENDB_ASSERT_OK(VerifyPath(*h, path.front(), path.back(), path));
  Path wrong = path;
  wrong.erase(wrong.begin() + 1);
  EXPECT_FALSE(VerifyPath(*h, wrong.front(), wrong.back(), wrong).ok());
  wrong = path;
  wrong.insert(wrong.begin() + 1, wrong[1]);  // a vertex twice
  EXPECT_FALSE(VerifyPath(*h, wrong.front(), wrong.back(), wrong).ok());
}

TEST(ShortestPathTest, BadInputAndEmptyGraphs) {
  auto g = Hops(true);
  EXPECT_ERROR_KIND(ShortestPath(*g, 7, 0, {}), kInvalidArgument);
  EXPECT_ERROR_KIND(ShortestPath(*g, 0, 7, {}), kInvalidArgument);
  EXPECT_ERROR_KIND(ShortestPath(*g, kNoVertex, kNoVertex, {}), kInvalidArgument);
  EXPECT_ERROR_KIND(VerifyPath(*g, 0, 7, {}), kInvalidArgument);
  auto empty = Graph::FromArcs(0, {}, {}, {}, true);
  EXPECT_ERROR_KIND(ShortestPath(*empty, 0, 0, {}), kInvalidArgument);
  // Negative and NaN weights, even where the search would not go.
  const std::vector<Vid> s = {0, 1, 3}, t = {1, 2, 1};
  auto r = ShortestPath(*Graph::FromArcs(4, s, t, {1, 3, -2}, true), 0, 2, {});
  EXPECT_ERROR_KIND(r, kInvalidArgument);
  EXPECT_EQ(r.status().message(),
            "ShortestPath needs non-negative weights; edge weight -2 found on the arc 3 -> 1");
  EXPECT_ERROR_KIND(ShortestPath(*Graph::FromArcs(4, s, t, {1, 3, std::nanf("")}, false), 0, 0, {}),
                    kInvalidArgument);
  // Only isolated vertices.
  auto isolated = Graph::FromArcs(3, {}, {}, {}, true);
  EXPECT_EQ(PathOf(*isolated, 0, 2), Path{});
  EXPECT_EQ(PathOf(*isolated, 1, 1), Path{1});
}

TEST(ShortestPathTest, ProgressCanCancel) {
  for (bool weighted : {false, true}) {
    auto g = Line(5000, true, weighted);
    Control c;
    int calls = 0;
    c.progress = [&](double f) {
      EXPECT_GE(f, 0.0);
      EXPECT_LE(f, 1.0);
      return ++calls < 2;
    };
    EXPECT_ERROR_KIND(ShortestPath(*g, 0, 4999, c), kCancelled);
    EXPECT_EQ(calls, 2) << (weighted ? "Dijkstra" : "bidirectional BFS");
  }
}

}  // namespace
}  // namespace nendb::algo
