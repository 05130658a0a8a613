#include "algo/triangles.h"

#include <algorithm>
#include <atomic>
#include <utility>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "simd/kernels.h"
#include "util/thread_pool.h"

namespace nendb::algo {
namespace {

constexpr uint64_t kGrain = 4096;     // vertices per chunk while building
constexpr uint64_t kCountGrain = 64;  // vertices per chunk while counting: uneven work
constexpr int kCountSteps = 16;       // progress reports while counting

void Add(uint64_t& counter, uint64_t x) {
  std::atomic_ref<uint64_t>(counter).fetch_add(x, std::memory_order_relaxed);
}

double Clustering(uint64_t triangles, uint64_t degree) {
  if (degree < 2) return 0.0;
  return double(2 * triangles) / double(degree * (degree - 1));
}

uint64_t EdgeKey(Vid a, Vid b) { return a < b ? (uint64_t{a} << 32) | b : (uint64_t{b} << 32) | a; }

}  // namespace

absl::StatusOr<TriangleResult> Triangles(const Graph& g, const Control& control,
                                         uint64_t local_count_bytes) {
  const Vid n = g.num_vertices();
  TriangleResult r;
  r.per_vertex.assign(n, 0);
  r.clustering.assign(n, 0.0);
  if (n == 0) return r;
  ThreadPool& pool = ThreadPool::Shared();
  const int threads = pool.Resolve(control.threads);
  const Arcs& out = g.out();
  const Arcs in = g.in_topology();
  const bool directed = g.directed();

  // Each vertex's distinct neighbours, sorted, at base(v) of a scratch array
  // with room for all its arcs.
  auto base = [&](Vid v) { return out.offsets[v] + (directed ? in.offsets[v] : 0); };
  std::vector<Vid> scratch(base(n));
  std::vector<Vid> deg(n);
  pool.ParallelFor(threads, n, kGrain, [&](uint64_t b, uint64_t e, int) {
    for (uint64_t u = b; u < e; ++u) {
      const Vid v = static_cast<Vid>(u);
      Vid* const first = scratch.data() + base(v);
      Vid* last = first;
      for (Vid w : out.Targets(v)) {
        if (w != v) *last++ = w;
      }
      if (directed) {
        for (Vid w : in.Targets(v)) {
          if (w != v) *last++ = w;
        }
      }
      std::sort(first, last);
      deg[v] = static_cast<Vid>(std::unique(first, last) - first);
    }
  });

  // Ranks in (degree, id) order, by a counting sort on the degree.
  std::vector<Vid> rank(n);
  {
    const Vid max_deg = *std::max_element(deg.begin(), deg.end());
    std::vector<Vid> next(uint64_t{max_deg} + 1, 0);
    for (Vid v = 0; v < n; ++v) ++next[deg[v]];
    Vid start = 0;
    for (Vid& x : next) start += std::exchange(x, start);
    for (Vid v = 0; v < n; ++v) rank[v] = next[deg[v]]++;
  }

  // The oriented lists by rank: the neighbours of higher rank, as ranks,
  // sorted.
  std::vector<uint64_t> offsets(uint64_t{n} + 1, 0);
  pool.ParallelFor(threads, n, kGrain, [&](uint64_t b, uint64_t e, int) {
    for (uint64_t u = b; u < e; ++u) {
      const Vid v = static_cast<Vid>(u);
      const Vid* first = scratch.data() + base(v);
      offsets[rank[v] + 1] = static_cast<uint64_t>(
          std::count_if(first, first + deg[v], [&](Vid w) { return rank[w] > rank[v]; }));
    }
  });
  for (Vid i = 0; i < n; ++i) offsets[i + 1] += offsets[i];
  std::vector<Vid> higher(offsets[n]);
  pool.ParallelFor(threads, n, kGrain, [&](uint64_t b, uint64_t e, int) {
    for (uint64_t u = b; u < e; ++u) {
      const Vid v = static_cast<Vid>(u);
      const Vid* first = scratch.data() + base(v);
      Vid* const to = higher.data() + offsets[rank[v]];
      Vid* last = to;
      for (const Vid* w = first; w != first + deg[v]; ++w) {
        if (rank[*w] > rank[v]) *last++ = rank[*w];
      }
      std::sort(to, last);
    }
  });
  std::vector<Vid>().swap(scratch);
  if (absl::Status s = control.Report(0.2); !s.ok()) return s;

  // Counting: for every rank a and every b after it in a's list, the ranks
  // after b in a's list that are also in b's list close a triangle (the
  // intersection is the SIMD kernel).
  std::vector<uint64_t> by_rank(n, 0);
  struct alignas(64) Total {
    uint64_t triangles = 0;
  };
  std::vector<Total> totals(threads);
  uint64_t longest = 0;
  for (Vid a = 0; a < n; ++a) longest = std::max(longest, offsets[a + 1] - offsets[a]);
  std::vector<std::vector<Vid>> found(threads, std::vector<Vid>(longest));
  // Counts per thread save an atomic add per triangle: a third of the
  // counting time on Kronecker graphs.
  const bool local = static_cast<uint64_t>(threads) * n * sizeof(uint64_t) <= local_count_bytes;
  std::vector<std::vector<uint64_t>> counts(local ? static_cast<size_t>(threads) : 0,
                                            std::vector<uint64_t>(n, 0));
  const simd::Kernels& kernels = simd::Active();
  for (int step = 0; step < kCountSteps; ++step) {
    const uint64_t from = uint64_t{n} * step / kCountSteps;
    const uint64_t to = uint64_t{n} * (step + 1) / kCountSteps;
    pool.ParallelFor(threads, to - from, kCountGrain, [&](uint64_t b, uint64_t e, int t) {
      Vid* const common = found[t].data();
      uint64_t* const mine = local ? counts[t].data() : by_rank.data();
      auto bump = [&](Vid x, uint64_t k) { local ? void(mine[x] += k) : Add(mine[x], k); };
      uint64_t triangles = 0;
      for (uint64_t a = from + b; a < from + e; ++a) {
        const Vid* const a_first = higher.data() + offsets[a];
        const Vid* const a_last = higher.data() + offsets[a + 1];
        uint64_t at_a = 0;
        for (const Vid* i = a_first; i != a_last; ++i) {
          const Vid v = *i;
          const Vid* const y = higher.data() + offsets[v];
          const size_t at_v =
              kernels.intersect(i + 1, a_last - (i + 1), y, offsets[v + 1] - offsets[v], common);
          for (size_t k = 0; k < at_v; ++k) bump(common[k], 1);
          bump(v, at_v);
          at_a += at_v;
        }
        bump(static_cast<Vid>(a), at_a);
        triangles += at_a;
      }
      totals[t].triangles += triangles;
    });
    if (absl::Status s = control.Report(0.2 + 0.8 * (step + 1) / kCountSteps); !s.ok()) return s;
  }
  for (const Total& t : totals) r.total += t.triangles;
  if (local) {
    pool.ParallelFor(threads, n, kGrain, [&](uint64_t b, uint64_t e, int) {
      for (uint64_t v = b; v < e; ++v) {
        for (const auto& c : counts) by_rank[v] += c[v];
      }
    });
  }
  pool.ParallelFor(threads, n, kGrain, [&](uint64_t b, uint64_t e, int) {
    for (uint64_t v = b; v < e; ++v) {
      r.per_vertex[v] = by_rank[rank[v]];
      r.clustering[v] = Clustering(r.per_vertex[v], deg[v]);
    }
  });
  return r;
}

absl::Status VerifyTriangles(const Graph& g, const TriangleResult& r) {
  const Vid n = g.num_vertices();
  if (r.per_vertex.size() != n || r.clustering.size() != n) {
    return absl::InternalError("triangle counts have the wrong length");
  }
  absl::flat_hash_set<uint64_t> edges;
  for (Vid v = 0; v < n; ++v) {
    for (Vid w : g.out().Targets(v)) {
      if (w != v) edges.insert(EdgeKey(v, w));
    }
  }
  // Distinct neighbours, sorted.
  std::vector<std::vector<Vid>> nbrs(n);
  for (uint64_t key : edges) {
    const Vid a = static_cast<Vid>(key >> 32), b = static_cast<Vid>(key);
    nbrs[a].push_back(b);
    nbrs[b].push_back(a);
  }
  for (auto& list : nbrs) std::sort(list.begin(), list.end());
  std::vector<uint64_t> want(n, 0);
  uint64_t total = 0;
  for (Vid a = 0; a < n; ++a) {
    const auto& list = nbrs[a];
    for (size_t i = 0; i < list.size(); ++i) {
      if (list[i] < a) continue;
      for (size_t j = i + 1; j < list.size(); ++j) {
        if (edges.contains(EdgeKey(list[i], list[j]))) {
          ++want[a];
          ++want[list[i]];
          ++want[list[j]];
          ++total;
        }
      }
    }
  }
  if (r.total != total) {
    return absl::InternalError(absl::StrCat(r.total, " triangles, expected ", total));
  }
  for (Vid v = 0; v < n; ++v) {
    if (r.per_vertex[v] != want[v]) {
      return absl::InternalError(
          absl::StrCat("vertex ", v, ": ", r.per_vertex[v], " triangles, expected ", want[v]));
    }
    const double c = Clustering(want[v], nbrs[v].size());
    if (r.clustering[v] != c) {
      return absl::InternalError(
          absl::StrCat("vertex ", v, ": clustering ", r.clustering[v], ", expected ", c));
    }
  }
  return absl::OkStatus();
}

}  // namespace nendb::algo
