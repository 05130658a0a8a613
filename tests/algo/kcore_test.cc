#include "algo/kcore.h"

#include "algo/generate.h"
#include "gtest/gtest.h"
#include "test_util.h"

namespace nendb::algo {
namespace {

TEST(CoreTest, GoldenCoresOnATinyGraph) {
  // A 4-clique {0, 1, 2, 3} with a self-loop on 0 (left out: 0 keeps degree
  // 4); 4 joined to 0 and 1 (in the 2-core, not the 3-core); 5 hanging from
  // 4; 7 and 8 joined twice (degree 2 each: a 2-core of two vertices); 6
  // with only a self-loop and 9 with nothing (core 0). One arc per edge, so
  // directed and undirected agree.
  const std::vector<Vid> s = {0, 0, 0, 1, 1, 2, 0, 4, 1, 5, 6, 7, 8};
  const std::vector<Vid> t = {1, 2, 3, 2, 3, 3, 0, 0, 4, 4, 6, 8, 7};
  for (bool directed : {true, false}) {
    for (int threads : {1, 2}) {
      Control c;
      c.threads = threads;
      NENDB_ASSERT_OK_AND_ASSIGN(auto cores,
                                 CoreNumbers(*Graph::FromArcs(10, s, t, {}, directed), c));
      EXPECT_EQ(cores, (std::vector<uint32_t>{3, 3, 3, 3, 2, 1, 0, 2, 2, 0}));
    }
  }
}

TEST(CoreTest, GoldenCoresOfSimpleShapes) {
  // A star with 5 leaves: all 1. A 6-cycle: all 2. A 5-clique: all 4.
  std::vector<Vid> s, t;
  auto edge = [&](Vid a, Vid b) {
    s.push_back(a);
    t.push_back(b);
  };
  for (Vid leaf = 1; leaf <= 5; ++leaf) edge(0, leaf);
  for (Vid i = 0; i < 6; ++i) edge(6 + i, 6 + (i + 1) % 6);
  for (Vid a = 12; a < 17; ++a) {
    for (Vid b = a + 1; b < 17; ++b) edge(a, b);
  }
  NENDB_ASSERT_OK_AND_ASSIGN(auto cores, CoreNumbers(*Graph::FromArcs(17, s, t, {}, false), {}));
  EXPECT_EQ(cores, (std::vector<uint32_t>{1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2, 4, 4, 4, 4, 4}));
}

TEST(CoreTest, ParallelArcsCount) {
  // A triangle with arcs both ways: as a directed graph every vertex has
  // in + out degree 4, so a 4-core (igraph's coreness(mode="all")); as an
  // undirected graph it has every edge twice, also core 4. With one arc per
  // edge, core 2.
  const std::vector<Vid> s = {0, 1, 1, 2, 2, 0}, t = {1, 0, 2, 1, 0, 2};
  for (bool directed : {true, false}) {
    NENDB_ASSERT_OK_AND_ASSIGN(auto cores,
                               CoreNumbers(*Graph::FromArcs(3, s, t, {}, directed), {}));
    EXPECT_EQ(cores, (std::vector<uint32_t>{4, 4, 4}));
    NENDB_ASSERT_OK_AND_ASSIGN(
        cores, CoreNumbers(*Graph::FromArcs(3, {0, 1, 2}, {1, 2, 0}, {}, directed), {}));
    EXPECT_EQ(cores, (std::vector<uint32_t>{2, 2, 2}));
  }
}

TEST(CoreTest, AgreesWithTheVerifier) {
  for (bool directed : {true, false}) {
    for (int threads : {1, 2}) {
      for (const EdgeList& e : {Kronecker(11, 16, 5), Kronecker(13, 8, 9),
                                UniformRandom(20000, 60000, 3), UniformRandom(1000, 0, 1)}) {
        auto g = ToGraph(e, directed);
        Control c;
        c.threads = threads;
        NENDB_ASSERT_OK_AND_ASSIGN(auto cores, CoreNumbers(*g, c));
        NENDB_EXPECT_OK(VerifyCores(*g, cores));
      }
    }
  }
}

TEST(CoreTest, TheVerifierCatchesWrongAnswers) {
  auto g = ToGraph(Kronecker(11, 8, 3), false);
  NENDB_ASSERT_OK_AND_ASSIGN(auto cores, CoreNumbers(*g, {}));
  Vid v = 0;
  while (cores[v] == 0) ++v;
  for (int delta : {-1, 1}) {
    auto wrong = cores;
    wrong[v] += delta;
    EXPECT_FALSE(VerifyCores(*g, wrong).ok()) << delta;
  }
  // Every core one higher: no vertex has enough neighbours.
  auto wrong = cores;
  for (uint32_t& k : wrong) ++k;
  EXPECT_FALSE(VerifyCores(*g, wrong).ok());
  EXPECT_FALSE(VerifyCores(*g, std::vector<uint32_t>(cores.begin(), cores.end() - 1)).ok());
}

TEST(CoreTest, EmptyIsolatedAndSelfLoops) {
  NENDB_ASSERT_OK_AND_ASSIGN(auto cores, CoreNumbers(*Graph::FromArcs(0, {}, {}, {}, true), {}));
  EXPECT_TRUE(cores.empty());
  for (bool directed : {true, false}) {
    NENDB_ASSERT_OK_AND_ASSIGN(cores, CoreNumbers(*Graph::FromArcs(3, {}, {}, {}, directed), {}));
    EXPECT_EQ(cores, (std::vector<uint32_t>{0, 0, 0}));
    // Self-loops only, one of them three times.
    NENDB_ASSERT_OK_AND_ASSIGN(
        cores, CoreNumbers(*Graph::FromArcs(3, {0, 1, 1, 1}, {0, 1, 1, 1}, {}, directed), {}));
    EXPECT_EQ(cores, (std::vector<uint32_t>{0, 0, 0}));
  }
}

TEST(CoreTest, ProgressCanCancel) {
  auto g = ToGraph(UniformRandom(5000, 40000, 7), true);
  Control c;
  int calls = 0;
  c.progress = [&](double f) {
    EXPECT_GE(f, 0.0);
    EXPECT_LE(f, 1.0);
    return ++calls < 2;
  };
  EXPECT_ERROR_KIND(CoreNumbers(*g, c), kCancelled);
  EXPECT_EQ(calls, 2);
}

}  // namespace
}  // namespace nendb::algo
