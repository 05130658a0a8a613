#include "algo/betweenness.h"

#include "algo/generate.h"
#include "gtest/gtest.h"
#include "test_util.h"

namespace nendb::algo {
namespace {

TEST(BetweennessTest, GoldenScoresOnTinyGraphs) {
  // The path 0 - 1 - 2 - 3: 1 and 2 each lie on two of the six pairs.
  const std::vector<Vid> s = {0, 1, 2}, t = {1, 2, 3};
  NENDB_ASSERT_OK_AND_ASSIGN(auto b, Betweenness(*Graph::FromArcs(4, s, t, {}, false), {}, {}));
  EXPECT_EQ(b, (std::vector<double>{0, 2, 2, 0}));
  // Directed, only 0 -> 1 -> 2 -> 3 pairs: 1 is on (0,2), (0,3); 2 on (0,3), (1,3).
  NENDB_ASSERT_OK_AND_ASSIGN(b, Betweenness(*Graph::FromArcs(4, s, t, {}, true), {}, {}));
  EXPECT_EQ(b, (std::vector<double>{0, 2, 2, 0}));
  // A square 0-1-2-3-0: each pair of opposite corners has two paths.
  const std::vector<Vid> qs = {0, 1, 2, 3}, qt = {1, 2, 3, 0};
  NENDB_ASSERT_OK_AND_ASSIGN(b, Betweenness(*Graph::FromArcs(4, qs, qt, {}, false), {}, {}));
  EXPECT_EQ(b, (std::vector<double>{0.5, 0.5, 0.5, 0.5}));
  // Weighted: 0 -> 2 directly (5) loses to 0 -> 1 -> 2 (2 + 2).
  const std::vector<Vid> ws = {0, 0, 1}, wt = {2, 1, 2};
  const std::vector<float> w = {5, 2, 2};
  NENDB_ASSERT_OK_AND_ASSIGN(b, Betweenness(*Graph::FromArcs(3, ws, wt, w, true), {}, {}));
  EXPECT_EQ(b, (std::vector<double>{0, 1, 0}));
  // Normalized: the star centre with 3 leaves is on all 3 pairs of leaves.
  const std::vector<Vid> ss = {0, 0, 0}, st = {1, 2, 3};
  BetweennessOptions o;
  o.normalized = true;
  NENDB_ASSERT_OK_AND_ASSIGN(b, Betweenness(*Graph::FromArcs(4, ss, st, {}, false), o, {}));
  EXPECT_EQ(b, (std::vector<double>{1, 0, 0, 0}));
}

TEST(BetweennessTest, AgreesWithTheVerifier) {
  for (bool directed : {true, false}) {
    for (bool weighted : {false, true}) {
      for (int threads : {1, 2}) {
        auto g = ToGraph(UniformRandom(60, 150, 11, weighted), directed);
        Control c;
        c.threads = threads;
        for (bool normalized : {false, true}) {
          BetweennessOptions o;
          o.normalized = normalized;
          NENDB_ASSERT_OK_AND_ASSIGN(auto b, Betweenness(*g, o, c));
          NENDB_EXPECT_OK(VerifyBetweenness(*g, o, b, 1e-9));
        }
      }
    }
  }
}

TEST(BetweennessTest, TheVerifierCatchesWrongAnswers) {
  auto g = ToGraph(UniformRandom(40, 100, 3), false);
  NENDB_ASSERT_OK_AND_ASSIGN(auto b, Betweenness(*g, {}, {}));
  Vid v = 0;
  while (b[v] == 0) ++v;
  b[v] *= 1.01;
  EXPECT_FALSE(VerifyBetweenness(*g, {}, b, 1e-9).ok());
}

TEST(BetweennessTest, SamplingIsSeededAndScaled) {
  auto g = ToGraph(Kronecker(10, 8, 5), false);
  BetweennessOptions all_of_them;
  all_of_them.samples = g->num_vertices();  // every vertex: exact
  NENDB_ASSERT_OK_AND_ASSIGN(auto exact, Betweenness(*g, {}, {}));
  NENDB_ASSERT_OK_AND_ASSIGN(auto same, Betweenness(*g, all_of_them, {}));
  for (Vid v = 0; v < g->num_vertices(); ++v) EXPECT_NEAR(same[v], exact[v], 1e-9 * exact[v]);
  BetweennessOptions sampled;
  sampled.samples = 256;
  sampled.seed = 7;
  NENDB_ASSERT_OK_AND_ASSIGN(auto a, Betweenness(*g, sampled, {}));
  NENDB_ASSERT_OK_AND_ASSIGN(auto b, Betweenness(*g, sampled, {}));
  for (Vid v = 0; v < g->num_vertices(); ++v) EXPECT_NEAR(a[v], b[v], 1e-9 * (1 + a[v]));
  // An estimate: the top vertex stays near its exact score.
  const Vid top = std::max_element(exact.begin(), exact.end()) - exact.begin();
  EXPECT_NEAR(a[top], exact[top], 0.25 * exact[top]);
}

TEST(BetweennessTest, BadInputAndCancellation) {
  const std::vector<Vid> s = {0}, t = {1};
  const std::vector<float> w = {-1};
  EXPECT_ERROR_KIND(Betweenness(*Graph::FromArcs(2, s, t, w, true), {}, {}), kInvalidArgument);
  NENDB_ASSERT_OK_AND_ASSIGN(auto b, Betweenness(*Graph::FromArcs(0, {}, {}, {}, true), {}, {}));
  EXPECT_TRUE(b.empty());
  Control c;
  c.progress = [](double) { return false; };
  EXPECT_ERROR_KIND(Betweenness(*ToGraph(UniformRandom(500, 2000, 1), true), {}, c), kCancelled);
}

}  // namespace
}  // namespace nendb::algo
