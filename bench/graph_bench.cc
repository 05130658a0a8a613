// Graph::Build, the analytics projection, on a uniform random graph of 2^24
// edges over 2^20 nodes loaded in bulk into an in-memory database, per
// projection and thread count; the lazy in-weights of the weighted directed
// projection, and weighted PageRank on it, first run on a fresh graph or
// not. Counters: edges/s (database edges per second) and B/edge
// (Graph::bytes() per database edge, the 16 bytes of offsets per vertex
// included: 1 per edge here). Targets (SPEC 8 and the projection issue): at
// least 50M edges/s on 2 threads, at most 12 B/edge of arcs.
//
//   build/bench/graph_bench --benchmark_counters_tabular=true
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <vector>

#include "algo/generate.h"
#include "algo/graph.h"
#include "algo/pagerank.h"
#include "benchmark/benchmark.h"
#include "db/transactions.h"
#include "nendb/database.h"

namespace nendb {
namespace {

constexpr algo::Vid kNodes = algo::Vid{1} << 20;
constexpr uint64_t kEdges = uint64_t{1} << 24;

void Check(const absl::Status& s) {
  if (!s.ok()) {
    fprintf(stderr, "%s\n", s.ToString().c_str());
    std::abort();
  }
}

// One database, two snapshots: right after the bulk load (the adjacency is
// all base) and after a small batch more (a per-node delta).
struct Fixture {
  std::unique_ptr<Database> db;
  std::unique_ptr<ReadTransaction> bulk, delta;

  Fixture() {
    db = Database::Open(":memory:").value();
    const algo::EdgeList e = algo::UniformRandom(kNodes, kEdges, 1, /*weighted=*/true);
    std::vector<NodeId> s(e.sources.begin(), e.sources.end());
    std::vector<NodeId> t(e.targets.begin(), e.targets.end());
    std::vector<double> w(e.weights.begin(), e.weights.end());
    auto tx = db->BeginWrite().value();
    NodeBatch nodes;
    nodes.labels = {"V"};
    nodes.count = kNodes;
    Check(tx->AddNodes(nodes, {}));
    EdgeBatch edges;
    edges.sources = s;
    edges.targets = t;
    edges.weights = w;
    edges.type = "E";
    edges.properties.push_back(BulkColumn::Float64("cost", w));
    Check(tx->AddEdges(edges, {}));
    Check(tx->Commit());
    bulk = db->BeginRead().value();
    // Small enough to go to the delta (a large batch rebuilds the bases).
    const size_t more = 4096;
    tx = db->BeginWrite().value();
    edges.sources = absl::MakeConstSpan(s).subspan(0, more);
    edges.targets = absl::MakeConstSpan(t).subspan(0, more);
    edges.weights = absl::MakeConstSpan(w).subspan(0, more);
    edges.properties = {BulkColumn::Float64("cost", edges.weights)};
    Check(tx->AddEdges(edges, {}));
    Check(tx->Commit());
    delta = db->BeginRead().value();
  }
};

Fixture& Data() {
  static Fixture* f = new Fixture;
  return *f;
}

const Version& VersionOf(const ReadTransaction& rx) {
  bool committed;
  return *nendb::VersionOf(rx, &committed);
}

struct Case {
  const char* name;
  bool delta, directed;
  const char* weight;
};
constexpr Case kCases[] = {
    {"directed", false, true, ""},
    {"directed_delta", true, true, ""},
    {"undirected", false, false, ""},
    {"directed_weight", false, true, "weight"},
    {"directed_cost", false, true, "cost"},
    {"directed_weight_delta", true, true, "weight"},
    {"undirected_weight", false, false, "weight"},
};

// Args: case index, threads.
void BM_Build(benchmark::State& state) {
  const Case& c = kCases[state.range(0)];
  const int threads = static_cast<int>(state.range(1));
  state.SetLabel(c.name);
  Fixture& f = Data();
  const Version& v = VersionOf(c.delta ? *f.delta : *f.bulk);
  algo::Projection p;
  p.directed = c.directed;
  p.weight = c.weight;
  std::shared_ptr<const algo::Graph> g;
  for (auto _ : state) {
    g = algo::Graph::Build(v, p, threads).value();
    state.PauseTiming();
    const uint64_t bytes = g->bytes();
    g.reset();  // freeing is not building
    state.ResumeTiming();
    state.counters["B/edge"] = static_cast<double>(bytes) / kEdges;
  }
  state.counters["edges/s"] = benchmark::Counter(static_cast<double>(state.iterations() * kEdges),
                                                 benchmark::Counter::kIsRate);
}
BENCHMARK(BM_Build)
    ->ArgsProduct({benchmark::CreateDenseRange(0, std::size(kCases) - 1, 1), {1, 2}})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

// The first in() of a weighted directed projection: its in-weights.
void BM_LazyInWeights(benchmark::State& state) {
  const int threads = static_cast<int>(state.range(0));
  const Version& v = VersionOf(*Data().bulk);
  algo::Projection p;
  p.weight = "weight";
  for (auto _ : state) {
    state.PauseTiming();
    std::shared_ptr<const algo::Graph> g = algo::Graph::Build(v, p, threads).value();
    state.ResumeTiming();
    benchmark::DoNotOptimize(g->in().weights);
    state.PauseTiming();
    g.reset();
    state.ResumeTiming();
  }
  state.counters["edges/s"] = benchmark::Counter(static_cast<double>(state.iterations() * kEdges),
                                                 benchmark::Counter::kIsRate);
}
BENCHMARK(BM_LazyInWeights)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime();

// 20 rounds of weighted PageRank on the weighted directed projection, built
// once; arg 1: 1 if the first run on a fresh graph is timed (with whatever
// the first use of the in-arcs' weights costs), 0 for later runs.
void BM_WeightedPageRank(benchmark::State& state) {
  const int threads = static_cast<int>(state.range(0));
  const bool first = state.range(1) != 0;
  const Version& v = VersionOf(*Data().bulk);
  algo::Projection p;
  p.weight = "weight";
  algo::PageRankOptions o;
  o.max_iterations = 20;
  o.tolerance = 0;
  std::shared_ptr<const algo::Graph> g = algo::Graph::Build(v, p, threads).value();
  if (!first) benchmark::DoNotOptimize(algo::PageRank(*g, o, {threads, nullptr}).value());
  for (auto _ : state) {
    if (first) {
      state.PauseTiming();
      g = algo::Graph::Build(v, p, threads).value();
      state.ResumeTiming();
    }
    benchmark::DoNotOptimize(algo::PageRank(*g, o, {threads, nullptr}).value());
  }
  state.counters["B/edge"] = static_cast<double>(g->bytes()) / kEdges;
}
BENCHMARK(BM_WeightedPageRank)
    ->ArgsProduct({{1, 2}, {0, 1}})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

}  // namespace
}  // namespace nendb

BENCHMARK_MAIN();
