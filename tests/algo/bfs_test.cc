#include "algo/bfs.h"

#include "algo/generate.h"
#include "gtest/gtest.h"
#include "test_util.h"

namespace nendb::algo {
namespace {

// 0 -> 1 -> 2 -> 3, 0 -> 4 -> 3, 5 -> 0, 6 alone.
std::shared_ptr<const Graph> Tiny(bool directed) {
  const std::vector<Vid> s = {0, 1, 2, 0, 4, 5}, t = {1, 2, 3, 4, 3, 0};
  return Graph::FromArcs(7, s, t, {}, directed);
}

TEST(BfsTest, GoldenDepthsOnATinyGraph) {
  NENDB_ASSERT_OK_AND_ASSIGN(auto r, Bfs(*Tiny(true), {0}, -1, {}));
  EXPECT_EQ(r.depth, (std::vector<int32_t>{0, 1, 2, 2, 1, -1, -1}));
  EXPECT_EQ(r.parent[0], 0u);
  EXPECT_EQ(r.parent[3], 4u);  // 4 -> 3, one level up
  EXPECT_EQ(r.parent[5], kNoVertex);
  NENDB_ASSERT_OK_AND_ASSIGN(r, Bfs(*Tiny(false), {3}, -1, {}));
  EXPECT_EQ(r.depth, (std::vector<int32_t>{2, 2, 1, 0, 1, 3, -1}));
  NENDB_ASSERT_OK_AND_ASSIGN(r, Bfs(*Tiny(false), {3}, 1, {}));
  EXPECT_EQ(r.depth, (std::vector<int32_t>{-1, -1, 1, 0, 1, -1, -1}));
  NENDB_ASSERT_OK_AND_ASSIGN(r, Bfs(*Tiny(true), {5, 2, 5}, -1, {}));
  EXPECT_EQ(r.depth, (std::vector<int32_t>{1, 2, 0, 1, 2, 0, -1}));
}

// Random and Kronecker graphs, both directions of each switch, 1 and 2
// threads: the serial verifier agrees.
TEST(BfsTest, AgreesWithTheVerifier) {
  for (bool directed : {true, false}) {
    for (int threads : {1, 2}) {
      for (const EdgeList& e :
           {UniformRandom(5000, 40000, 7), Kronecker(13, 16, 3), UniformRandom(3000, 2000, 5)}) {
        auto g = ToGraph(e, directed);
        Control c;
        c.threads = threads;
        for (Vid source : {Vid{0}, Vid{17}, g->num_vertices() - 1}) {
          for (int64_t max_depth : {-1, 2}) {
            NENDB_ASSERT_OK_AND_ASSIGN(auto r, Bfs(*g, {source}, max_depth, c));
            NENDB_EXPECT_OK(VerifyBfs(*g, {source}, max_depth, r));
          }
        }
        const std::vector<Vid> many = {1, 2, 3, 500, 999};
        NENDB_ASSERT_OK_AND_ASSIGN(auto r, Bfs(*g, many, -1, c));
        NENDB_EXPECT_OK(VerifyBfs(*g, many, -1, r));
      }
    }
  }
}

TEST(BfsTest, TheVerifierCatchesWrongAnswers) {
  auto g = ToGraph(UniformRandom(1000, 8000, 2), true);
  NENDB_ASSERT_OK_AND_ASSIGN(auto r, Bfs(*g, {0}, -1, {}));
  NENDB_ASSERT_OK(VerifyBfs(*g, {0}, -1, r));
  Vid v = 1;
  while (r.depth[v] <= 1) ++v;
  auto wrong = r;
  wrong.depth[v] += 1;
  EXPECT_FALSE(VerifyBfs(*g, {0}, -1, wrong).ok());
  wrong = r;
  wrong.parent[v] = 0;  // the source is two or more levels up
  EXPECT_FALSE(VerifyBfs(*g, {0}, -1, wrong).ok());
}

TEST(BfsTest, BadInputAndEmptyGraphs) {
  EXPECT_ERROR_KIND(Bfs(*Tiny(true), {7}, -1, {}), kInvalidArgument);
  auto empty = Graph::FromArcs(0, {}, {}, {}, true);
  NENDB_ASSERT_OK_AND_ASSIGN(auto r, Bfs(*empty, {}, -1, {}));
  EXPECT_TRUE(r.depth.empty());
  auto isolated = Graph::FromArcs(5, {}, {}, {}, true);
  NENDB_ASSERT_OK_AND_ASSIGN(r, Bfs(*isolated, {2}, -1, {}));
  EXPECT_EQ(r.depth, (std::vector<int32_t>{-1, -1, 0, -1, -1}));
}

TEST(BfsTest, ProgressCanCancel) {
  auto g = ToGraph(UniformRandom(5000, 40000, 7), true);
  Control c;
  int calls = 0;
  c.progress = [&](double f) {
    EXPECT_GE(f, 0.0);
    EXPECT_LE(f, 1.0);
    return ++calls < 2;
  };
  EXPECT_ERROR_KIND(Bfs(*g, {0}, -1, c), kCancelled);
  EXPECT_EQ(calls, 2);
}

}  // namespace
}  // namespace nendb::algo
