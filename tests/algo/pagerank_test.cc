#include "algo/pagerank.h"

#include <cmath>
#include <numeric>

#include "algo/generate.h"
#include "gtest/gtest.h"
#include "simd/isa.h"
#include "test_util.h"

namespace nendb::algo {
namespace {

// 0 -> 1 -> 2 -> 3, 0 -> 4 -> 3, 5 -> 0, 6 alone (3 and 6 are dangling).
std::shared_ptr<const Graph> Tiny() {
  const std::vector<Vid> s = {0, 1, 2, 0, 4, 5}, t = {1, 2, 3, 4, 3, 0};
  return Graph::FromArcs(7, s, t, {}, true);
}

void ExpectNear(const std::vector<double>& got, const std::vector<double>& want, double eps) {
  ASSERT_EQ(got.size(), want.size());
  for (size_t i = 0; i < got.size(); ++i) EXPECT_NEAR(got[i], want[i], eps) << i;
}

// Golden values: networkx 3.6 nx.pagerank(G, alpha=0.85, tol=1e-14) on the
// same graph (igraph's PRPACK gives the same to 12 digits).
TEST(PageRankTest, GoldenValuesOnATinyGraph) {
  PageRankOptions o;
  o.tolerance = 1e-13;
  o.max_iterations = 1000;
  NENDB_ASSERT_OK_AND_ASSIGN(auto r, PageRank(*Tiny(), o, {}));
  ExpectNear(r.rank,
             {0.126715013867, 0.122348482984, 0.172490812626, 0.319108003359, 0.122348482984,
              0.068494602090, 0.068494602090},
             1e-9);
  EXPECT_LT(r.last_change, 1e-13);
  o.personalization = {1, 0, 0, 3, 0, 0, 0};
  NENDB_ASSERT_OK_AND_ASSIGN(r, PageRank(*Tiny(), o, {}));
  ExpectNear(
      r.rank,
      {0.170080682024, 0.072284289860, 0.061441646381, 0.623909091875, 0.072284289860, 0.0, 0.0},
      1e-9);
}

TEST(PageRankTest, AgreesWithTheVerifier) {
  for (bool directed : {true, false}) {
    for (bool weighted : {false, true}) {
      for (int threads : {1, 2}) {
        auto g = ToGraph(Kronecker(12, 8, 4, weighted), directed);
        PageRankOptions o;
        o.tolerance = 1e-10;
        Control c;
        c.threads = threads;
        NENDB_ASSERT_OK_AND_ASSIGN(auto r, PageRank(*g, o, c));
        EXPECT_LT(r.iterations, o.max_iterations);
        NENDB_EXPECT_OK(VerifyPageRank(*g, o, r, 1e-9));
      }
    }
  }
}

TEST(PageRankTest, ThreadsDoNotChangeTheResult) {
  auto g = ToGraph(Kronecker(12, 8, 4), true);
  Control one, two;
  one.threads = 1;
  two.threads = 2;
  NENDB_ASSERT_OK_AND_ASSIGN(auto a, PageRank(*g, {}, one));
  NENDB_ASSERT_OK_AND_ASSIGN(auto b, PageRank(*g, {}, two));
  EXPECT_EQ(a.rank, b.rank);
  EXPECT_EQ(a.iterations, b.iterations);
}

TEST(PageRankTest, EveryInstructionSetAgreesWithTheScalarKernels) {
  const simd::Isa before = simd::ActiveIsa();
  for (bool weighted : {false, true}) {
    auto g = ToGraph(Kronecker(12, 16, 4, weighted), true);
    NENDB_ASSERT_OK(simd::SetActiveIsa(simd::Isa::kScalar));
    NENDB_ASSERT_OK_AND_ASSIGN(auto want, PageRank(*g, {}, {}));
    for (simd::Isa isa : simd::AvailableIsas()) {
      NENDB_ASSERT_OK(simd::SetActiveIsa(isa));
      NENDB_ASSERT_OK_AND_ASSIGN(auto r, PageRank(*g, {}, {}));
      NENDB_EXPECT_OK(VerifyPageRank(*g, {}, r, 1e-5));
      ASSERT_EQ(r.rank.size(), want.rank.size());
      for (size_t v = 0; v < r.rank.size(); ++v) {
        ASSERT_NEAR(r.rank[v], want.rank[v], 1e-12) << simd::IsaName(isa) << " vertex " << v;
      }
    }
  }
  NENDB_ASSERT_OK(simd::SetActiveIsa(before));
}

TEST(PageRankTest, DroppingDanglingMassLikeGap) {
  PageRankOptions o;
  o.drop_dangling = true;
  o.tolerance = 1e-12;
  o.max_iterations = 1000;
  NENDB_ASSERT_OK_AND_ASSIGN(auto r, PageRank(*Tiny(), o, {}));
  const double total = std::accumulate(r.rank.begin(), r.rank.end(), 0.0);
  EXPECT_LT(total, 0.9);  // what dangling vertices held is gone
  NENDB_EXPECT_OK(VerifyPageRank(*Tiny(), o, r, 1e-10));
}

TEST(PageRankTest, TheVerifierCatchesWrongAnswers) {
  auto g = ToGraph(Kronecker(10, 8, 4), true);
  NENDB_ASSERT_OK_AND_ASSIGN(auto r, PageRank(*g, {}, {}));
  std::swap(r.rank[0], r.rank[1]);
  if (r.rank[0] != r.rank[1]) {
    EXPECT_FALSE(VerifyPageRank(*g, {}, r, 1e-5).ok());
  }
  r.rank[2] += 0.01;
  EXPECT_FALSE(VerifyPageRank(*g, {}, r, 1e-3).ok());
}

TEST(PageRankTest, BadInput) {
  PageRankOptions o;
  o.damping = 1.0;
  EXPECT_ERROR_KIND(PageRank(*Tiny(), o, {}), kInvalidArgument);
  o = {};
  o.damping = std::nan("");
  EXPECT_ERROR_KIND(PageRank(*Tiny(), o, {}), kInvalidArgument);
  o = {};
  o.personalization = {1, 2};
  EXPECT_ERROR_KIND(PageRank(*Tiny(), o, {}), kInvalidArgument);
  o.personalization = std::vector<double>(7, 0.0);
  EXPECT_ERROR_KIND(PageRank(*Tiny(), o, {}), kInvalidArgument);
  o.personalization[1] = -1;
  o.personalization[2] = 2;
  EXPECT_ERROR_KIND(PageRank(*Tiny(), o, {}), kInvalidArgument);
  const std::vector<Vid> s = {0}, t = {1};
  const std::vector<float> w = {-1};
  EXPECT_ERROR_KIND(PageRank(*Graph::FromArcs(2, s, t, w, true), {}, {}), kInvalidArgument);
  NENDB_ASSERT_OK_AND_ASSIGN(auto r, PageRank(*Graph::FromArcs(0, {}, {}, {}, true), {}, {}));
  EXPECT_TRUE(r.rank.empty());
  NENDB_ASSERT_OK_AND_ASSIGN(r, PageRank(*Graph::FromArcs(4, {}, {}, {}, true), {}, {}));
  ExpectNear(r.rank, {0.25, 0.25, 0.25, 0.25}, 1e-12);  // only isolated vertices
}

}  // namespace
}  // namespace nendb::algo
