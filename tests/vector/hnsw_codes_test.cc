// The graph's codes: int8 quantization keeps recall@10 at 0.95 or more for
// every metric and returns exact distances (the rescoring), however the
// vectors arrive (the ranges widen to cover them); Hamming over binary codes
// finds the nearest codes with their exact bit counts; int8 with Hamming is
// refused.
#include <algorithm>
#include <cmath>
#include <random>
#include <vector>

#include "gtest/gtest.h"
#include "test_util.h"
#include "vector/hnsw.h"
#include "vector/hnsw_test_util.h"

namespace nendb::vec {
namespace {

constexpr HnswParams kInt8{.quantization = Quantization::kInt8};

// The hits' distances are exact and in order: VerifyKnn over the hits alone
// (every other row disallowed) recomputes each one in double precision.
void ExpectExactDistances(const Hnsw& index, const std::vector<float>& data, uint64_t n,
                          const float* query, const std::vector<HnswHit>& hits) {
  std::vector<uint64_t> only((n + 63) / 64, 0);
  Neighbors found;
  for (const HnswHit& h : hits) {
    only[h.slot / 64] |= uint64_t{1} << (h.slot % 64);
    found.rows.push_back(h.slot);
    found.distances.push_back(h.distance);
  }
  const std::vector<Rows> runs = {{data.data(), n, kDim, only.data(), 0}};
  NENDB_EXPECT_OK(
      VerifyKnn(runs, query, 1, static_cast<uint32_t>(hits.size()), index.metric(), found, 1e-4));
}

TEST(HnswCodes, Int8RecallAtTenIsAtLeast095AndTheDistancesAreExact) {
  const uint32_t n = 4000;
  const std::vector<float> data = Clustered(n, 40, 1), queries = Clustered(100, 40, 2);
  RowView view = RowView::Flat(data.data(), n, kDim);
  for (Metric m : {Metric::kL2Squared, Metric::kL2, Metric::kInnerProduct, Metric::kCosine,
                   Metric::kManhattan}) {
    NENDB_ASSERT_OK_AND_ASSIGN(auto index, Hnsw::Create(m, kDim, kInt8));
    NENDB_ASSERT_OK(index->Insert(view, Iota(n), 2));
    NENDB_ASSERT_OK(index->Check());
    EXPECT_GE(Recall(*index, view, data, queries, 10, nullptr), 0.95) << "metric " << int(m);
    for (uint64_t q = 0; q < 100; q += 7) {
      ExpectExactDistances(*index, data, n, &queries[q * kDim],
                           index->Search(view, &queries[q * kDim], 10, kEf, nullptr));
    }
    if (m != Metric::kL2Squared) continue;
    // A quarter of the floats' bytes: the codes (and ranges) are the extra memory.
    NENDB_ASSERT_OK_AND_ASSIGN(auto plain, Hnsw::Create(m, kDim, HnswParams()));
    NENDB_ASSERT_OK(plain->Insert(view, Iota(n), 2));
    EXPECT_EQ(index->MemoryBytes() - plain->MemoryBytes(), uint64_t{n} * kDim + 8 * kDim);
  }
}

TEST(HnswCodes, TheInt8RangesWidenToCoverVectorsAsTheyArrive) {
  const uint32_t n = 5000;
  std::vector<float> data = Clustered(n, 30, 3);
  // The later vectors reach further and further out.
  for (uint32_t s = 2000; s < n; ++s) {
    for (uint32_t d = 0; d < kDim; ++d) data[uint64_t{s} * kDim + d] *= 1.0f + (s - 2000) / 600.0f;
  }
  const std::vector<float> queries = Clustered(100, 30, 4);
  RowView view = RowView::Flat(data.data(), n, kDim);
  NENDB_ASSERT_OK_AND_ASSIGN(auto index, Hnsw::Create(Metric::kL2Squared, kDim, kInt8));
  // One vector, then one, then batches growing, as commits fold them in.
  uint32_t at = 0;
  for (uint32_t batch : {1u, 1u, 10u, 100u, 1000u, 1000u, 1000u, 1888u}) {
    std::vector<uint32_t> slots(batch);
    for (uint32_t i = 0; i < batch; ++i) slots[i] = at + i;
    NENDB_ASSERT_OK(index->Insert(view, slots, 2));
    at += batch;
    const auto lo = index->quantizer_lo(), scale = index->quantizer_scale();
    ASSERT_EQ(lo.size(), kDim);
    for (uint32_t s = 0; s < at; ++s) {
      for (uint32_t d = 0; d < kDim; ++d) {
        const float x = data[uint64_t{s} * kDim + d];
        ASSERT_GE(x, lo[d]) << "slot " << s;
        ASSERT_LE(x, lo[d] + 255.0f * scale[d] * (1 + 1e-6f) + 1e-6f) << "slot " << s;
      }
    }
  }
  ASSERT_EQ(at, n);
  EXPECT_GE(Recall(*index, view, data, queries, 10, nullptr), 0.95);
  // Removed and refilled slots are measured by their new codes.
  std::vector<uint32_t> gone;
  for (uint32_t s = 0; s < n; s += 5) gone.push_back(s);
  index->Remove(view, gone, 2);
  const std::vector<float> fresh = Clustered(gone.size(), 30, 5);
  for (size_t i = 0; i < gone.size(); ++i) {
    for (uint32_t d = 0; d < kDim; ++d)
      data[uint64_t{gone[i]} * kDim + d] = -3 * fresh[i * kDim + d];
  }
  NENDB_ASSERT_OK(index->Insert(view, gone, 2));
  NENDB_ASSERT_OK(index->Check());
  EXPECT_GE(Recall(*index, view, data, queries, 10, nullptr), 0.95);
  for (size_t i = 0; i < gone.size(); i += 101) {
    const std::vector<HnswHit> hits =
        index->Search(view, &data[uint64_t{gone[i]} * kDim], 1, kEf, nullptr);
    ASSERT_EQ(hits.size(), 1u);
    EXPECT_EQ(hits[0].slot, gone[i]);
    EXPECT_EQ(hits[0].distance, 0.0f);
  }
}

// Binary codes of 100 bits (two words) around 20 centres, 8% of the bits
// flipped, stored as 0/1 floats.
std::vector<float> Codes(uint64_t n, uint64_t seed, uint32_t dim) {
  std::mt19937_64 centre_rng(9), rng(seed);
  std::vector<float> centres(20 * dim), v(n * dim);
  for (float& c : centres) c = static_cast<float>(centre_rng() & 1);
  for (uint64_t i = 0; i < n; ++i) {
    const uint64_t c = rng() % 20;
    for (uint32_t d = 0; d < dim; ++d) {
      const float bit = centres[c * dim + d];
      v[i * dim + d] = rng() % 100 < 8 ? 1 - bit : bit;
    }
  }
  return v;
}

TEST(HnswCodes, HammingFindsTheNearestCodes) {
  constexpr uint32_t kBits = 100;
  const uint32_t n = 5000, nq = 60, k = 10;
  const std::vector<float> data = Codes(n, 1, kBits), queries = Codes(nq, 2, kBits);
  const RowView view = RowView::Flat(data.data(), n, kBits);
  NENDB_ASSERT_OK_AND_ASSIGN(auto index, Hnsw::Create(Metric::kHamming, kBits, HnswParams()));
  NENDB_ASSERT_OK(index->Insert(view, Iota(n), 2));
  NENDB_ASSERT_OK(index->Check());
  const std::vector<Rows> runs = {{data.data(), n, kBits, nullptr, 0}};
  NENDB_ASSERT_OK_AND_ASSIGN(Neighbors exact,
                             ExactKnn(runs, queries.data(), nq, k, Metric::kHamming, 1));
  NENDB_ASSERT_OK(VerifyKnn(runs, queries.data(), nq, k, Metric::kHamming, exact, 0));
  // Many codes tie: a hit counts when it is no farther than the exact k-th.
  uint64_t good = 0;
  for (uint32_t q = 0; q < nq; ++q) {
    const float* query = &queries[uint64_t{q} * kBits];
    const std::vector<HnswHit> hits = index->Search(view, query, k, kEf, nullptr);
    ASSERT_EQ(hits.size(), k);
    for (const HnswHit& h : hits) {
      float bits = 0;
      for (uint32_t d = 0; d < kBits; ++d) bits += (query[d] > 0) != (data[h.slot * kBits + d] > 0);
      EXPECT_EQ(h.distance, bits);
      good += h.distance <= exact.distances[q * k + k - 1];
    }
  }
  EXPECT_GE(good, 0.95 * nq * k);
}

TEST(HnswCodes, Int8WithHammingIsRefused) {
  EXPECT_FALSE(Hnsw::Create(Metric::kHamming, kDim, kInt8).ok());
  NENDB_EXPECT_OK(Hnsw::Create(Metric::kHamming, kDim, HnswParams()).status());
}

}  // namespace
}  // namespace nendb::vec
