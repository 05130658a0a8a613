#include "algo/triangles.h"

#include "algo/generate.h"
#include "gtest/gtest.h"
#include "simd/isa.h"
#include "test_util.h"

namespace nendb::algo {
namespace {

TEST(TrianglesTest, GoldenCountsOnATinyGraph) {
  // A 4-clique {0, 1, 2, 3} (4 triangles) with 0 - 2 also as 2 -> 0 and a
  // self-loop on 2; 4 joined to 0 and 1 (the triangle 0 1 4); 5 hanging from
  // 4; 7 - 8 three times; 6 with only a self-loop; 9 with nothing.
  // Distinct neighbours: 0 and 1 have 4, 2, 3 and 4 have 3.
  const std::vector<Vid> s = {0, 0, 0, 1, 1, 2, 2, 2, 4, 1, 5, 6, 7, 8, 7};
  const std::vector<Vid> t = {1, 2, 3, 2, 3, 3, 0, 2, 0, 4, 4, 6, 8, 7, 8};
  for (bool directed : {true, false}) {
    for (int threads : {1, 2}) {
      Control c;
      c.threads = threads;
      NENDB_ASSERT_OK_AND_ASSIGN(auto r, Triangles(*Graph::FromArcs(10, s, t, {}, directed), c));
      EXPECT_EQ(r.total, 5u);
      EXPECT_EQ(r.per_vertex, (std::vector<uint64_t>{4, 4, 3, 3, 1, 0, 0, 0, 0, 0}));
      const std::vector<double> want = {2.0 / 3, 2.0 / 3, 1, 1, 1.0 / 3, 0, 0, 0, 0, 0};
      ASSERT_EQ(r.clustering.size(), want.size());
      for (size_t v = 0; v < want.size(); ++v) EXPECT_DOUBLE_EQ(r.clustering[v], want[v]) << v;
    }
  }
}

TEST(TrianglesTest, AClique) {
  // K20 with every arc both ways: C(19, 2) = 171 triangles at each vertex,
  // C(20, 3) = 1140 in all, clustering 1.
  std::vector<Vid> s, t;
  for (Vid a = 0; a < 20; ++a) {
    for (Vid b = 0; b < 20; ++b) {
      if (a == b) continue;
      s.push_back(a);
      t.push_back(b);
    }
  }
  for (bool directed : {true, false}) {
    NENDB_ASSERT_OK_AND_ASSIGN(auto r, Triangles(*Graph::FromArcs(20, s, t, {}, directed), {}));
    EXPECT_EQ(r.total, 1140u);
    EXPECT_EQ(r.per_vertex, std::vector<uint64_t>(20, 171));
    EXPECT_EQ(r.clustering, std::vector<double>(20, 1.0));
  }
}

TEST(TrianglesTest, AgreesWithTheVerifier) {
  for (bool directed : {true, false}) {
    for (int threads : {1, 2}) {
      for (const EdgeList& e : {Kronecker(11, 16, 5), Kronecker(12, 8, 9),
                                UniformRandom(3000, 30000, 3), UniformRandom(1000, 0, 1)}) {
        auto g = ToGraph(e, directed);
        Control c;
        c.threads = threads;
        NENDB_ASSERT_OK_AND_ASSIGN(auto r, Triangles(*g, c));
        NENDB_EXPECT_OK(VerifyTriangles(*g, r));
        EXPECT_TRUE(e.sources.empty() || r.total > 0);
      }
    }
  }
}

TEST(TrianglesTest, EveryInstructionSetAndCounterLayoutGiveTheSameCounts) {
  auto g = ToGraph(Kronecker(12, 16, 9), false);
  const simd::Isa before = simd::ActiveIsa();
  NENDB_ASSERT_OK(simd::SetActiveIsa(simd::Isa::kScalar));
  Control c;
  c.threads = 2;
  NENDB_ASSERT_OK_AND_ASSIGN(auto want, Triangles(*g, c));
  NENDB_ASSERT_OK(VerifyTriangles(*g, want));
  for (simd::Isa isa : simd::AvailableIsas()) {
    NENDB_ASSERT_OK(simd::SetActiveIsa(isa));
    for (uint64_t local_bytes : {kLocalCountBytes, uint64_t{0}}) {
      NENDB_ASSERT_OK_AND_ASSIGN(auto r, Triangles(*g, c, local_bytes));
      EXPECT_EQ(r.total, want.total) << simd::IsaName(isa) << " " << local_bytes;
      EXPECT_EQ(r.per_vertex, want.per_vertex) << simd::IsaName(isa) << " " << local_bytes;
    }
  }
  NENDB_ASSERT_OK(simd::SetActiveIsa(before));
}

TEST(TrianglesTest, TheVerifierCatchesWrongAnswers) {
  auto g = ToGraph(Kronecker(11, 8, 3), false);
  NENDB_ASSERT_OK_AND_ASSIGN(auto r, Triangles(*g, {}));
  NENDB_ASSERT_OK(VerifyTriangles(*g, r));
  Vid v = 0;
  while (r.per_vertex[v] == 0) ++v;
  auto wrong = r;
  ++wrong.total;
  EXPECT_FALSE(VerifyTriangles(*g, wrong).ok());
  wrong = r;
  --wrong.per_vertex[v];
  EXPECT_FALSE(VerifyTriangles(*g, wrong).ok());
  wrong = r;
  wrong.clustering[v] *= 1.5;
  EXPECT_FALSE(VerifyTriangles(*g, wrong).ok());
  wrong = r;
  wrong.clustering.pop_back();
  EXPECT_FALSE(VerifyTriangles(*g, wrong).ok());
}

TEST(TrianglesTest, EmptyIsolatedSelfLoopsAndParallelArcs) {
  NENDB_ASSERT_OK_AND_ASSIGN(auto r, Triangles(*Graph::FromArcs(0, {}, {}, {}, true), {}));
  EXPECT_TRUE(r.per_vertex.empty());
  EXPECT_TRUE(r.clustering.empty());
  EXPECT_EQ(r.total, 0u);
  for (bool directed : {true, false}) {
    NENDB_ASSERT_OK_AND_ASSIGN(r, Triangles(*Graph::FromArcs(3, {}, {}, {}, directed), {}));
    EXPECT_EQ(r.per_vertex, (std::vector<uint64_t>{0, 0, 0}));
    EXPECT_EQ(r.clustering, (std::vector<double>{0, 0, 0}));
    // Self-loops on every vertex and the path 0 - 1 - 2 with every edge three
    // times: no triangle; 1 has two neighbours with no edge between them.
    const std::vector<Vid> s = {0, 1, 2, 0, 1, 0, 1, 2, 1};
    const std::vector<Vid> t = {0, 1, 2, 1, 0, 1, 2, 1, 2};
    NENDB_ASSERT_OK_AND_ASSIGN(r, Triangles(*Graph::FromArcs(3, s, t, {}, directed), {}));
    EXPECT_EQ(r.total, 0u);
    EXPECT_EQ(r.per_vertex, (std::vector<uint64_t>{0, 0, 0}));
    EXPECT_EQ(r.clustering, (std::vector<double>{0, 0, 0}));
    // Closing it with 2 -> 0 twice: one triangle, clustering 1 everywhere.
    std::vector<Vid> s3 = s, t3 = t;
    s3.insert(s3.end(), {2, 2});
    t3.insert(t3.end(), {0, 0});
    NENDB_ASSERT_OK_AND_ASSIGN(r, Triangles(*Graph::FromArcs(3, s3, t3, {}, directed), {}));
    EXPECT_EQ(r.total, 1u);
    EXPECT_EQ(r.per_vertex, (std::vector<uint64_t>{1, 1, 1}));
    EXPECT_EQ(r.clustering, (std::vector<double>{1, 1, 1}));
  }
}

TEST(TrianglesTest, ProgressCanCancel) {
  auto g = ToGraph(UniformRandom(5000, 40000, 7), true);
  Control c;
  int calls = 0;
  c.progress = [&](double f) {
    EXPECT_GE(f, 0.0);
    EXPECT_LE(f, 1.0);
    return ++calls < 2;
  };
  EXPECT_ERROR_KIND(Triangles(*g, c), kCancelled);
  EXPECT_EQ(calls, 2);
}

}  // namespace
}  // namespace nendb::algo
