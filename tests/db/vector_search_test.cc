// nendb/vector_index.h through a database: exact k-NN over a vector
// property spread over label tables equals a brute force by NodeId; label
// and node-set filters, and conditions on properties, return only allowed
// nodes and exactly k of them;
// updates and deletes show; bad input is refused with clear errors.
#include <algorithm>
#include <cmath>
#include <map>
#include <random>
#include <vector>

#include "gtest/gtest.h"
#include "nendb/database.h"
#include "nendb/vector_index.h"
#include "test_util.h"

namespace nendb {
namespace {

constexpr uint32_t kDim = 12;

class VectorSearchTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = Database::Open(":memory:").value();
    std::mt19937_64 rng(5);
    std::normal_distribution<float> pick(0.0f, 1.0f);
    NENDB_ASSERT_OK(testing::WriteTxn(*db_, [&](WriteTransaction& tx) -> absl::Status {
      for (int i = 0; i < 600; ++i) {
        std::vector<float> e(kDim);
        for (float& x : e) x = pick(rng);
        const char* label = i % 3 == 0 ? "Paper" : "Person";
        NodeId id = tx.AddNode(label, Key(i), {{"embedding", Value(e)}}).value();
        vectors_[id] = e;
      }
      // A node without an embedding, and one with another property only.
      tx.AddNode("Person", Key(9999)).value();
      return absl::OkStatus();
    }));
  }
  // The k nearest by L2 among `allowed` (all when empty), brute force.
  std::vector<NodeId> Brute(const std::vector<float>& q, size_t k,
                            const std::vector<NodeId>& allowed = {}) {
    std::vector<std::pair<double, NodeId>> all;
    for (const auto& [id, e] : vectors_) {
      if (!allowed.empty() && std::find(allowed.begin(), allowed.end(), id) == allowed.end()) {
        continue;
      }
      double d = 0;
      for (uint32_t i = 0; i < kDim; ++i) d += (double{q[i]} - e[i]) * (q[i] - e[i]);
      all.push_back({d, id});
    }
    std::sort(all.begin(), all.end());
    std::vector<NodeId> ids;
    for (size_t j = 0; j < k && j < all.size(); ++j) ids.push_back(all[j].second);
    return ids;
  }

  std::unique_ptr<Database> db_;
  std::map<NodeId, std::vector<float>> vectors_;
};

TEST_F(VectorSearchTest, ExactSearchEqualsTheBruteForce) {
  auto rx = testing::Read(*db_);
  std::vector<float> queries;
  for (NodeId probe : {NodeId{7}, NodeId{300}}) {
    queries.insert(queries.end(), vectors_[probe].begin(), vectors_[probe].end());
  }
  queries[3] += 0.25f;
  KnnOptions o;
  o.metric = VectorMetric::kL2;
  NENDB_ASSERT_OK_AND_ASSIGN(KnnResult r, Knn(*rx, queries, kDim, 10, o));
  ASSERT_EQ(r.ids.size(), 20u);
  for (int q = 0; q < 2; ++q) {
    const std::vector<float> query(queries.begin() + q * kDim, queries.begin() + (q + 1) * kDim);
    EXPECT_EQ(std::vector<NodeId>(r.ids.begin() + q * 10, r.ids.begin() + (q + 1) * 10),
              Brute(query, 10))
        << q;
    EXPECT_TRUE(std::is_sorted(r.distances.begin() + q * 10, r.distances.begin() + (q + 1) * 10));
  }
  EXPECT_EQ(r.ids[10], 300u);  // a stored vector is its own nearest
  EXPECT_FLOAT_EQ(r.distances[10], 0.0f);
}

TEST_F(VectorSearchTest, FiltersReturnOnlyAllowedNodesAndExactlyK) {
  auto rx = testing::Read(*db_);
  const std::vector<float> q = vectors_[1];
  KnnOptions papers;
  papers.metric = VectorMetric::kL2Squared;
  papers.labels = {"Paper"};
  NENDB_ASSERT_OK_AND_ASSIGN(KnnResult r, Knn(*rx, q, kDim, 5, papers));
  std::vector<NodeId> all_papers;
  for (const auto& [id, e] : vectors_) {
    if (id % 3 == 0) all_papers.push_back(id);
  }
  EXPECT_EQ(r.ids, Brute(q, 5, all_papers));
  KnnOptions among;
  among.metric = VectorMetric::kL2;
  among.nodes = std::vector<NodeId>{4, 8, 15, 16, 23, 42, 601, 100000};  // 601: no vector
  NENDB_ASSERT_OK_AND_ASSIGN(r, Knn(*rx, q, kDim, 6, among));
  EXPECT_EQ(r.ids, Brute(q, 6, {4, 8, 15, 16, 23, 42}));
  EXPECT_ERROR_KIND(Knn(*rx, q, kDim, 7, among), kInvalidArgument);  // only 6 candidates
  among.labels = {"Paper"};
  NENDB_ASSERT_OK_AND_ASSIGN(r, Knn(*rx, q, kDim, 2, among));
  EXPECT_EQ(r.ids, Brute(q, 2, {15, 42}));
}

TEST_F(VectorSearchTest, WhereConditionsKeepOnlyTheNodesThatMeetThem) {
  // year on every node (int), lang on every node (string), score on Persons
  // only (float).
  std::map<NodeId, int64_t> year;
  std::map<NodeId, std::string> lang;
  std::map<NodeId, double> score;
  NENDB_ASSERT_OK(testing::WriteTxn(*db_, [&](WriteTransaction& tx) -> absl::Status {
    for (const auto& [id, e] : vectors_) {
      year[id] = 2000 + int64_t(id % 25);
      lang[id] = id % 2 ? "en" : "fr";
      NENDB_RETURN_IF_ERROR_FOR_TEST(tx.SetProperty(id, "year", Value(year[id])));
      NENDB_RETURN_IF_ERROR_FOR_TEST(tx.SetProperty(id, "lang", Value(lang[id])));
      if (id % 3 != 0) {
        score[id] = 0.5 * double(id);
        NENDB_RETURN_IF_ERROR_FOR_TEST(tx.SetProperty(id, "score", Value(score[id])));
      }
    }
    return absl::OkStatus();
  }));
  const std::vector<float> q = vectors_[42];
  auto search = [&](std::vector<PropertyCondition> where,
                    uint32_t k = 10) -> absl::StatusOr<KnnResult> {
    KnnOptions o;
    o.metric = VectorMetric::kL2;
    o.where = std::move(where);
    return Knn(*testing::Read(*db_), q, kDim, k, o);
  };
  auto expect = [&](std::vector<PropertyCondition> where, auto meets) {
    std::vector<NodeId> allowed;
    for (const auto& [id, e] : vectors_) {
      if (meets(id)) allowed.push_back(id);
    }
    auto r = search(std::move(where));
    ASSERT_TRUE(r.ok()) << r.status();
    EXPECT_EQ(r->ids, Brute(q, 10, allowed));
  };
  expect({{"year", CompareOp::kGe, Value(int64_t{2020})}},
         [&](NodeId id) { return year[id] >= 2020; });
  // An integer column against a float compares as numbers.
  expect({{"year", CompareOp::kGt, Value(2019.5)}}, [&](NodeId id) { return year[id] >= 2020; });
  expect({{"lang", CompareOp::kEq, Value("en")}, {"year", CompareOp::kLt, Value(int64_t{2003})}},
         [&](NodeId id) { return lang[id] == "en" && year[id] < 2003; });
  // Only Persons have a score: Papers meet no condition on it.
  expect({{"score", CompareOp::kLe, Value(int64_t{100})}},
         [&](NodeId id) { return score.count(id) && score[id] <= 100; });
  // Another type never equals and always differs.
  expect({{"lang", CompareOp::kNe, Value(int64_t{5})}}, [](NodeId) { return true; });
  EXPECT_ERROR_KIND(search({{"lang", CompareOp::kEq, Value(int64_t{5})}}).status(),
                    kInvalidArgument);  // no candidates left for k = 10
  EXPECT_ERROR_KIND(search({{"nobody", CompareOp::kEq, Value(int64_t{5})}}).status(),
                    kInvalidArgument);
  EXPECT_ERROR_KIND(search({{"year", CompareOp::kEq, Value()}}).status(), kInvalidArgument);
  EXPECT_ERROR_KIND(search({{"year", CompareOp::kEq, Value(std::vector<float>{1})}}).status(),
                    kInvalidArgument);
  EXPECT_ERROR_KIND(ParseCompareOp("~").status(), kInvalidArgument);
  EXPECT_EQ(ParseCompareOp(">=").value(), CompareOp::kGe);
  // Through a vector index too: every hit meets the condition, and k of them.
  NENDB_ASSERT_OK(testing::WriteTxn(*db_, [&](WriteTransaction& tx) {
    return tx.CreateVectorIndex({.label = "Person", .metric = VectorMetric::kL2});
  }));
  auto r = search({{"lang", CompareOp::kEq, Value("fr")}}, 50);
  NENDB_ASSERT_OK(r.status());
  EXPECT_EQ(r->ids.size(), 50u);
  for (NodeId id : r->ids) EXPECT_EQ(lang[id], "fr") << id;
}

TEST_F(VectorSearchTest, UpdatesAndDeletesShow) {
  const std::vector<float> q(kDim, 3.0f);
  NENDB_ASSERT_OK(testing::WriteTxn(*db_, [&](WriteTransaction& tx) -> absl::Status {
    NENDB_RETURN_IF_ERROR_FOR_TEST(tx.SetProperty(10, "embedding", Value(q)));
    return tx.DeleteNode(11, true);
  }));
  auto rx = testing::Read(*db_);
  KnnOptions o;
  o.metric = VectorMetric::kCosine;
  NENDB_ASSERT_OK_AND_ASSIGN(KnnResult r, Knn(*rx, q, kDim, 599, o));
  EXPECT_EQ(r.ids[0], 10u);
  EXPECT_NEAR(r.distances[0], 0.0f, 1e-6);
  EXPECT_EQ(std::count(r.ids.begin(), r.ids.end(), NodeId{11}), 0);
  EXPECT_ERROR_KIND(Knn(*rx, q, kDim, 600, o), kInvalidArgument);  // 599 nodes have one
}

// Another label keeping "embedding" vectors of another dimension is no
// obstacle to a search the filters keep away from them, and an error for one
// they do not.
TEST_F(VectorSearchTest, OtherEmbeddingsOfTheNameOnlyMatterWhenSearched) {
  NENDB_ASSERT_OK(testing::WriteTxn(*db_, [&](WriteTransaction& tx) {
    return tx.AddNode("Image", Key(1), {{"embedding", Value(std::vector<float>{1, 2, 3})}})
        .status();
  }));
  auto rx = testing::Read(*db_);
  const std::vector<float> q(kDim, 0.5f);
  KnnOptions o;
  o.metric = VectorMetric::kL2;
  o.labels = {"Paper"};
  auto found = Knn(*rx, q, kDim, 3, o);
  ASSERT_TRUE(found.ok()) << found.status();
  std::vector<NodeId> papers;
  for (const auto& [id, e] : vectors_) {
    if (id % 3 == 0) papers.push_back(id);  // every third node is a Paper
  }
  EXPECT_EQ(found->ids, Brute(q, 3, papers));
  o.labels = {"Paper", "Image"};
  EXPECT_ERROR_KIND(Knn(*rx, q, kDim, 3, o), kInvalidArgument);
  EXPECT_ERROR_KIND(Knn(*rx, q, kDim, 3), kInvalidArgument);
}

TEST_F(VectorSearchTest, BadInputIsRefused) {
  auto rx = testing::Read(*db_);
  const std::vector<float> q(kDim, 1.0f), zero(kDim, 0.0f);
  EXPECT_ERROR_KIND(Knn(*rx, q, kDim, 0), kInvalidArgument);
  EXPECT_ERROR_KIND(Knn(*rx, q, kDim + 1, 1), kInvalidArgument);  // not whole vectors
  EXPECT_ERROR_KIND(Knn(*rx, std::vector<float>(2 * 6, 1.0f), 6, 1), kInvalidArgument);  // dim
  EXPECT_ERROR_KIND(Knn(*rx, zero, kDim, 1), kInvalidArgument);  // cosine of zero
  std::vector<float> nan = q;
  nan[2] = NAN;
  EXPECT_ERROR_KIND(Knn(*rx, nan, kDim, 1), kInvalidArgument);
  KnnOptions o;
  o.property = "nope";
  EXPECT_ERROR_KIND(Knn(*rx, q, kDim, 1, o), kNotFound);
  o = KnnOptions();
  o.labels = {"Nope"};
  EXPECT_ERROR_KIND(Knn(*rx, q, kDim, 1, o), kNotFound);
  EXPECT_ERROR_KIND(ParseVectorMetric("hamming-ish"), kInvalidArgument);
  EXPECT_EQ(ParseVectorMetric("L2").value(), VectorMetric::kL2);
  EXPECT_EQ(ParseVectorMetric("ip").value(), VectorMetric::kInnerProduct);
}

}  // namespace
}  // namespace nendb
