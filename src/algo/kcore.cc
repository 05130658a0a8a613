#include "algo/kcore.h"

#include <algorithm>
#include <atomic>
#include <functional>
#include <limits>
#include <queue>

#include "absl/strings/str_cat.h"
#include "util/thread_pool.h"

namespace nendb::algo {
namespace {

constexpr uint64_t kGrain = 4096;
constexpr uint64_t kReportEvery = uint64_t{1} << 16;  // vertices peeled between reports

// fn(u) for every arc of v to another vertex, out-arcs then (directed) in-arcs.
template <typename Fn>
void ForEachNeighbour(const Graph& g, Vid v, Fn&& fn) {
  for (Vid u : g.out().Targets(v)) {
    if (u != v) fn(u);
  }
  if (g.directed()) {
    for (Vid u : g.in_topology().Targets(v)) {
      if (u != v) fn(u);
    }
  }
}

uint64_t DegreeOf(const Graph& g, Vid v) {
  uint64_t d = 0;
  ForEachNeighbour(g, v, [&](Vid) { ++d; });
  return d;
}

}  // namespace

absl::StatusOr<std::vector<uint32_t>> CoreNumbers(const Graph& g, const Control& control) {
  const Vid n = g.num_vertices();
  std::vector<uint32_t> deg(n);
  if (n == 0) return deg;
  ThreadPool& pool = ThreadPool::Shared();
  const int threads = pool.Resolve(control.threads);
  std::atomic<bool> too_many{false};
  pool.ParallelFor(threads, n, kGrain, [&](uint64_t b, uint64_t e, int) {
    for (uint64_t v = b; v < e; ++v) {
      const uint64_t d = DegreeOf(g, static_cast<Vid>(v));
      if (d > std::numeric_limits<uint32_t>::max()) too_many.store(true);
      deg[v] = static_cast<uint32_t>(d);
    }
  });
  if (too_many.load()) return absl::OutOfRangeError("a vertex has 2^32 arcs or more");
  const uint32_t max_deg = *std::max_element(deg.begin(), deg.end());

  // Batagelj-Zaversnik: vert holds the vertices sorted by current degree,
  // pos[v] the place of v in vert, bin[d] where the vertices of degree d
  // start. deg[v] ends as the core number of v.
  std::vector<Vid> bin(uint64_t{max_deg} + 1, 0), vert(n), pos(n);
  for (Vid v = 0; v < n; ++v) ++bin[deg[v]];
  Vid start = 0;
  for (uint64_t d = 0; d <= max_deg; ++d) {
    const Vid count = bin[d];
    bin[d] = start;
    start += count;
  }
  for (Vid v = 0; v < n; ++v) {
    pos[v] = bin[deg[v]]++;
    vert[pos[v]] = v;
  }
  for (uint64_t d = max_deg; d > 0; --d) bin[d] = bin[d - 1];
  bin[0] = 0;
  for (Vid i = 0; i < n; ++i) {
    if (i % kReportEvery == 0) {
      if (absl::Status s = control.Report(double(i) / n); !s.ok()) return s;
    }
    const Vid v = vert[i];
    ForEachNeighbour(g, v, [&](Vid u) {
      if (deg[u] <= deg[v]) return;
      // Swap u with the first vertex of its bucket, then move the bucket's
      // start past it: u is now the last vertex of the bucket below.
      const uint32_t du = deg[u];
      const Vid pu = pos[u], pw = bin[du], w = vert[pw];
      if (u != w) {
        pos[u] = pw;
        vert[pu] = w;
        pos[w] = pu;
        vert[pw] = u;
      }
      ++bin[du];
      --deg[u];
    });
  }
  if (absl::Status s = control.Report(1.0); !s.ok()) return s;
  return deg;
}

absl::Status VerifyCores(const Graph& g, const std::vector<uint32_t>& cores) {
  const Vid n = g.num_vertices();
  if (cores.size() != n) return absl::InternalError("core numbers have the wrong length");
  for (Vid v = 0; v < n; ++v) {
    uint64_t above = 0;
    ForEachNeighbour(g, v, [&](Vid u) { above += cores[u] >= cores[v]; });
    if (above < cores[v]) {
      return absl::InternalError(absl::StrCat("vertex ", v, ": core number ", cores[v],
                                              " but only ", above,
                                              " neighbours with a core number as high"));
    }
  }
  // Reference: repeatedly remove a vertex of least remaining degree (a heap
  // with stale entries skipped); its core number is the largest such degree
  // seen so far.
  std::vector<uint64_t> deg(n);
  using Entry = std::pair<uint64_t, Vid>;
  std::priority_queue<Entry, std::vector<Entry>, std::greater<Entry>> heap;
  for (Vid v = 0; v < n; ++v) {
    deg[v] = DegreeOf(g, v);
    heap.push({deg[v], v});
  }
  std::vector<bool> removed(n, false);
  std::vector<uint64_t> want(n);
  uint64_t k = 0;
  while (!heap.empty()) {
    const auto [d, v] = heap.top();
    heap.pop();
    if (removed[v] || d != deg[v]) continue;
    removed[v] = true;
    k = std::max(k, d);
    want[v] = k;
    ForEachNeighbour(g, v, [&](Vid u) {
      if (!removed[u]) heap.push({--deg[u], u});
    });
  }
  for (Vid v = 0; v < n; ++v) {
    if (cores[v] != want[v]) {
      return absl::InternalError(
          absl::StrCat("vertex ", v, ": core number ", cores[v], ", expected ", want[v]));
    }
  }
  return absl::OkStatus();
}

}  // namespace nendb::algo
