#include "algo/betweenness.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <limits>
#include <numeric>
#include <queue>
#include <random>

#include "absl/strings/str_cat.h"
#include "algo/sssp.h"
#include "util/thread_pool.h"

namespace nendb::algo {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

// One thread's arrays for single-source passes, reset between sources
// through the list of vertices the last pass reached.
struct Pass {
  std::vector<double> dist, sigma, delta;
  std::vector<Vid> order;  // reached vertices by non-decreasing distance

  explicit Pass(Vid n) : dist(n, kInf), sigma(n, 0), delta(n, 0) {}

  void Reset() {
    for (Vid v : order) {
      dist[v] = kInf;
      sigma[v] = delta[v] = 0;
    }
    order.clear();
  }

  // Distances and shortest-path counts from s, vertices in settling order.
  void Forward(const Graph& g, Vid s) {
    dist[s] = 0;
    sigma[s] = 1;
    const Arcs& out = g.out();
    if (!g.weighted()) {
      order.push_back(s);
      for (size_t i = 0; i < order.size(); ++i) {
        const Vid u = order[i];
        for (Vid v : out.Targets(u)) {
          if (dist[v] == kInf) {
            dist[v] = dist[u] + 1;
            order.push_back(v);
          }
          if (dist[v] == dist[u] + 1) sigma[v] += sigma[u];
        }
      }
      return;
    }
    using Item = std::pair<double, Vid>;
    std::priority_queue<Item, std::vector<Item>, std::greater<>> heap;
    heap.push({0, s});
    while (!heap.empty()) {
      const auto [d, u] = heap.top();
      heap.pop();
      if (d > dist[u]) continue;
      order.push_back(u);
      for (uint64_t i = out.offsets[u]; i < out.offsets[u + 1]; ++i) {
        const Vid v = out.targets[i];
        const double nd = d + out.weights[i];
        if (nd < dist[v]) {
          dist[v] = nd;
          sigma[v] = sigma[u];
          heap.push({nd, v});
        } else if (nd == dist[v]) {
          sigma[v] += sigma[u];
        }
      }
    }
  }

  // Dependencies in reverse settling order, added to score.
  void Backward(const Graph& g, Vid s, std::vector<double>& score) {
    const Arcs& in = g.in();
    for (size_t i = order.size(); i-- > 0;) {
      const Vid w = order[i];
      for (uint64_t a = in.offsets[w]; a < in.offsets[w + 1]; ++a) {
        const Vid v = in.targets[a];
        const double weight = in.weights != nullptr ? in.weights[a] : 1.0;
        if (dist[v] != kInf && v != w && dist[v] + weight == dist[w]) {
          delta[v] += sigma[v] / sigma[w] * (1 + delta[w]);
        }
      }
      if (w != s) score[w] += delta[w];
    }
  }
};

// The scale applied to raw sums over ordered pairs of `sources` sources.
double Scale(const Graph& g, const BetweennessOptions& o, uint64_t sources) {
  const double n = g.num_vertices();
  double scale = g.directed() ? 1.0 : 0.5;
  if (sources > 0 && sources < g.num_vertices()) scale *= n / static_cast<double>(sources);
  if (o.normalized && n > 2) scale /= (n - 1) * (n - 2) * (g.directed() ? 1.0 : 0.5);
  return scale;
}

std::vector<Vid> Sources(const Graph& g, const BetweennessOptions& o) {
  std::vector<Vid> all(g.num_vertices());
  std::iota(all.begin(), all.end(), Vid{0});
  if (o.samples == 0 || o.samples >= all.size()) return all;
  std::mt19937_64 rng(o.seed);
  std::shuffle(all.begin(), all.end(), rng);
  all.resize(o.samples);
  std::sort(all.begin(), all.end());
  return all;
}

}  // namespace

absl::StatusOr<std::vector<double>> Betweenness(const Graph& g, const BetweennessOptions& o,
                                                const Control& control) {
  if (absl::Status s = CheckNonNegativeWeights(g, "betweenness"); !s.ok()) return s;
  const Vid n = g.num_vertices();
  const std::vector<Vid> sources = Sources(g, o);
  ThreadPool& pool = ThreadPool::Shared();
  const int threads =
      std::max(1, std::min<int>(pool.Resolve(control.threads), static_cast<int>(sources.size())));
  std::vector<std::vector<double>> partial(threads, std::vector<double>(n, 0.0));
  std::atomic<size_t> next{0};
  std::atomic<bool> stop{false};
  absl::Status cancelled;
  pool.RunOnEach(threads, [&](int t) {
    Pass pass(n);
    for (size_t i; !stop.load() && (i = next.fetch_add(1)) < sources.size();) {
      pass.Reset();
      pass.Forward(g, sources[i]);
      pass.Backward(g, sources[i], partial[t]);
      if (t == 0 && i % 64 == 0) {
        if (absl::Status s = control.Report(double(i) / sources.size()); !s.ok()) {
          cancelled = s;
          stop = true;
        }
      }
    }
  });
  if (!cancelled.ok()) return cancelled;
  std::vector<double> score(n, 0.0);
  const double scale = Scale(g, o, sources.size());
  for (Vid v = 0; v < n; ++v) {
    for (int t = 0; t < threads; ++t) score[v] += partial[t][v];
    score[v] *= scale;
  }
  return score;
}

absl::Status VerifyBetweenness(const Graph& g, const BetweennessOptions& o,
                               const std::vector<double>& scores, double eps) {
  const Vid n = g.num_vertices();
  if (scores.size() != n) return absl::InternalError("betweenness has the wrong length");
  if (o.samples != 0 && o.samples < n) {
    return absl::InvalidArgumentError("only exact betweenness can be verified");
  }
  // All-pairs distances and path counts by repeated relaxation over arcs
  // (Bellman-Ford per source on the whole matrix: O(n^2 m), small graphs).
  std::vector<double> dist(uint64_t{n} * n, kInf), sigma(uint64_t{n} * n, 0);
  for (Vid s = 0; s < n; ++s) {
    double* d = &dist[uint64_t{s} * n];
    d[s] = 0;
    for (bool changed = true; changed;) {
      changed = false;
      for (Vid u = 0; u < n; ++u) {
        if (d[u] == kInf) continue;
        for (uint64_t a = g.out().offsets[u]; a < g.out().offsets[u + 1]; ++a) {
          const double w = g.weighted() ? g.out().weights[a] : 1.0;
          if (d[u] + w < d[g.out().targets[a]]) {
            d[g.out().targets[a]] = d[u] + w;
            changed = true;
          }
        }
      }
    }
    // Path counts in order of distance: sigma(s, v) sums over tight arcs.
    std::vector<Vid> by_distance(n);
    std::iota(by_distance.begin(), by_distance.end(), Vid{0});
    std::sort(by_distance.begin(), by_distance.end(), [&](Vid a, Vid b) { return d[a] < d[b]; });
    double* c = &sigma[uint64_t{s} * n];
    c[s] = 1;
    for (Vid v : by_distance) {
      if (v == s || d[v] == kInf) continue;
      for (uint64_t a = g.in().offsets[v]; a < g.in().offsets[v + 1]; ++a) {
        const Vid u = g.in().targets[a];
        const double w = g.in().weights != nullptr ? g.in().weights[a] : 1.0;
        if (u != v && d[u] + w == d[v]) c[v] += c[u];
      }
    }
  }
  const double scale = Scale(g, o, 0);
  for (Vid v = 0; v < n; ++v) {
    double want = 0;
    for (Vid s = 0; s < n; ++s) {
      for (Vid t = 0; t < n; ++t) {
        if (s == v || t == v || s == t) continue;
        const double st = dist[uint64_t{s} * n + t];
        if (st == kInf || dist[uint64_t{s} * n + v] + dist[uint64_t{v} * n + t] != st) continue;
        want +=
            sigma[uint64_t{s} * n + v] * sigma[uint64_t{v} * n + t] / sigma[uint64_t{s} * n + t];
      }
    }
    want *= scale;
    if (std::fabs(scores[v] - want) > eps * std::max(1.0, std::fabs(want))) {
      return absl::InternalError(
          absl::StrCat("vertex ", v, ": betweenness ", scores[v], ", expected ", want));
    }
  }
  return absl::OkStatus();
}

}  // namespace nendb::algo
