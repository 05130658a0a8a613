// The SIMD kernels (src/simd) per instruction set, and the analytics that use
// them run end to end with each instruction set, so every figure has the
// scalar reference beside it in the same run:
//   BM_Intersect/<isa>/<na>/<nb>      sorted-list intersection (triangles)
//   BM_GatherSum/<isa>/<values>       sum of values[index[i]] (PageRank pull)
//   BM_Triangles/<isa>/<scale>        algo::Triangles on a Kronecker graph
//   BM_PageRank/<isa>/<scale>         algo::PageRank, 20 iterations
//   BM_L2Squared/<isa>/<dim>/<rows>   one query against rows of a vector column
// Run: build/bench/simd_bench [--benchmark_filter=Triangles]
#include <algorithm>
#include <random>
#include <vector>

#include "algo/generate.h"
#include "algo/pagerank.h"
#include "algo/triangles.h"
#include "benchmark/benchmark.h"
#include "simd/distance.h"
#include "simd/isa.h"
#include "simd/kernels.h"

namespace nendb {
namespace {

std::vector<uint32_t> SortedSet(std::mt19937_64& rng, size_t n, uint32_t range) {
  std::vector<uint32_t> v(n);
  std::uniform_int_distribution<uint32_t> pick(0, range - 1);
  for (uint32_t& x : v) x = pick(rng);
  std::sort(v.begin(), v.end());
  v.erase(std::unique(v.begin(), v.end()), v.end());
  return v;
}

simd::Isa IsaArg(benchmark::State& state) {
  const auto isa = static_cast<simd::Isa>(state.range(0));
  state.SetLabel(std::string(simd::IsaName(isa)));
  return isa;
}

// Lists drawn from a range four times the longer one, so about a quarter of
// the shorter list's values match, as in the oriented lists of triangles.
void BM_Intersect(benchmark::State& state) {
  const simd::Kernels& k = simd::KernelsFor(IsaArg(state));
  std::mt19937_64 rng(1);
  const size_t na = state.range(1), nb = state.range(2);
  const uint32_t range = static_cast<uint32_t>(4 * std::max(na, nb));
  std::vector<std::vector<uint32_t>> a, b;
  for (int i = 0; i < 64; ++i) {
    a.push_back(SortedSet(rng, na, range));
    b.push_back(SortedSet(rng, nb, range));
  }
  std::vector<uint32_t> out(std::max(na, nb));
  size_t i = 0, found = 0, elements = 0;
  for (auto _ : state) {
    const auto& x = a[i % 64];
    const auto& y = b[i++ % 64];
    found += k.intersect(x.data(), x.size(), y.data(), y.size(), out.data());
    elements += x.size() + y.size();
  }
  benchmark::DoNotOptimize(found);
  state.counters["elements/s"] = benchmark::Counter(double(elements), benchmark::Counter::kIsRate);
}

void BM_GatherSum(benchmark::State& state) {
  const simd::Kernels& k = simd::KernelsFor(IsaArg(state));
  std::mt19937_64 rng(2);
  std::vector<double> values(state.range(1), 1.0);
  std::vector<uint32_t> index(1 << 20);
  std::uniform_int_distribution<uint32_t> pick(0, values.size() - 1);
  for (uint32_t& x : index) x = pick(rng);
  double sum = 0;
  for (auto _ : state) {
    // Runs of 32, about the mean in-degree of the Kronecker graphs.
    for (size_t i = 0; i < index.size(); i += 32) {
      sum += k.gather_sum(values.data(), index.data() + i, 32);
    }
  }
  benchmark::DoNotOptimize(sum);
  state.counters["gathers/s"] =
      benchmark::Counter(double(index.size()) * state.iterations(), benchmark::Counter::kIsRate);
}

std::shared_ptr<const algo::Graph> Kronecker(int scale) {
  static std::shared_ptr<const algo::Graph> g;
  static int built = -1;
  if (built != scale) {
    g = algo::ToGraph(algo::Kronecker(scale, 16, 27491095), /*directed=*/false);
    built = scale;
  }
  return g;
}

// Runs fn with isa active, restoring the previous one.
template <typename Fn>
void WithIsa(simd::Isa isa, Fn&& fn) {
  const simd::Isa before = simd::ActiveIsa();
  if (!simd::SetActiveIsa(isa).ok()) return;
  fn();
  (void)simd::SetActiveIsa(before);
}

void BM_Triangles(benchmark::State& state) {
  const simd::Isa isa = IsaArg(state);
  auto g = Kronecker(static_cast<int>(state.range(1)));
  WithIsa(isa, [&] {
    for (auto _ : state) {
      auto r = algo::Triangles(*g, algo::Control{});
      if (!r.ok()) state.SkipWithError(r.status().ToString().c_str());
      benchmark::DoNotOptimize(r);
    }
  });
  state.counters["arcs/s"] =
      benchmark::Counter(double(g->num_arcs()) * state.iterations(), benchmark::Counter::kIsRate);
}

void BM_PageRank(benchmark::State& state) {
  const simd::Isa isa = IsaArg(state);
  auto g = Kronecker(static_cast<int>(state.range(1)));
  algo::PageRankOptions o;
  o.tolerance = 0;
  o.max_iterations = 20;
  WithIsa(isa, [&] {
    for (auto _ : state) {
      auto r = algo::PageRank(*g, o, algo::Control{});
      if (!r.ok()) state.SkipWithError(r.status().ToString().c_str());
      benchmark::DoNotOptimize(r);
    }
  });
  state.counters["arcs/s"] = benchmark::Counter(double(g->num_arcs()) * 20 * state.iterations(),
                                                benchmark::Counter::kIsRate);
}

// One query against `rows` rows of `dim` floats (a property column), the
// squared-L2 scan of exact k-NN: in cache for small row counts, streamed
// from memory for large ones (bytes/s against hw_bench's bandwidth).
void BM_L2Squared(benchmark::State& state) {
  const simd::DistanceKernels& k = simd::DistancesFor(IsaArg(state));
  const size_t dim = state.range(1), rows = state.range(2);
  std::mt19937_64 rng(3);
  std::uniform_real_distribution<float> pick(-1.0f, 1.0f);
  std::vector<float> q(dim), data(dim * rows), out(rows);
  for (float& x : q) x = pick(rng);
  for (float& x : data) x = pick(rng);
  for (auto _ : state) {
    k.l2_squared(q.data(), data.data(), dim, rows, out.data());
    benchmark::DoNotOptimize(out.data());
  }
  state.counters["bytes/s"] =
      benchmark::Counter(double(data.size() * 4) * state.iterations(), benchmark::Counter::kIsRate);
}

void PerIsa(benchmark::internal::Benchmark* b, std::vector<std::vector<int64_t>> rest) {
  for (simd::Isa isa : simd::AvailableIsas()) {
    std::vector<std::vector<int64_t>> args = {{static_cast<int64_t>(isa)}};
    args.insert(args.end(), rest.begin(), rest.end());
    b->ArgsProduct(args);
  }
}

BENCHMARK(BM_Intersect)->Apply([](auto* b) { PerIsa(b, {{16, 256, 4096}, {16, 256, 4096}}); });
BENCHMARK(BM_GatherSum)->Apply([](auto* b) { PerIsa(b, {{1 << 14, 1 << 24}}); });
BENCHMARK(BM_Triangles)->Apply([](auto* b) { PerIsa(b, {{18}}); }) -> Unit(benchmark::kMillisecond);
BENCHMARK(BM_PageRank)->Apply([](auto* b) { PerIsa(b, {{18}}); }) -> Unit(benchmark::kMillisecond);
BENCHMARK(BM_L2Squared)->Apply([](auto* b) { PerIsa(b, {{128, 784}, {4096, 1 << 18}}); });

}  // namespace
}  // namespace nendb

BENCHMARK_MAIN();
