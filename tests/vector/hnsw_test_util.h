// What the HNSW suites share: clustered data like embeddings, and recall
// against exact search.
#ifndef NENDB_TESTS_VECTOR_HNSW_TEST_UTIL_H_
#define NENDB_TESTS_VECTOR_HNSW_TEST_UTIL_H_

#include <random>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "gtest/gtest.h"
#include "vector/exact.h"
#include "vector/hnsw.h"

namespace nendb::vec {

constexpr uint32_t kDim = 24;
constexpr uint32_t kEf = 64;

// n points around `clusters` centres (spread 1, centres spread 4), the kind of
// data embeddings are; queries drawn the same way.
inline std::vector<float> Clustered(uint64_t n, uint32_t clusters, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<float> pick(0.0f, 1.0f);
  std::mt19937_64 centre_rng(7);
  std::vector<float> centres(clusters * kDim);
  for (float& c : centres) c = 4.0f * pick(centre_rng);
  std::vector<float> v(n * kDim);
  for (uint64_t i = 0; i < n; ++i) {
    uint32_t c = rng() % clusters;
    for (uint32_t d = 0; d < kDim; ++d) v[i * kDim + d] = centres[c * kDim + d] + pick(rng);
  }
  return v;
}

inline std::vector<uint32_t> Iota(uint32_t n) {
  std::vector<uint32_t> s(n);
  for (uint32_t i = 0; i < n; ++i) s[i] = i;
  return s;
}

// Mean fraction of the exact k nearest (among allowed rows) that HNSW finds.
inline double Recall(const Hnsw& index, const RowView& view, const std::vector<float>& data,
                     const std::vector<float>& queries, uint32_t k, const uint64_t* allowed) {
  uint64_t nq = queries.size() / kDim;
  const std::vector<Rows> runs = {{data.data(), view.rows(), kDim, allowed, 0}};
  auto exact = ExactKnn(runs, queries.data(), nq, k, index.metric(), 1);
  EXPECT_TRUE(exact.ok()) << exact.status();
  double found = 0;
  for (uint64_t q = 0; q < nq; ++q) {
    std::vector<HnswHit> hits = index.Search(view, &queries[q * kDim], k, kEf, allowed);
    EXPECT_EQ(hits.size(), k);
    absl::flat_hash_set<uint64_t> truth(exact->rows.begin() + q * k,
                                        exact->rows.begin() + (q + 1) * k);
    for (size_t j = 0; j < hits.size(); ++j) {
      found += truth.contains(hits[j].slot);
      if (j > 0) {
        EXPECT_LE(hits[j - 1].distance, hits[j].distance);
      }
    }
  }
  return found / double(nq * k);
}

}  // namespace nendb::vec

#endif  // NENDB_TESTS_VECTOR_HNSW_TEST_UTIL_H_
