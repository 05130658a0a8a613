#include "algo/scc.h"

#include <algorithm>
#include <random>

#include "algo/generate.h"
#include "algo/wcc.h"
#include "gtest/gtest.h"
#include "test_util.h"

namespace nendb::algo {
namespace {

TEST(SccTest, GoldenLabelsOnATinyGraph) {
  // Directed: {2, 4, 6} (4 -> 2 -> 6 -> 4, entered at 4 from 0), {1, 7},
  // {5, 8} (5 -> 8 twice), and alone: 0 (on no cycle, between 8 and 4),
  // 3 (a self-loop only), 9 (no in-arc), 10 (no out-arc). Undirected, all
  // but 3 are one component.
  const std::vector<Vid> s = {0, 4, 2, 6, 6, 1, 7, 3, 5, 8, 5, 8, 9, 7};
  const std::vector<Vid> t = {4, 2, 6, 4, 1, 7, 1, 3, 8, 5, 8, 0, 5, 10};
  for (int threads : {1, 2}) {
    Control c;
    c.threads = threads;
    NENDB_ASSERT_OK_AND_ASSIGN(auto labels, Scc(*Graph::FromArcs(11, s, t, {}, true), c));
    EXPECT_EQ(labels, (std::vector<Vid>{0, 1, 2, 3, 2, 5, 2, 1, 5, 9, 10}));
    NENDB_ASSERT_OK_AND_ASSIGN(labels, Scc(*Graph::FromArcs(11, s, t, {}, false), c));
    EXPECT_EQ(labels, (std::vector<Vid>{0, 0, 0, 3, 0, 0, 0, 0, 0, 0, 0}));
  }
}

TEST(SccTest, ADagIsAllSingletonsAndACycleOneComponent) {
  // 0 -> 1 -> 2 -> 3 plus the shortcut 0 -> 3: trimming alone; then the arc
  // 3 -> 0 closes every vertex into one component, which trimming leaves
  // to the search.
  std::vector<Vid> s = {0, 1, 2, 0}, t = {1, 2, 3, 3};
  NENDB_ASSERT_OK_AND_ASSIGN(auto labels, Scc(*Graph::FromArcs(4, s, t, {}, true), {}));
  EXPECT_EQ(labels, (std::vector<Vid>{0, 1, 2, 3}));
  s.push_back(3);
  t.push_back(0);
  NENDB_ASSERT_OK_AND_ASSIGN(labels, Scc(*Graph::FromArcs(4, s, t, {}, true), {}));
  EXPECT_EQ(labels, (std::vector<Vid>{0, 0, 0, 0}));
}

TEST(SccTest, AgreesWithTheVerifier) {
  for (bool directed : {true, false}) {
    for (int threads : {1, 2}) {
      // Kronecker graphs: one giant component and many trivial ones; sparse
      // uniform graphs near the threshold of a giant SCC (mean out-degree
      // 1.5): many small cycles.
      for (const EdgeList& e : {Kronecker(11, 16, 5), Kronecker(13, 8, 9),
                                UniformRandom(20000, 30000, 3), UniformRandom(1000, 0, 1)}) {
        auto g = ToGraph(e, directed);
        Control c;
        c.threads = threads;
        NENDB_ASSERT_OK_AND_ASSIGN(auto labels, Scc(*g, c));
        NENDB_EXPECT_OK(VerifyScc(*g, labels));
      }
    }
  }
}

TEST(SccTest, ManyComponentsEnteredAnywhere) {
  // Vertices in random order cut into blocks of 1 to 40, each block a cycle
  // in that order, plus random arcs from earlier to later blocks only: the
  // blocks are the components, and searches enter them at any vertex.
  const Vid n = 20000;
  std::mt19937 rng(11);
  std::vector<Vid> order(n), block(n), want(n);
  for (Vid v = 0; v < n; ++v) order[v] = v;
  std::shuffle(order.begin(), order.end(), rng);
  std::vector<Vid> s, t;
  for (Vid first = 0, b = 0; first < n; ++b) {
    const Vid last = std::min<Vid>(n, first + 1 + rng() % 40);
    const Vid smallest = *std::min_element(order.begin() + first, order.begin() + last);
    for (Vid i = first; i < last; ++i) {
      block[order[i]] = b;
      want[order[i]] = smallest;
      if (last - first > 1) {
        s.push_back(order[i]);
        t.push_back(order[i + 1 < last ? i + 1 : first]);
      }
    }
    first = last;
  }
  for (int i = 0; i < 30000; ++i) {
    Vid u = rng() % n, w = rng() % n;
    if (block[u] == block[w]) continue;
    if (block[u] > block[w]) std::swap(u, w);
    s.push_back(u);
    t.push_back(w);
  }
  auto g = Graph::FromArcs(n, s, t, {}, true);
  for (int threads : {1, 2}) {
    Control c;
    c.threads = threads;
    NENDB_ASSERT_OK_AND_ASSIGN(auto labels, Scc(*g, c));
    EXPECT_EQ(labels, want);
    NENDB_EXPECT_OK(VerifyScc(*g, labels));
  }
}

TEST(SccTest, UndirectedComponentsAreTheWeakOnes) {
  auto g = ToGraph(UniformRandom(20000, 12000, 4), false);
  NENDB_ASSERT_OK_AND_ASSIGN(auto scc, Scc(*g, {}));
  NENDB_ASSERT_OK_AND_ASSIGN(auto wcc, Wcc(*g, {}));
  EXPECT_EQ(scc, wcc);
}

TEST(SccTest, DeepSearchesNeedNoRecursion) {
  // A cycle of 2^21 vertices (nothing to trim: the search goes 2^21 deep)
  // and a path as long (trimmed away).
  const Vid n = Vid{1} << 21;
  std::vector<Vid> s(n), t(n);
  for (Vid v = 0; v < n; ++v) {
    s[v] = v;
    t[v] = (v + 1) % n;
  }
  auto cycle = Graph::FromArcs(n, s, t, {}, true);
  NENDB_ASSERT_OK_AND_ASSIGN(auto labels, Scc(*cycle, {}));
  EXPECT_EQ(labels, std::vector<Vid>(n, 0));
  NENDB_EXPECT_OK(VerifyScc(*cycle, labels));
  s.pop_back();
  t.pop_back();
  auto path = Graph::FromArcs(n, s, t, {}, true);
  NENDB_ASSERT_OK_AND_ASSIGN(labels, Scc(*path, {}));
  for (Vid v = 0; v < n; v += 4097) ASSERT_EQ(labels[v], v);
  NENDB_EXPECT_OK(VerifyScc(*path, labels));
}

TEST(SccTest, TheVerifierCatchesWrongAnswers) {
  auto g = ToGraph(Kronecker(11, 8, 3), true);
  NENDB_ASSERT_OK_AND_ASSIGN(auto labels, Scc(*g, {}));
  Vid v = 0;
  while (labels[v] == v) ++v;  // a vertex that is not its component's smallest
  auto wrong = labels;
  wrong[v] = v;
  EXPECT_FALSE(VerifyScc(*g, wrong).ok());
  // Merging two singletons.
  Vid a = 0;
  while (labels[a] != a) ++a;
  Vid b = a + 1;
  while (labels[b] != b) ++b;
  wrong = labels;
  wrong[b] = a;
  EXPECT_FALSE(VerifyScc(*g, wrong).ok());
  EXPECT_FALSE(VerifyScc(*g, std::vector<Vid>(labels.begin(), labels.end() - 1)).ok());
}

TEST(SccTest, EmptyIsolatedSelfLoopsAndParallelArcs) {
  NENDB_ASSERT_OK_AND_ASSIGN(auto labels, Scc(*Graph::FromArcs(0, {}, {}, {}, true), {}));
  EXPECT_TRUE(labels.empty());
  NENDB_ASSERT_OK_AND_ASSIGN(labels, Scc(*Graph::FromArcs(3, {}, {}, {}, true), {}));
  EXPECT_EQ(labels, (std::vector<Vid>{0, 1, 2}));
  // Self-loops on 0 and 2, 1 -> 2 three times, 2 -> 1 once.
  const std::vector<Vid> s = {0, 2, 1, 1, 1, 2}, t = {0, 2, 2, 2, 2, 1};
  for (bool directed : {true, false}) {
    NENDB_ASSERT_OK_AND_ASSIGN(labels, Scc(*Graph::FromArcs(4, s, t, {}, directed), {}));
    EXPECT_EQ(labels, (std::vector<Vid>{0, 1, 1, 3}));
  }
}

TEST(SccTest, ProgressCanCancel) {
  auto g = ToGraph(UniformRandom(5000, 40000, 7), true);
  Control c;
  int calls = 0;
  c.progress = [&](double f) {
    EXPECT_GE(f, 0.0);
    EXPECT_LE(f, 1.0);
    return ++calls < 2;
  };
  EXPECT_ERROR_KIND(Scc(*g, c), kCancelled);
  EXPECT_EQ(calls, 2);
}

}  // namespace
}  // namespace nendb::algo
