#include "algo/sssp.h"

#include <cmath>
#include <limits>

#include "algo/generate.h"
#include "gtest/gtest.h"
#include "test_util.h"

namespace nendb::algo {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

// 0 -4-> 1, 0 -1-> 2, 2 -2-> 1, 1 -1-> 3, 2 -5-> 3, 3 -3-> 4, 4 -1-> 0, 5 -1-> 4; 6 alone.
std::shared_ptr<const Graph> Tiny(bool directed, bool weighted) {
  const std::vector<Vid> s = {0, 0, 2, 1, 2, 3, 4, 5}, t = {1, 2, 1, 3, 3, 4, 0, 4};
  const std::vector<float> w = {4, 1, 2, 1, 5, 3, 1, 1};
  return Graph::FromArcs(7, s, t, weighted ? w : std::vector<float>{}, directed);
}

// Dijkstra (one thread), then Δ-stepping on two threads with the given deltas.
void ExpectDistances(const Graph& g, Vid source, const std::vector<double>& want,
                     const std::vector<double>& deltas = {0.5, 1, 2, 3, 100, 1e-9, 1e-300}) {
  Control one;
  one.threads = 1;
  NENDB_ASSERT_OK_AND_ASSIGN(auto dist, Sssp(g, source, 0, one));
  EXPECT_EQ(dist, want) << "Dijkstra from " << source;
  NENDB_EXPECT_OK(VerifySssp(g, source, dist));
  Control two;
  two.threads = 2;
  for (double delta : deltas) {
    NENDB_ASSERT_OK_AND_ASSIGN(dist, Sssp(g, source, delta, two));
    EXPECT_EQ(dist, want) << "delta " << delta << " from " << source;
  }
}

// Distances worked out by hand on the drawing above.
TEST(SsspTest, GoldenDistancesOnATinyWeightedGraph) {
  // 0 -> 2 (1) -> 1 (3) -> 3 (4) -> 4 (7); 0 -> 1 directly costs 4.
  ExpectDistances(*Tiny(true, true), 0, {0, 3, 1, 4, 7, kInf, kInf});
  // 5 -> 4 (1) -> 0 (2) -> 2 (3) -> 1 (5) -> 3 (6).
  ExpectDistances(*Tiny(true, true), 5, {2, 5, 3, 6, 1, 0, kInf});
  ExpectDistances(*Tiny(true, true), 6, {kInf, kInf, kInf, kInf, kInf, kInf, 0});
  // Both ways: 0 - 4 (1) - 5 (2); 3 is 4 by 0 2 1 3 and by 0 4 3.
  ExpectDistances(*Tiny(false, true), 0, {0, 3, 1, 4, 1, 2, kInf});
  ExpectDistances(*Tiny(false, true), 3, {4, 1, 3, 0, 3, 4, kInf});
}

TEST(SsspTest, GoldenDistancesOnATinyUnweightedGraph) {
  // Every arc weighs 1: hops.
  ExpectDistances(*Tiny(true, false), 0, {0, 1, 1, 2, 3, kInf, kInf});
  ExpectDistances(*Tiny(true, false), 5, {2, 3, 3, 4, 1, 0, kInf});
  ExpectDistances(*Tiny(false, false), 3, {2, 1, 1, 0, 1, 2, kInf});
}

TEST(SsspTest, SelfLoopsParallelArcsAndZeroWeights) {
  // 0 -> 1 three times (5, 2, 7), loops 0 -> 0 (1) and 1 -> 1 (0), 1 -> 2
  // twice (3, 1): the lighter arcs win, loops change nothing.
  {
    const std::vector<Vid> s = {0, 0, 0, 0, 1, 1, 1}, t = {1, 1, 1, 0, 1, 2, 2};
    const std::vector<float> w = {5, 2, 7, 1, 0, 3, 1};
    ExpectDistances(*Graph::FromArcs(3, s, t, w, true), 0, {0, 2, 3});
    ExpectDistances(*Graph::FromArcs(3, s, t, w, false), 2, {3, 1, 0});
  }
  // A zero-weight cycle 0 -> 1 -> 2 -> 0 and a fractional arc 2 -> 3.
  {
    const std::vector<Vid> s = {0, 1, 2, 2}, t = {1, 2, 0, 3};
    const std::vector<float> w = {0, 0, 0, 2.5};
    ExpectDistances(*Graph::FromArcs(4, s, t, w, true), 1, {0, 0, 0, 2.5});
  }
  // Only zero weights, and an infinite one, which is never taken.
  {
    const std::vector<Vid> s = {0, 1, 0}, t = {1, 2, 3};
    const std::vector<float> w = {0, 0, std::numeric_limits<float>::infinity()};
    ExpectDistances(*Graph::FromArcs(4, s, t, w, true), 0, {0, 0, 0, kInf});
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

// Kronecker and uniform random graphs, weighted and not, directed and
// undirected, on 1 thread (Dijkstra) and 2 (Δ-stepping): the verifier agrees.
TEST(SsspTest, AgreesWithTheVerifier) {
  const std::vector<EdgeList> inputs = {Kronecker(12, 16, 3, true), Kronecker(14, 16, 5, true),
                                        UniformRandom(60000, 100000, 7, true), Kronecker(13, 16, 4),
                                        UniformRandom(60000, 100000, 8)};
  for (const EdgeList& e : inputs) {
    for (bool directed : {true, false}) {
      auto g = ToGraph(e, directed);
      ASSERT_GE(g->num_arcs(), kSsspSerialArcs);  // so that 2 threads take Δ-stepping
      const Vid isolated = Isolated(*g);
      ASSERT_EQ(g->out().Degree(isolated), 0u);
      for (int threads : {1, 2}) {
        Control c;
        c.threads = threads;
        for (Vid source : {Vid{0}, Vid{17}, g->num_vertices() - 1, Hub(*g), isolated}) {
          NENDB_ASSERT_OK_AND_ASSIGN(auto dist, Sssp(*g, source, 0, c));
          NENDB_EXPECT_OK(VerifySssp(*g, source, dist));
        }
      }
    }
  }
}

// Whatever delta and thread count, the same distances, exactly: a window
// far narrower than the weights (delta 0.01 with weights up to 255), one
// bucket for everything (infinite delta), and in between.
TEST(SsspTest, AnyDeltaGivesTheSameDistances) {
  for (bool directed : {true, false}) {
    auto g = ToGraph(Kronecker(12, 16, 9, true), directed);
    Control one, two;
    one.threads = 1;
    two.threads = 2;
    for (Vid source : {Hub(*g), Vid{2000}}) {
      NENDB_ASSERT_OK_AND_ASSIGN(auto want, Sssp(*g, source, 0, one));
      NENDB_ASSERT_OK(VerifySssp(*g, source, want));
      for (double delta : {0.01, 1.0, 2.0, 16.0, 50.0, 1000.0, kInf}) {
        NENDB_ASSERT_OK_AND_ASSIGN(auto dist, Sssp(*g, source, delta, two));
        EXPECT_EQ(dist, want) << "delta " << delta;
      }
    }
  }
  // Fractional weights: the same floating-point sums as Dijkstra's.
  EdgeList e = UniformRandom(5000, 60000, 11, true);
  for (float& w : e.weights) w = w / 7.0f + 0.1f;
  auto g = ToGraph(e, true);
  Control one, two;
  one.threads = 1;
  two.threads = 2;
  NENDB_ASSERT_OK_AND_ASSIGN(auto want, Sssp(*g, 3, 0, one));
  NENDB_ASSERT_OK(VerifySssp(*g, 3, want));
  for (double delta : {0.0, 0.3, 5.0}) {
    NENDB_ASSERT_OK_AND_ASSIGN(auto dist, Sssp(*g, 3, delta, two));
    EXPECT_EQ(dist, want) << "delta " << delta;
  }
}

TEST(SsspTest, TheVerifierCatchesWrongAnswers) {
  auto g = ToGraph(Kronecker(12, 16, 3, true), true);
  Control c;
  c.threads = 2;
  const Vid source = Hub(*g);
  NENDB_ASSERT_OK_AND_ASSIGN(auto dist, Sssp(*g, source, 0, c));
  NENDB_ASSERT_OK(VerifySssp(*g, source, dist));
  Vid reached = 0, unreached = 0;
  while (reached == source || dist[reached] == kInf) ++reached;
  while (dist[unreached] != kInf) ++unreached;
  auto wrong = dist;
  wrong[reached] += 1;
  EXPECT_FALSE(VerifySssp(*g, source, wrong).ok());
  wrong = dist;
  wrong[reached] -= 0.5;
  EXPECT_FALSE(VerifySssp(*g, source, wrong).ok());
  wrong = dist;
  wrong[reached] = kInf;
  EXPECT_FALSE(VerifySssp(*g, source, wrong).ok());
  wrong = dist;
  wrong[unreached] = 5;
  EXPECT_FALSE(VerifySssp(*g, source, wrong).ok());
  wrong = dist;
  wrong[reached] = std::nan("");
  EXPECT_FALSE(VerifySssp(*g, source, wrong).ok());
  wrong = dist;
  wrong.pop_back();
  EXPECT_FALSE(VerifySssp(*g, source, wrong).ok());
  EXPECT_FALSE(VerifySssp(*g, reached, dist).ok());  // another source's answer
}

TEST(SsspTest, BadInputAndEmptyGraphs) {
  // A negative weight, reported with its arc before any work.
  const std::vector<Vid> s = {0, 1, 3}, t = {1, 2, 1};
  Control c;
  bool called = false;
  c.progress = [&](double) { return called = true; };
  for (int threads : {1, 2}) {
    c.threads = threads;
    auto r = Sssp(*Graph::FromArcs(4, s, t, {1, 3, -2}, true), 0, 0, c);
    EXPECT_ERROR_KIND(r, kInvalidArgument);
    EXPECT_EQ(r.status().message(),
              "SSSP needs non-negative weights; edge weight -2 found on the arc 3 -> 1");
    r = Sssp(*Graph::FromArcs(4, s, t, {1, std::nanf(""), 2}, false), 0, 1.0, c);
    EXPECT_ERROR_KIND(r, kInvalidArgument);
    EXPECT_NE(r.status().message().find("edge weight nan found"), std::string::npos) << r.status();
  }
  EXPECT_FALSE(called);
  // Sources out of range, including in a graph without vertices.
  EXPECT_ERROR_KIND(Sssp(*Tiny(true, true), 7, 0, {}), kInvalidArgument);
  EXPECT_ERROR_KIND(Sssp(*Graph::FromArcs(0, {}, {}, {}, true), 0, 0, {}), kInvalidArgument);
  EXPECT_ERROR_KIND(VerifySssp(*Tiny(true, true), 7, std::vector<double>(7, 0.0)),
                    kInvalidArgument);
  EXPECT_ERROR_KIND(Sssp(*Tiny(true, true), 0, std::nan(""), {}), kInvalidArgument);
  // Only isolated vertices.
  NENDB_ASSERT_OK_AND_ASSIGN(auto dist, Sssp(*Graph::FromArcs(3, {}, {}, {}, true), 1, 0, {}));
  EXPECT_EQ(dist, (std::vector<double>{kInf, 0, kInf}));
}

TEST(SsspTest, ProgressCanCancel) {
  auto g = ToGraph(Kronecker(13, 16, 2, true), true);
  for (int threads : {1, 2}) {
    Control c;
    c.threads = threads;
    int calls = 0;
    c.progress = [&](double f) {
      EXPECT_GE(f, 0.0);
      EXPECT_LE(f, 1.0);
      return ++calls < 2;
    };
    EXPECT_ERROR_KIND(Sssp(*g, Hub(*g), 0, c), kCancelled);
    EXPECT_EQ(calls, 2) << threads << " threads";
  }
}

}  // namespace
}  // namespace nendb::algo
