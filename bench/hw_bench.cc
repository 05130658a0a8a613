// Hardware figures measured in the same run as the graph-kernel benchmarks, so
// that a kernel's time can be set against what this machine can move:
//   - sequential read bandwidth (GB/s, 1e9 bytes/s) over a buffer several times
//     the last-level cache: the bound of a streaming pass such as one PageRank
//     pull iteration over the CSR;
//   - random 4-byte gathers per second (M/s) into that buffer, with independent
//     indices: the bound of the per-arc rank lookups once they miss the cache.
// Each with one thread and with every usable core.
//
//   build/bench/hw_bench [--buffer_mib=N] [--benchmark_format=json]
//
// --buffer_mib sets the buffer (default 4x the last-level cache, 1 GiB at
// least). bench/algo_bench.py runs it with --benchmark_format=json, reads the
// counters "GB/s" and "Mgathers/s", and also gathers into a buffer the size of
// PageRank's rank vector, which is what a real graph's lookups hit.
#include <sched.h>
#include <unistd.h>

#include <algorithm>
#include <bit>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <numeric>
#include <string>
#include <thread>
#include <vector>

#include "benchmark/benchmark.h"

namespace {

// Enough gathers per iteration that thread start-up (~50 us) is noise.
constexpr uint64_t kGathers = uint64_t{1} << 25;

// No MADV_HUGEPAGE on purpose: nendb asks for no huge pages either, so with
// THP in madvise mode the gather rate includes the TLB misses its kernels see.
std::vector<uint64_t>* buffer = nullptr;

int UsableCores() {
  cpu_set_t set;
  if (sched_getaffinity(0, sizeof(set), &set) != 0) return 1;
  return CPU_COUNT(&set);
}

// Four times the last-level cache so that at most a quarter of a pass can hit
// it, rounded up to a power of two so a gather index is a mask; 1 GiB at least.
uint64_t DefaultBufferBytes() {
  long llc = sysconf(_SC_LEVEL3_CACHE_SIZE);
  if (llc <= 0) llc = sysconf(_SC_LEVEL2_CACHE_SIZE);
  return std::bit_ceil(std::max<uint64_t>(uint64_t{1} << 30, 4 * uint64_t(std::max(llc, 0L))));
}

// Runs fn(begin, end) on `threads` threads over equal slices of [0, n) and
// returns the sum of their results.
template <typename Fn>
uint64_t OnThreads(int threads, uint64_t n, Fn fn) {
  std::vector<uint64_t> out(threads);
  std::vector<std::thread> pool;
  for (int t = 1; t < threads; ++t) {
    pool.emplace_back([&, t] { out[t] = fn(n * t / threads, n * (t + 1) / threads); });
  }
  out[0] = fn(0, n / threads);
  for (auto& th : pool) th.join();
  return std::accumulate(out.begin(), out.end(), uint64_t{0});
}

// Eight independent sums so the loop is bound by loads, not by one add chain.
uint64_t SumRange(const uint64_t* p, uint64_t begin, uint64_t end) {
  uint64_t s[8] = {};
  uint64_t i = begin;
  for (; i + 8 <= end; i += 8) {
#pragma GCC unroll 8
    for (int k = 0; k < 8; ++k) s[k] += p[i + k];
  }
  for (; i < end; ++i) s[0] += p[i];
  return std::accumulate(s, s + 8, uint64_t{0});
}

// splitmix64's finaliser: a fresh random index per i with no dependency on the
// previous gather, so the core can keep many misses in flight.
inline uint64_t Mix(uint64_t x) {
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

uint64_t GatherRange(const uint32_t* p, uint64_t mask, uint64_t begin, uint64_t end) {
  uint64_t s = 0;
  for (uint64_t i = begin; i < end; ++i) s += p[Mix(i) & mask];
  return s;
}

void BM_SequentialRead(benchmark::State& state) {
  const int threads = static_cast<int>(state.range(0));
  const uint64_t* p = buffer->data();
  const uint64_t n = buffer->size();
  for (auto _ : state) {
    benchmark::DoNotOptimize(
        OnThreads(threads, n, [&](uint64_t b, uint64_t e) { return SumRange(p, b, e); }));
  }
  state.counters["GB/s"] =
      benchmark::Counter(n * 8 / 1e9, benchmark::Counter::kIsIterationInvariantRate);
}

void BM_RandomGather4B(benchmark::State& state) {
  const int threads = static_cast<int>(state.range(0));
  const auto* p = reinterpret_cast<const uint32_t*>(buffer->data());
  const uint64_t mask = buffer->size() * 2 - 1;
  for (auto _ : state) {
    benchmark::DoNotOptimize(OnThreads(
        threads, kGathers, [&](uint64_t b, uint64_t e) { return GatherRange(p, mask, b, e); }));
  }
  state.counters["Mgathers/s"] =
      benchmark::Counter(kGathers / 1e6, benchmark::Counter::kIsIterationInvariantRate);
}

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  uint64_t bytes = DefaultBufferBytes();
  for (int i = 1; i < argc; ++i) {
    if (std::strncmp(argv[i], "--buffer_mib=", 13) == 0) {
      bytes = std::bit_ceil(std::strtoull(argv[i] + 13, nullptr, 10) << 20);
    } else {
      std::fprintf(stderr, "hw_bench: unknown argument %s\n", argv[i]);
      return 2;
    }
  }
  // Every page written before timing, so no page fault is measured.
  std::vector<uint64_t> data(bytes / 8);
  std::iota(data.begin(), data.end(), uint64_t{1});
  buffer = &data;
  const int cores = UsableCores();
  benchmark::AddCustomContext("buffer_bytes", std::to_string(bytes));
  benchmark::AddCustomContext("llc_bytes", std::to_string(sysconf(_SC_LEVEL3_CACHE_SIZE)));
  benchmark::AddCustomContext("usable_cores", std::to_string(cores));
  for (int t : cores > 1 ? std::vector<int>{1, cores} : std::vector<int>{1}) {
    // Real time: the work runs on threads the benchmark's CPU timer does not see.
    benchmark::RegisterBenchmark("BM_SequentialRead", BM_SequentialRead)
        ->ArgName("threads")
        ->Arg(t)
        ->UseRealTime()
        ->Unit(benchmark::kMillisecond);
    benchmark::RegisterBenchmark("BM_RandomGather4B", BM_RandomGather4B)
        ->ArgName("threads")
        ->Arg(t)
        ->UseRealTime()
        ->Unit(benchmark::kMillisecond);
  }
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
