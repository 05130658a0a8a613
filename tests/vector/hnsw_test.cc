// HNSW against exact search (ExactKnn) on clustered data: recall@10 at the
// default parameters for every metric, built on one thread or two; removal
// (no removed slot returned, the invariants kept, recall kept, freed slots
// reused); filtered search returns only allowed slots and exactly k of them;
// bad parameters and input.
#include "vector/hnsw.h"

#include <cmath>
#include <random>
#include <vector>

#include "gtest/gtest.h"
#include "test_util.h"
#include "vector/hnsw_test_util.h"

namespace nendb::vec {
namespace {

TEST(Hnsw, RecallAtTenIsAtLeast095ForEveryMetric) {
  const uint32_t n = 4000;
  const std::vector<float> data = Clustered(n, 40, 1), queries = Clustered(100, 40, 2);
  RowView view = RowView::Flat(data.data(), n, kDim);
  for (Metric m : {Metric::kL2Squared, Metric::kL2, Metric::kInnerProduct, Metric::kCosine,
                   Metric::kManhattan}) {
    // The serial build once; the parallel one (what a database does) for every metric.
    for (int threads : {1, 2}) {
      if (threads == 1 && m != Metric::kL2Squared) continue;
      NENDB_ASSERT_OK_AND_ASSIGN(auto index, Hnsw::Create(m, kDim, HnswParams()));
      NENDB_ASSERT_OK(index->Insert(view, Iota(n), threads));
      NENDB_ASSERT_OK(index->Check());
      EXPECT_EQ(index->size(), n);
      double recall = Recall(*index, view, data, queries, 10, nullptr);
      EXPECT_GE(recall, 0.95) << "metric " << int(m) << ", threads " << threads;
    }
  }
}

TEST(Hnsw, TheDistancesAreTheMetrics) {
  const uint32_t n = 500;
  const std::vector<float> data = Clustered(n, 5, 3), q = Clustered(1, 5, 4);
  RowView view = RowView::Flat(data.data(), n, kDim);
  for (Metric m : {Metric::kL2, Metric::kCosine}) {
    NENDB_ASSERT_OK_AND_ASSIGN(auto index, Hnsw::Create(m, kDim, HnswParams()));
    NENDB_ASSERT_OK(index->Insert(view, Iota(n), 1));
    const std::vector<Rows> runs = {{data.data(), n, kDim, nullptr, 0}};
    NENDB_ASSERT_OK_AND_ASSIGN(Neighbors exact, ExactKnn(runs, q.data(), 1, 1, m, 1));
    std::vector<HnswHit> hits = index->Search(view, q.data(), 1, kEf, nullptr);
    ASSERT_EQ(hits.size(), 1u);
    EXPECT_EQ(hits[0].slot, exact.rows[0]);
    EXPECT_NEAR(hits[0].distance, exact.distances[0], 1e-4 * (1 + exact.distances[0]));
  }
}

TEST(Hnsw, RemovedSlotsLeaveAndTheirSlotsAreReused) {
  const uint32_t n = 4000;
  std::vector<float> data = Clustered(n, 20, 5);
  const std::vector<float> queries = Clustered(100, 20, 6);
  RowView view = RowView::Flat(data.data(), n, kDim);
  NENDB_ASSERT_OK_AND_ASSIGN(auto index, Hnsw::Create(Metric::kL2Squared, kDim, HnswParams()));
  NENDB_ASSERT_OK(index->Insert(view, Iota(n), 2));
  const uint64_t before = index->MemoryBytes();
  // Remove every other slot, the entry point among them.
  std::vector<uint32_t> gone;
  std::vector<uint64_t> kept((n + 63) / 64, 0);
  for (uint32_t s = 0; s < n; ++s) {
    if (s % 2 == 0 || s == index->entry()) {
      gone.push_back(s);
    } else {
      kept[s / 64] |= uint64_t{1} << (s % 64);
    }
  }
  index->Remove(view, gone, 2);
  NENDB_ASSERT_OK(index->Check());
  EXPECT_EQ(index->size(), n - gone.size());
  for (uint32_t s : gone) EXPECT_FALSE(index->Contains(s));
  // Searching everything returns only kept slots, as well as on the kept set.
  EXPECT_GE(Recall(*index, view, data, queries, 10, kept.data()), 0.95);
  for (uint64_t q = 0; q < 100; ++q) {
    for (const HnswHit& h : index->Search(view, &queries[q * kDim], 10, kEf, nullptr)) {
      EXPECT_EQ(h.slot % 2, 1u);
    }
  }
  // New vectors in the freed slots (as a property table reuses rows): found,
  // and the graph did not grow.
  std::vector<float> fresh = Clustered(gone.size(), 20, 8);
  for (size_t i = 0; i < gone.size(); ++i) {
    std::copy_n(&fresh[i * kDim], kDim, &data[uint64_t{gone[i]} * kDim]);
  }
  NENDB_ASSERT_OK(index->Insert(view, gone, 2));
  NENDB_ASSERT_OK(index->Check());
  EXPECT_EQ(index->size(), n);
  EXPECT_LE(index->MemoryBytes(), before);
  EXPECT_GE(Recall(*index, view, data, queries, 10, nullptr), 0.95);
  for (size_t i = 0; i < gone.size(); i += 97) {
    std::vector<HnswHit> hits = index->Search(view, &fresh[i * kDim], 1, kEf, nullptr);
    ASSERT_EQ(hits.size(), 1u);
    EXPECT_EQ(hits[0].slot, gone[i]);
  }
  // Removing everything leaves an empty graph that searches to nothing.
  index->Remove(view, Iota(n), 1);
  NENDB_ASSERT_OK(index->Check());
  EXPECT_EQ(index->size(), 0u);
  EXPECT_TRUE(index->Search(view, queries.data(), 10, kEf, nullptr).empty());
}

TEST(Hnsw, EveryOutlierIsFound) {
  // Vectors far from the rest and from each other, each in a direction of
  // its own (as an embedding updated to something unlike the rest): the
  // diversity heuristic prunes them out of their neighbours' lists, so only
  // the orphan pass keeps them reachable.
  const uint32_t n = 8000;
  std::vector<float> data = Clustered(n, 30, 12);
  std::vector<uint32_t> outliers;
  for (uint32_t j = 0; j < 10; ++j) {
    const uint32_t s = 3000 + 500 * j;
    data[uint64_t{s} * kDim + j] = 60.0f + 10.0f * j;
    outliers.push_back(s);
  }
  RowView view = RowView::Flat(data.data(), n, kDim);
  for (Metric m : {Metric::kL2Squared, Metric::kCosine}) {
    NENDB_ASSERT_OK_AND_ASSIGN(auto index, Hnsw::Create(m, kDim, HnswParams()));
    NENDB_ASSERT_OK(index->Insert(view, Iota(n), 2));
    NENDB_ASSERT_OK(index->Check());
    for (uint32_t s : outliers) {
      std::vector<HnswHit> hits = index->Search(view, &data[uint64_t{s} * kDim], 1, kEf, nullptr);
      ASSERT_EQ(hits.size(), 1u);

      EXPECT_EQ(hits[0].slot, s) << "metric " << int(m);
    }
  }
}

TEST(Hnsw, GroupsOfCopiesAreNoIslands) {
  // 60 vectors, each stored 100 times (duplicated documents, or short binary
  // codes): kept, the paper's heuristic fills each copy's lists with other
  // copies, and a search that lands among them never leaves.
  const uint32_t n = 6000, distinct = 60, k = 10;
  const std::vector<float> originals = Clustered(distinct, 20, 15);
  std::vector<float> data(uint64_t{n} * kDim);
  for (uint32_t s = 0; s < n; ++s) {
    std::copy_n(&originals[(s % distinct) * kDim], kDim, &data[uint64_t{s} * kDim]);
  }
  const std::vector<float> queries = Clustered(100, 20, 16);
  RowView view = RowView::Flat(data.data(), n, kDim);
  NENDB_ASSERT_OK_AND_ASSIGN(auto index, Hnsw::Create(Metric::kL2Squared, kDim, HnswParams()));
  NENDB_ASSERT_OK(index->Insert(view, Iota(n), 2));
  const std::vector<Rows> runs = {{data.data(), n, kDim, nullptr, 0}};
  NENDB_ASSERT_OK_AND_ASSIGN(Neighbors exact,
                             ExactKnn(runs, queries.data(), 100, k, Metric::kL2Squared, 1));
  // Ties everywhere: a hit counts when it is no farther than the exact k-th.
  uint64_t good = 0;
  for (uint32_t q = 0; q < 100; ++q) {
    for (const HnswHit& h : index->Search(view, &queries[q * kDim], k, kEf, nullptr)) {
      good += h.distance <= exact.distances[q * k + k - 1] * (1 + 1e-6f);
    }
  }
  EXPECT_GE(good, 990u);
}

TEST(Hnsw, FilteredSearchReturnsExactlyKAllowedSlots) {
  const uint32_t n = 5000;
  const std::vector<float> data = Clustered(n, 25, 9), queries = Clustered(50, 25, 10);
  RowView view = RowView::Flat(data.data(), n, kDim);
  NENDB_ASSERT_OK_AND_ASSIGN(auto index, Hnsw::Create(Metric::kCosine, kDim, HnswParams()));
  NENDB_ASSERT_OK(index->Insert(view, Iota(n), 2));
  for (uint32_t every : {2u, 10u, 50u}) {
    std::vector<uint64_t> allowed((n + 63) / 64, 0);
    for (uint32_t s = 0; s < n; s += every) allowed[s / 64] |= uint64_t{1} << (s % 64);
    for (uint64_t q = 0; q < 50; ++q) {
      std::vector<HnswHit> hits = index->Search(view, &queries[q * kDim], 10, kEf, allowed.data());
      ASSERT_EQ(hits.size(), 10u);
      for (const HnswHit& h : hits) EXPECT_EQ(h.slot % every, 0u);
    }
    EXPECT_GE(Recall(*index, view, data, queries, 10, allowed.data()), 0.9) << every;
  }
}

TEST(Hnsw, BadParametersAndInput) {
  EXPECT_FALSE(Hnsw::Create(Metric::kL2, kDim, HnswParams{.m = 1}).ok());
  EXPECT_FALSE(Hnsw::Create(Metric::kL2, kDim, HnswParams{.m = 101}).ok());
  EXPECT_FALSE(Hnsw::Create(Metric::kL2, kDim, HnswParams{.m = 16, .ef_construction = 8}).ok());
  EXPECT_FALSE(Hnsw::Create(Metric::kL2, 0, HnswParams()).ok());
  std::vector<float> data = Clustered(100, 3, 11);
  data[5 * kDim + 3] = std::nanf("");
  data[6 * kDim] = INFINITY;
  RowView view = RowView::Flat(data.data(), 100, kDim);
  NENDB_ASSERT_OK_AND_ASSIGN(auto index, Hnsw::Create(Metric::kL2, kDim, HnswParams()));
  NENDB_ASSERT_OK(index->Insert(view, Iota(100), 1));
  EXPECT_EQ(index->size(), 98u);  // the rows with NaN and infinity are left out
  EXPECT_FALSE(index->Contains(5));
  EXPECT_FALSE(index->Contains(6));
  EXPECT_FALSE(index->Insert(view, {7}, 1).ok());    // present
  EXPECT_FALSE(index->Insert(view, {100}, 1).ok());  // past the rows
  NENDB_EXPECT_OK(index->Check());
  // The copy is independent of the original.
  Hnsw copy(*index);
  copy.Remove(view, {7, 8}, 1);
  EXPECT_TRUE(index->Contains(7));
  EXPECT_FALSE(copy.Contains(7));
  NENDB_EXPECT_OK(index->Check());
  NENDB_EXPECT_OK(copy.Check());
}

}  // namespace
}  // namespace nendb::vec
