// Exact k-NN against a brute force in double precision (VerifyKnn, itself
// shown to catch a wrong answer), for every metric, one query or a batch,
// one thread or two, with and without a filter; edge cases and bad queries.
#include "vector/exact.h"

#include <cmath>
#include <random>
#include <vector>

#include "gtest/gtest.h"
#include "test_util.h"

namespace nendb::vec {
namespace {

constexpr Metric kMetrics[] = {Metric::kL2Squared, Metric::kL2,        Metric::kInnerProduct,
                               Metric::kCosine,    Metric::kManhattan, Metric::kHamming};

std::vector<float> Random(size_t n, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<float> pick(0.0f, 1.0f);
  std::vector<float> v(n);
  for (float& x : v) x = pick(rng);
  return v;
}

TEST(ExactKnn, EveryMetricMatchesTheBruteForce) {
  const uint32_t dim = 37;
  const uint64_t n = 3000;
  const std::vector<float> data = Random(n * dim, 1), queries = Random(9 * dim, 2);
  std::vector<uint64_t> every_third((n + 63) / 64, 0);
  for (uint64_t r = 0; r < n; r += 3) every_third[r / 64] |= uint64_t{1} << (r % 64);
  for (Metric m : kMetrics) {
    for (const uint64_t* allowed : {static_cast<const uint64_t*>(nullptr),
                                    static_cast<const uint64_t*>(every_third.data())}) {
      // The column as one run, and as three of uneven lengths.
      const std::vector<Rows> one = {{data.data(), n, dim, allowed, 0}};
      const std::vector<Rows> three = {{data.data(), 1000, dim, allowed, 0},
                                       {data.data() + 1000 * dim, 1, dim, allowed, 1000},
                                       {data.data() + 1001 * dim, n - 1001, dim, allowed, 1001}};
      for (const std::vector<Rows>& rows : {one, three}) {
        for (uint64_t nq : {uint64_t{1}, uint64_t{9}}) {
          for (int threads : {1, 2}) {
            NENDB_ASSERT_OK_AND_ASSIGN(Neighbors got,
                                       ExactKnn(rows, queries.data(), nq, 10, m, threads));
            NENDB_EXPECT_OK(VerifyKnn(rows, queries.data(), nq, 10, m, got, 1e-4));
            if (allowed != nullptr) {
              for (uint64_t r : got.rows) EXPECT_EQ(r % 3, 0u);
            }
          }
        }
      }
    }
  }
}

// Codes longer than a word, rows of exactly one word, and the query's own row.
TEST(ExactKnn, HammingCountsTheSignsThatDiffer) {
  for (uint32_t dim : {64u, 130u}) {
    const uint64_t n = 700;
    const std::vector<float> data = Random(n * dim, dim);
    NENDB_ASSERT_OK_AND_ASSIGN(Neighbors got, ExactKnn({{data.data(), n, dim, nullptr, 0}},
                                                       &data[42 * dim], 1, 5, Metric::kHamming, 2));
    NENDB_EXPECT_OK(VerifyKnn({{data.data(), n, dim, nullptr, 0}}, &data[42 * dim], 1, 5,
                              Metric::kHamming, got, 0));
    EXPECT_EQ(got.rows[0], 42u);
    EXPECT_EQ(got.distances[0], 0.0f);
    // The sign is what counts: a row scaled by 3 (and zeros as negatives).
    std::vector<float> scaled(data.begin() + 42 * dim, data.begin() + 43 * dim);
    for (float& x : scaled) x = x > 0 ? 3 * x : 0;
    NENDB_ASSERT_OK_AND_ASSIGN(Neighbors same, ExactKnn({{data.data(), n, dim, nullptr, 0}},
                                                        scaled.data(), 1, 1, Metric::kHamming, 1));
    EXPECT_EQ(same.rows[0], 42u);
    EXPECT_EQ(same.distances[0], 0.0f);
  }
}

TEST(ExactKnn, TheVerifierCatchesAWrongAnswer) {
  const uint32_t dim = 8;
  const std::vector<float> data = Random(100 * dim, 3), q = Random(dim, 4);
  const std::vector<Rows> rows = {{data.data(), 100, dim, nullptr, 0}};
  NENDB_ASSERT_OK_AND_ASSIGN(Neighbors got, ExactKnn(rows, q.data(), 1, 5, Metric::kL2, 1));
  NENDB_ASSERT_OK(VerifyKnn(rows, q.data(), 1, 5, Metric::kL2, got, 1e-5));
  Neighbors missed = got;  // the nearest left out
  missed.rows.erase(missed.rows.begin());
  missed.distances.erase(missed.distances.begin());
  missed.rows.push_back(kNoRow);
  missed.distances.push_back(INFINITY);
  EXPECT_FALSE(VerifyKnn(rows, q.data(), 1, 5, Metric::kL2, missed, 1e-5).ok());
  Neighbors wrong = got;
  wrong.distances[2] += 0.5f;
  EXPECT_FALSE(VerifyKnn(rows, q.data(), 1, 5, Metric::kL2, wrong, 1e-5).ok());
}

TEST(ExactKnn, FewerRowsThanKArePaddedAndTiesGoToTheLowerRow) {
  const float data[] = {1, 0, 0, 1, 1, 0, 5, 5};  // rows 0 and 2 are equal
  const float q[] = {1, 0};
  NENDB_ASSERT_OK_AND_ASSIGN(Neighbors got,
                             ExactKnn({{data, 4, 2, nullptr, 0}}, q, 1, 6, Metric::kL2Squared, 2));
  EXPECT_EQ(got.rows, (std::vector<uint64_t>{0, 2, 1, 3, kNoRow, kNoRow}));
  EXPECT_EQ(got.distances[0], 0.0f);
  EXPECT_EQ(got.distances[2], 2.0f);
  EXPECT_TRUE(std::isinf(got.distances[5]));
  NENDB_ASSERT_OK_AND_ASSIGN(got, ExactKnn({}, q, 1, 2, Metric::kL2, 1));
  EXPECT_EQ(got.rows, (std::vector<uint64_t>{kNoRow, kNoRow}));
}

TEST(ExactKnn, CosineTreatsAZeroRowAsOrthogonalAndSkipsNaNRows) {
  const float data[] = {0, 0, 2, 0, NAN, 1, 0, -3};
  const float q[] = {1, 0};
  NENDB_ASSERT_OK_AND_ASSIGN(Neighbors got,
                             ExactKnn({{data, 4, 2, nullptr, 0}}, q, 1, 4, Metric::kCosine, 1));
  EXPECT_EQ(got.rows, (std::vector<uint64_t>{1, 0, 3, kNoRow}));
  EXPECT_FLOAT_EQ(got.distances[0], 0.0f);
  EXPECT_FLOAT_EQ(got.distances[1], 1.0f);
  EXPECT_FLOAT_EQ(got.distances[2], 1.0f);
}

TEST(ExactKnn, BadQueriesAreRefused) {
  const float data[] = {1, 2, 3, 4};
  const std::vector<Rows> rows = {{data, 2, 2, nullptr, 0}};
  const float zero[] = {0, 0}, nan[] = {1, NAN}, inf[] = {INFINITY, 0}, ok[] = {1, 1};
  EXPECT_ERROR_KIND(ExactKnn(rows, zero, 1, 1, Metric::kCosine, 1), kInvalidArgument);
  NENDB_EXPECT_OK(ExactKnn(rows, zero, 1, 1, Metric::kL2, 1).status());
  EXPECT_ERROR_KIND(ExactKnn(rows, nan, 1, 1, Metric::kL2, 1), kInvalidArgument);
  EXPECT_ERROR_KIND(ExactKnn(rows, inf, 1, 1, Metric::kL2, 1), kInvalidArgument);
  EXPECT_ERROR_KIND(ExactKnn(rows, ok, 1, 0, Metric::kL2, 1), kInvalidArgument);
  EXPECT_ERROR_KIND(ExactKnn({{data, 2, 0, nullptr, 0}}, ok, 1, 1, Metric::kL2, 1),
                    kInvalidArgument);
  const std::vector<Rows> mixed = {{data, 1, 2, nullptr, 0}, {data, 1, 1, nullptr, 1}};
  EXPECT_ERROR_KIND(ExactKnn(mixed, ok, 1, 1, Metric::kL2, 1), kInvalidArgument);
}

}  // namespace
}  // namespace nendb::vec
