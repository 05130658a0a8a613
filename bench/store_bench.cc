// Store benchmarks: single-transaction inserts, bulk inserts from spans, key
// lookups and neighbour iteration on in-memory databases; a durable bulk load
// into a database directory and its reopen.
//
//   build/bench/store_bench --benchmark_counters_tabular=true
//
// Counters report rates (items/s); targets from SPEC section 8 and issue 2:
// bulk edges >= 10M/s (into a durable database, SPEC 8), neighbour iteration
// >= 100M edges/s on one core, open of a checkpointed database under 100 ms.
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <numeric>
#include <random>

#include "benchmark/benchmark.h"
#include "nendb/database.h"

namespace nendb {
namespace {

std::unique_ptr<Database> Memory() { return Database::Open(":memory:").value(); }

void Check(const absl::Status& s) {
  if (!s.ok()) {
    fprintf(stderr, "%s\n", s.ToString().c_str());
    std::abort();
  }
}

// A database with n int-keyed nodes and m random edges (seeded).
std::unique_ptr<Database> Graph(uint64_t n, uint64_t m) {
  auto db = Memory();
  std::vector<int64_t> keys(n);
  std::iota(keys.begin(), keys.end(), 0);
  std::mt19937_64 rng(42);
  std::vector<NodeId> src(m), dst(m);
  for (uint64_t i = 0; i < m; ++i) {
    src[i] = rng() % n;
    dst[i] = rng() % n;
  }
  auto tx = db->BeginWrite().value();
  NodeBatch nb;
  nb.labels = {"V"};
  nb.count = n;
  nb.keys.ints = keys;
  Check(tx->AddNodes(nb, {}));
  EdgeBatch eb;
  eb.sources = src;
  eb.targets = dst;
  eb.type = "E";
  Check(tx->AddEdges(eb, {}));
  Check(tx->Commit());
  return db;
}

void BM_SmallWriteTransaction(benchmark::State& state) {
  auto db = Memory();
  NodeId prev = 0;
  {
    auto tx = db->BeginWrite().value();
    prev = tx->AddNode("V").value();
    Check(tx->Commit());
  }
  int64_t i = 0;
  for (auto _ : state) {
    auto tx = db->BeginWrite().value();
    NodeId a = tx->AddNode("V", Key(i++)).value();
    Check(tx->AddEdge(prev, a, "E").status());
    Check(tx->Commit());
    prev = a;
  }
  state.counters["txn/s"] = benchmark::Counter(state.iterations(), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_SmallWriteTransaction);

void BM_SingleInsertsInOneTransaction(benchmark::State& state) {
  const int64_t n = state.range(0);
  for (auto _ : state) {
    auto db = Memory();
    auto tx = db->BeginWrite().value();
    NodeId prev = tx->AddNode("V", Key(int64_t{-1})).value();
    for (int64_t i = 0; i < n; ++i) {
      NodeId a = tx->AddNode("V", Key(i), {{"x", i}}).value();
      Check(tx->AddEdge(prev, a, "E").status());
      prev = a;
    }
    Check(tx->Commit());
  }
  state.counters["nodes+edges/s"] =
      benchmark::Counter(2.0 * n * state.iterations(), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_SingleInsertsInOneTransaction)->Arg(100000)->Unit(benchmark::kMillisecond);

void BM_BulkNodes(benchmark::State& state) {
  const uint64_t n = state.range(0);
  std::vector<int64_t> keys(n), ages(n);
  std::iota(keys.begin(), keys.end(), 0);
  for (uint64_t i = 0; i < n; ++i) ages[i] = i % 90;
  for (auto _ : state) {
    auto db = Memory();
    auto tx = db->BeginWrite().value();
    NodeBatch nb;
    nb.labels = {"Person"};
    nb.count = n;
    nb.keys.ints = keys;
    nb.properties.push_back(BulkColumn::Int64("age", ages));
    Check(tx->AddNodes(nb, {}));
    Check(tx->Commit());
  }
  state.counters["nodes/s"] =
      benchmark::Counter(double(n) * state.iterations(), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_BulkNodes)->Arg(1 << 20)->Unit(benchmark::kMillisecond);

void BM_BulkEdges(benchmark::State& state) {
  const uint64_t n = 1 << 20, m = state.range(0);
  std::mt19937_64 rng(1);
  std::vector<NodeId> src(m), dst(m);
  std::vector<double> w(m);
  for (uint64_t i = 0; i < m; ++i) {
    src[i] = rng() % n;
    dst[i] = rng() % n;
    w[i] = 1.0 + (i & 255);
  }
  for (auto _ : state) {
    state.PauseTiming();
    auto db = Memory();
    {
      auto tx = db->BeginWrite().value();
      NodeBatch nb;
      nb.labels = {"V"};
      nb.count = n;
      Check(tx->AddNodes(nb, {}));
      Check(tx->Commit());
    }
    state.ResumeTiming();
    auto tx = db->BeginWrite().value();
    EdgeBatch eb;
    eb.sources = src;
    eb.targets = dst;
    eb.type = "E";
    eb.weights = w;
    Check(tx->AddEdges(eb, {}));
    Check(tx->Commit());
  }
  state.counters["edges/s"] =
      benchmark::Counter(double(m) * state.iterations(), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_BulkEdges)->Arg(10'000'000)->Unit(benchmark::kMillisecond)->Iterations(3);

void BM_FindKey(benchmark::State& state) {
  const uint64_t n = 1 << 20;
  auto db = Graph(n, 0);
  auto rx = db->BeginRead().value();
  std::mt19937_64 rng(3);
  for (auto _ : state) {
    benchmark::DoNotOptimize(rx->FindNode("V", Key(int64_t(rng() % n))));
  }
  state.counters["lookups/s"] = benchmark::Counter(state.iterations(), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_FindKey);

void BM_NeighborIteration(benchmark::State& state) {
  const uint64_t n = 1 << 20, m = 16 << 20;
  auto db = Graph(n, m);
  auto rx = db->BeginRead().value();
  std::vector<NodeId> nbrs;
  uint64_t edges = 0;
  for (auto _ : state) {
    uint64_t sum = 0;
    for (NodeId v = 0; v < n; ++v) {
      Check(rx->Neighbors(v, Direction::kOut, "", &nbrs));
      for (NodeId u : nbrs) sum += u;
      edges += nbrs.size();
    }
    benchmark::DoNotOptimize(sum);
  }
  state.counters["edges/s"] = benchmark::Counter(double(edges), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_NeighborIteration)->Unit(benchmark::kMillisecond);

// A durable bulk load of 1M nodes and 10M edges into a database directory
// (one transaction, which commits as a snapshot: written, fsynced, renamed)
// and the reopen of the result (mmap, no parse).
void BM_DurableBulkLoadAndOpen(benchmark::State& state) {
  const std::string dir =
      std::string(std::getenv("TMPDIR") ? std::getenv("TMPDIR") : "/tmp") + "/nendb-bench-durable";
  const uint64_t n = 1 << 20, m = 10'000'000;
  std::vector<NodeId> s, d;
  {
    auto src = Graph(n, m);
    auto rx = src->BeginRead().value();
    Check(rx->ScanEdges("", nullptr, &s, &d, nullptr));
  }
  double load_s = 0, open_s = 0;
  for (auto _ : state) {
    std::filesystem::remove_all(dir);
    auto db = Database::Open(dir).value();
    auto t0 = std::chrono::steady_clock::now();
    auto tx = db->BeginWrite().value();
    NodeBatch nb;
    nb.labels = {"V"};
    nb.count = n;
    Check(tx->AddNodes(nb, {}));
    EdgeBatch eb;
    eb.sources = s;
    eb.targets = d;
    eb.type = "E";
    Check(tx->AddEdges(eb, {}));
    Check(tx->Commit());
    auto t1 = std::chrono::steady_clock::now();
    Check(db->Close());
    db.reset();
    auto t2 = std::chrono::steady_clock::now();
    auto reopened = Database::Open(dir).value();
    auto t3 = std::chrono::steady_clock::now();
    load_s += std::chrono::duration<double>(t1 - t0).count();
    open_s += std::chrono::duration<double>(t3 - t2).count();
    benchmark::DoNotOptimize(reopened->Stats().value().num_edges);
  }
  state.counters["load_ms"] = 1000 * load_s / state.iterations();
  state.counters["durable_edges/s"] = m * state.iterations() / load_s;
  state.counters["open_ms"] = 1000 * open_s / state.iterations();
  std::filesystem::remove_all(dir);
}
BENCHMARK(BM_DurableBulkLoadAndOpen)->Unit(benchmark::kMillisecond)->Iterations(2);

}  // namespace
}  // namespace nendb

BENCHMARK_MAIN();
