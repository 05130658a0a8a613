// vec::Hnsw alone, without the database or Python around it: the graph
// search that bench/ann_bench.py sets against hnswlib, FAISS and USearch,
// for looking at where a query's time goes (perf record on this binary).
//   BM_HnswSearch/<ef>/<int8>   one query at a time on one thread, 100k x
//                        128 clustered vectors, squared L2, M 16,
//                        ef_construction 200, the graph without (0) or with
//                        (1) its int8 codes; counters: queries/s, recall@10
//                        against exact
// Run: build/bench/hnsw_bench [--benchmark_filter=Search/64/]
#include <memory>
#include <random>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "benchmark/benchmark.h"
#include "vector/exact.h"
#include "vector/hnsw.h"

namespace nendb::vec {
namespace {

constexpr uint32_t kDim = 128, kRows = 100000, kQueries = 500, kK = 10;

// Points around 100 gaussian centres, as ann_bench's synthetic set.
std::vector<float> Clustered(uint64_t n, uint64_t seed) {
  std::mt19937_64 rng(seed), centre_rng(3);
  std::normal_distribution<float> pick(0.0f, 1.0f);
  std::vector<float> centres(100 * kDim);
  for (float& c : centres) c = 3.0f * pick(centre_rng);
  std::vector<float> v(n * kDim);
  for (uint64_t i = 0; i < n; ++i) {
    const uint64_t c = rng() % 100;
    for (uint32_t d = 0; d < kDim; ++d) v[i * kDim + d] = centres[c * kDim + d] + pick(rng);
  }
  return v;
}

struct Fixture {
  std::vector<float> data = Clustered(kRows, 1), queries = Clustered(kQueries, 2);
  RowView rows = RowView::Flat(data.data(), kRows, kDim);
  std::unique_ptr<Hnsw> graphs[2];  // plain, int8
  std::vector<absl::flat_hash_set<uint64_t>> truth;
  Fixture() {
    std::vector<uint32_t> slots(kRows);
    for (uint32_t i = 0; i < kRows; ++i) slots[i] = i;
    for (Quantization q : {Quantization::kNone, Quantization::kInt8}) {
      auto& graph = graphs[q == Quantization::kInt8];
      graph = Hnsw::Create(Metric::kL2Squared, kDim, {.quantization = q}).value();
      (void)graph->Insert(rows, slots, 2);
    }
    const std::vector<Rows> runs = {{data.data(), kRows, kDim, nullptr, 0}};
    const Neighbors exact =
        ExactKnn(runs, queries.data(), kQueries, kK, Metric::kL2Squared, 2).value();
    for (uint32_t q = 0; q < kQueries; ++q) {
      truth.emplace_back(exact.rows.begin() + q * kK, exact.rows.begin() + (q + 1) * kK);
    }
  }
};

const Fixture& Shared() {
  static const Fixture* f = new Fixture;
  return *f;
}

void BM_HnswSearch(benchmark::State& state) {
  const Fixture& f = Shared();
  const uint32_t ef = static_cast<uint32_t>(state.range(0));
  const Hnsw& graph = *f.graphs[state.range(1)];
  uint64_t done = 0, found = 0;
  for (auto _ : state) {
    const uint32_t q = done++ % kQueries;
    const std::vector<HnswHit> hits = graph.Search(f.rows, &f.queries[q * kDim], kK, ef, nullptr);
    for (const HnswHit& h : hits) found += f.truth[q].contains(h.slot);
    benchmark::DoNotOptimize(hits.data());
  }
  state.counters["queries/s"] = benchmark::Counter(double(done), benchmark::Counter::kIsRate);
  state.counters["recall"] = double(found) / double(done * kK);
}
BENCHMARK(BM_HnswSearch)->ArgsProduct({{16, 32, 64, 128}, {0, 1}})->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace nendb::vec

BENCHMARK_MAIN();
