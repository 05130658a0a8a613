#include "algo/wcc.h"

#include "algo/generate.h"
#include "gtest/gtest.h"
#include "test_util.h"

namespace nendb::algo {
namespace {

TEST(WccTest, GoldenLabelsOnATinyGraph) {
  // {0, 1, 2} through 2 -> 0 and 1 -> 2 (weakly only), {3, 5}, {4}, {6} with
  // a self-loop.
  const std::vector<Vid> s = {2, 1, 5, 6}, t = {0, 2, 3, 6};
  for (bool directed : {true, false}) {
    NENDB_ASSERT_OK_AND_ASSIGN(auto labels, Wcc(*Graph::FromArcs(7, s, t, {}, directed), {}));
    EXPECT_EQ(labels, (std::vector<Vid>{0, 0, 0, 3, 4, 3, 6}));
  }
}

TEST(WccTest, AgreesWithTheVerifier) {
  for (bool directed : {true, false}) {
    for (int threads : {1, 2}) {
      // Sparse random graphs have many components; Kronecker graphs one
      // giant one and many isolated vertices.
      for (const EdgeList& e :
           {UniformRandom(20000, 12000, 3), Kronecker(14, 8, 9), UniformRandom(1000, 0, 1)}) {
        auto g = ToGraph(e, directed);
        Control c;
        c.threads = threads;
        NENDB_ASSERT_OK_AND_ASSIGN(auto labels, Wcc(*g, c));
        NENDB_EXPECT_OK(VerifyComponents(*g, labels));
      }
    }
  }
}

TEST(WccTest, TheVerifierCatchesWrongAnswers) {
  auto g = ToGraph(UniformRandom(2000, 1500, 3), true);
  NENDB_ASSERT_OK_AND_ASSIGN(auto labels, Wcc(*g, {}));
  Vid v = 0;
  while (labels[v] == v) ++v;  // a vertex that is not its component's smallest
  labels[v] = v;
  EXPECT_FALSE(VerifyComponents(*g, labels).ok());
}

TEST(WccTest, EmptyGraph) {
  NENDB_ASSERT_OK_AND_ASSIGN(auto labels, Wcc(*Graph::FromArcs(0, {}, {}, {}, true), {}));
  EXPECT_TRUE(labels.empty());
}

}  // namespace
}  // namespace nendb::algo
