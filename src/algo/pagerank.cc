#include "algo/pagerank.h"

#include <cmath>

#include "absl/strings/str_cat.h"
#include "simd/kernels.h"
#include "util/thread_pool.h"

namespace nendb::algo {
namespace {

constexpr uint64_t kGrain = 2048;

// Sums fn(begin, end) over fixed chunks of [0, n) in chunk order, so the
// result does not depend on which thread ran which chunk.
template <typename Fn>
double ChunkedSum(ThreadPool& pool, int threads, uint64_t n, Fn&& fn) {
  std::vector<double> part((n + kGrain - 1) / kGrain, 0.0);
  pool.ParallelFor(threads, n, kGrain,
                   [&](uint64_t b, uint64_t e, int) { part[b / kGrain] = fn(b, e); });
  double sum = 0;
  for (double p : part) sum += p;
  return sum;
}

absl::Status CheckOptions(const Graph& g, const PageRankOptions& o) {
  if (!(o.damping >= 0 && o.damping < 1)) {
    return absl::InvalidArgumentError(absl::StrCat("damping must be in [0, 1), not ", o.damping));
  }
  if (!(o.tolerance >= 0) || o.max_iterations < 0) {
    return absl::InvalidArgumentError("tolerance and max_iterations must be non-negative");
  }
  if (!o.personalization.empty()) {
    if (o.personalization.size() != g.num_vertices()) {
      return absl::InvalidArgumentError(absl::StrCat("the personalization vector has ",
                                                     o.personalization.size(), " entries for ",
                                                     g.num_vertices(), " vertices"));
    }
    double sum = 0;
    for (double x : o.personalization) {
      if (!(x >= 0) || std::isinf(x)) {
        return absl::InvalidArgumentError("personalization values must be finite and non-negative");
      }
      sum += x;
    }
    if (sum <= 0) return absl::InvalidArgumentError("the personalization vector is all zero");
  }
  return absl::OkStatus();
}

// The teleport distribution.
std::vector<double> Teleport(const Graph& g, const PageRankOptions& o) {
  const Vid n = g.num_vertices();
  if (o.personalization.empty()) return std::vector<double>(n, 1.0 / n);
  double sum = 0;
  for (double x : o.personalization) sum += x;
  std::vector<double> p(n);
  for (Vid v = 0; v < n; ++v) p[v] = o.personalization[v] / sum;
  return p;
}

// 1 / (out-degree or out-weight) by vertex, 0 for dangling vertices.
std::vector<double> InverseOut(const Graph& g) {
  const Arcs& out = g.out();
  std::vector<double> inv(g.num_vertices());
  for (Vid u = 0; u < g.num_vertices(); ++u) {
    double d = static_cast<double>(out.Degree(u));
    if (g.weighted()) {
      d = 0;
      for (float w : out.Weights(u)) d += w;
    }
    inv[u] = d > 0 ? 1.0 / d : 0.0;
  }
  return inv;
}

}  // namespace

absl::StatusOr<PageRankResult> PageRank(const Graph& g, const PageRankOptions& o,
                                        const Control& control) {
  if (absl::Status s = CheckOptions(g, o); !s.ok()) return s;
  if (g.weighted()) {
    for (uint64_t i = 0; i < g.num_arcs(); ++i) {
      if (!(g.out().weights[i] >= 0)) {
        return absl::InvalidArgumentError("PageRank needs non-negative edge weights");
      }
    }
  }
  const Vid n = g.num_vertices();
  PageRankResult r;
  if (n == 0) return r;
  ThreadPool& pool = ThreadPool::Shared();
  const int threads = pool.Resolve(control.threads);
  const std::vector<double> p = Teleport(g, o);
  const std::vector<double> inv = InverseOut(g);
  const Arcs& in = g.in();
  const double d = o.damping;
  r.rank.assign(n, 1.0 / n);
  std::vector<double> contrib(n), next(n);
  const simd::Kernels& kernels = simd::Active();
  for (r.iterations = 0; r.iterations < o.max_iterations;) {
    const double dangling = ChunkedSum(pool, threads, n, [&](uint64_t b, uint64_t e) {
      double lost = 0;
      for (uint64_t u = b; u < e; ++u) {
        contrib[u] = r.rank[u] * inv[u];
        if (inv[u] == 0) lost += r.rank[u];
      }
      return lost;
    });
    const double spread = o.drop_dangling ? 0.0 : dangling;
    r.last_change = ChunkedSum(pool, threads, n, [&](uint64_t b, uint64_t e) {
      double change = 0;
      for (uint64_t v = b; v < e; ++v) {
        const uint64_t first = in.offsets[v], count = in.offsets[v + 1] - first;
        const double sum =
            in.weights == nullptr
                ? kernels.gather_sum(contrib.data(), in.targets + first, count)
                : kernels.gather_dot(contrib.data(), in.targets + first, in.weights + first, count);
        next[v] = (1 - d) * p[v] + d * (sum + spread * p[v]);
        change += std::fabs(next[v] - r.rank[v]);
      }
      return change;
    });
    r.rank.swap(next);
    ++r.iterations;
    if (absl::Status s = control.Report(double(r.iterations) / o.max_iterations); !s.ok()) {
      return s;
    }
    if (r.last_change < o.tolerance) break;
  }
  return r;
}

absl::Status VerifyPageRank(const Graph& g, const PageRankOptions& o, const PageRankResult& r,
                            double max_change) {
  const Vid n = g.num_vertices();
  if (r.rank.size() != n) return absl::InternalError("PageRank result has the wrong length");
  if (n == 0) return absl::OkStatus();
  const std::vector<double> p = Teleport(g, o);
  // Push form, serial: a different order of the same sums.
  std::vector<double> next(n, 0.0);
  double dangling = 0, total = 0;
  for (Vid u = 0; u < n; ++u) {
    total += r.rank[u];
    double out_weight = 0;
    for (uint64_t i = g.out().offsets[u]; i < g.out().offsets[u + 1]; ++i) {
      out_weight += g.weighted() ? g.out().weights[i] : 1.0;
    }
    if (out_weight == 0) {
      dangling += r.rank[u];
      continue;
    }
    for (uint64_t i = g.out().offsets[u]; i < g.out().offsets[u + 1]; ++i) {
      const double w = g.weighted() ? g.out().weights[i] : 1.0;
      next[g.out().targets[i]] += r.rank[u] * w / out_weight;
    }
  }
  double change = 0;
  for (Vid v = 0; v < n; ++v) {
    const double x =
        (1 - o.damping) * p[v] + o.damping * (next[v] + (o.drop_dangling ? 0 : dangling) * p[v]);
    change += std::fabs(x - r.rank[v]);
  }
  if (!o.drop_dangling && std::fabs(total - 1) > 1e-9) {
    return absl::InternalError(absl::StrCat("ranks sum to ", total));
  }
  if (change > max_change) {
    return absl::InternalError(absl::StrCat("one more round moves the ranks by ", change));
  }
  return absl::OkStatus();
}

}  // namespace nendb::algo
