#include "algo/sssp.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <functional>
#include <limits>
#include <set>
#include <utility>

#include "absl/strings/str_cat.h"
#include "util/thread_pool.h"

namespace nendb::algo {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr uint64_t kGrain = 64;             // frontier vertices per chunk, as GAP
constexpr size_t kBinSizeThreshold = 1000;  // GAP's: drain a local bin alone below this
constexpr uint64_t kNoBin = ~uint64_t{0};
constexpr uint64_t kLastBin = uint64_t{1} << 62;  // bins past this share it
constexpr uint64_t kMinWindow = 64, kMaxWindow = 8192;
constexpr uint64_t kReportEvery = 1024;  // settled vertices between Dijkstra's reports

void AtomicMin(std::atomic<uint64_t>& a, uint64_t x) {
  uint64_t old = a.load(std::memory_order_relaxed);
  while (x < old && !a.compare_exchange_weak(old, x, std::memory_order_relaxed)) {
  }
}

// Serial Dijkstra with a binary heap and lazy deletion.
template <bool kWeighted>
absl::Status Dijkstra(const Graph& g, Vid source, const Control& c, std::vector<double>& dist) {
  const Arcs& out = g.out();
  const Vid n = g.num_vertices();
  using Entry = std::pair<double, Vid>;
  std::vector<Entry> heap = {{0.0, source}};
  dist[source] = 0;
  uint64_t settled = 0;
  while (!heap.empty()) {
    std::pop_heap(heap.begin(), heap.end(), std::greater<Entry>());
    const auto [d, u] = heap.back();
    heap.pop_back();
    if (d > dist[u]) continue;  // a stale entry
    if (++settled % kReportEvery == 0) {
      if (absl::Status s = c.Report(double(settled) / n); !s.ok()) return s;
    }
    for (uint64_t i = out.offsets[u]; i < out.offsets[u + 1]; ++i) {
      const Vid v = out.targets[i];
      const double nd = d + (kWeighted ? double{out.weights[i]} : 1.0);
      if (nd < dist[v]) {
        dist[v] = nd;
        heap.push_back({nd, v});
        std::push_heap(heap.begin(), heap.end(), std::greater<Entry>());
      }
    }
  }
  return absl::OkStatus();
}

// The automatic delta (see the header).
double AutoDelta(const Graph& g) {
  if (g.num_arcs() == 0) return 1;
  double sum = 0, lightest = kInf;
  uint64_t count = 0;
  if (!g.weighted()) {
    sum = static_cast<double>(g.num_arcs());
    count = g.num_arcs();
    lightest = 1;
  } else {
    for (uint64_t i = 0; i < g.num_arcs(); ++i) {
      const float w = g.out().weights[i];
      if (std::isfinite(w)) {
        sum += w;
        ++count;
        if (w > 0) lightest = std::min<double>(lightest, w);
      }
    }
  }
  if (count == 0 || lightest == kInf) return 1;  // no finite or no positive weights
  const double degree = std::max(1.0, double(g.num_arcs()) / g.num_vertices());
  const double delta = std::max(lightest, (sum / count) / (2 * degree));
  return std::isfinite(delta) ? delta : 1;
}

// The largest finite arc weight (1 unweighted, 0 without arcs).
double MaxWeight(const Graph& g) {
  if (!g.weighted()) return g.num_arcs() > 0 ? 1 : 0;
  double max = 0;
  for (uint64_t i = 0; i < g.num_arcs(); ++i) {
    const float w = g.out().weights[i];
    if (std::isfinite(w)) max = std::max<double>(max, w);
  }
  return max;
}

template <bool kWeighted>
class DeltaStepping {
 public:
  DeltaStepping(const Graph& g, double delta, const Control& c, std::vector<double>& dist)
      : g_(g),
        out_(g.out()),
        delta_(delta),
        c_(c),
        dist_(dist),
        pool_(ThreadPool::Shared()),
        threads_(pool_.Resolve(c.threads)),
        local_(threads_) {
    // Improvements land at most max weight / delta bins past the current
    // one; a window twice that holds what one window's bins push beyond it.
    const double span = std::ceil(MaxWeight(g) / delta);
    window_ = span < kMaxWindow
                  ? std::clamp<uint64_t>(2 * (uint64_t(span) + 1), kMinWindow, kMaxWindow)
                  : kMaxWindow;
    for (Local& l : local_) l.bins.resize(window_);
  }

  absl::Status Run(Vid source) {
    const Vid n = g_.num_vertices();
    dist_[source] = 0;
    std::vector<Vid> frontier = {source};
    uint64_t curr = 0;
    while (true) {
      std::atomic<uint64_t> next{kNoBin}, cursor{0};
      pool_.RunOnEach(threads_, [&](int t) {
        Local& l = local_[t];
        for (uint64_t b; (b = cursor.fetch_add(kGrain)) < frontier.size();) {
          const uint64_t e = std::min<uint64_t>(frontier.size(), b + kGrain);
          for (uint64_t i = b; i < e; ++i) {
            const Vid u = frontier[i];
            const double du = Load(u);
            if (BinOf(du) == curr) Relax(u, du, l);  // otherwise done in an earlier bin
          }
        }
        // The thread's own share of the current bin, while small.
        std::vector<Vid>& bin = l.bins[curr - base_];
        while (!bin.empty() && bin.size() < kBinSizeThreshold) {
          l.scratch.swap(bin);
          for (Vid u : l.scratch) Relax(u, Load(u), l);
          l.scratch.clear();
        }
        for (uint64_t b = curr; b < base_ + window_; ++b) {
          if (!l.bins[b - base_].empty()) {
            AtomicMin(next, b);
            break;
          }
        }
      });
      uint64_t reached = 1;
      for (const Local& l : local_) reached += l.reached;
      if (absl::Status s = c_.Report(double(reached) / n); !s.ok()) return s;
      curr = next.load();
      if (curr == kNoBin) {
        if (!Rebase()) return absl::OkStatus();
        curr = base_;
      }
      frontier.clear();
      for (Local& l : local_) {
        std::vector<Vid>& bin = l.bins[curr - base_];
        frontier.insert(frontier.end(), bin.begin(), bin.end());
        bin.clear();
      }
    }
  }

 private:
  struct alignas(64) Local {             // one cache line apart: `reached` is hot
    std::vector<std::vector<Vid>> bins;  // bins[b - base_] for bins b in [base_, base_ + window_)
    std::vector<Vid> far;                // improved into bins past the window
    std::vector<Vid> scratch;
    uint64_t reached = 0;  // vertices this thread reached first
  };

  double Load(Vid v) const {
    return std::atomic_ref<double>(dist_[v]).load(std::memory_order_relaxed);
  }

  uint64_t BinOf(double d) const {
    const double b = d / delta_;
    return b < double(kLastBin) ? static_cast<uint64_t>(b) : kLastBin;
  }

  void Relax(Vid u, double du, Local& l) {
    for (uint64_t i = out_.offsets[u], end = out_.offsets[u + 1]; i < end; ++i) {
      const Vid v = out_.targets[i];
      const double nd = du + (kWeighted ? double{out_.weights[i]} : 1.0);
      std::atomic_ref<double> dv(dist_[v]);
      double old = dv.load(std::memory_order_relaxed);
      while (nd < old) {
        if (dv.compare_exchange_weak(old, nd, std::memory_order_relaxed)) {
          if (old == kInf) ++l.reached;
          const uint64_t b = BinOf(nd);
          if (b < base_ + window_) {
            l.bins[b - base_].push_back(v);
          } else {
            l.far.push_back(v);
          }
          break;
        }
      }
    }
  }

  // Every bin of the window is empty: moves the window to the lowest bin of
  // the overflow lists and what falls in it into the bins. False when
  // nothing is left.
  bool Rebase() {
    std::atomic<uint64_t> low{kNoBin};
    const uint64_t end = base_ + window_;
    pool_.RunOnEach(threads_, [&](int t) {
      std::vector<Vid>& far = local_[t].far;
      uint64_t min = kNoBin;
      size_t kept = 0;
      for (Vid v : far) {
        const uint64_t b = BinOf(dist_[v]);
        if (b < end) continue;  // since improved into the window, and done there
        min = std::min(min, b);
        far[kept++] = v;
      }
      far.resize(kept);
      AtomicMin(low, min);
    });
    if (low.load() == kNoBin) return false;
    base_ = low.load();
    pool_.RunOnEach(threads_, [&](int t) {
      Local& l = local_[t];
      size_t kept = 0;
      for (Vid v : l.far) {
        const uint64_t b = BinOf(dist_[v]);
        if (b < base_ + window_) {
          l.bins[b - base_].push_back(v);
        } else {
          l.far[kept++] = v;
        }
      }
      l.far.resize(kept);
    });
    return true;
  }

  const Graph& g_;
  const Arcs& out_;
  const double delta_;
  const Control& c_;
  std::vector<double>& dist_;
  ThreadPool& pool_;
  const int threads_;
  std::vector<Local> local_;
  uint64_t window_ = kMinWindow;
  uint64_t base_ = 0;  // the window's first bin
};

absl::Status CheckSource(const Graph& g, Vid source) {
  if (source >= g.num_vertices()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "source vertex ", source, " is not in the graph (", g.num_vertices(), " vertices)"));
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status CheckNonNegativeWeights(const Graph& g, absl::string_view kernel) {
  if (!g.weighted()) return absl::OkStatus();
  const Arcs& out = g.out();
  for (uint64_t i = 0; i < g.num_arcs(); ++i) {
    if (out.weights[i] >= 0) continue;  // NaN falls through
    // The arc's source: the last vertex whose arcs start at or before i.
    const uint64_t* end = out.offsets + uint64_t{g.num_vertices()} + 1;
    const Vid u = static_cast<Vid>(std::upper_bound(out.offsets, end, i) - out.offsets - 1);
    return absl::InvalidArgumentError(
        absl::StrCat(kernel, " needs non-negative weights; edge weight ", out.weights[i],
                     " found on the arc ", u, " -> ", out.targets[i]));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::vector<double>> Sssp(const Graph& g, Vid source, double delta,
                                         const Control& control) {
  if (absl::Status s = CheckSource(g, source); !s.ok()) return s;
  if (absl::Status s = CheckNonNegativeWeights(g, "SSSP"); !s.ok()) return s;
  if (std::isnan(delta)) return absl::InvalidArgumentError("SSSP: delta is NaN");
  std::vector<double> dist(g.num_vertices(), kInf);
  absl::Status s;
  // Delta-stepping wins on large graphs even on one thread (its buckets
  // replace the heap); small ones are not worth its rounds.
  if (delta <= 0 && g.num_arcs() < kSsspSerialArcs) {
    s = g.weighted() ? Dijkstra<true>(g, source, control, dist)
                     : Dijkstra<false>(g, source, control, dist);
  } else {
    if (delta <= 0) delta = AutoDelta(g);
    if (g.weighted()) {
      s = DeltaStepping<true>(g, delta, control, dist).Run(source);
    } else {
      s = DeltaStepping<false>(g, delta, control, dist).Run(source);
    }
  }
  if (!s.ok()) return s;
  return dist;
}

std::vector<double> ReferenceDistances(const Graph& g, Vid source) {
  const Arcs& out = g.out();
  std::vector<double> dist(g.num_vertices(), kInf);
  std::set<std::pair<double, Vid>> queue = {{0.0, source}};
  dist[source] = 0;
  while (!queue.empty()) {
    const auto [d, u] = *queue.begin();
    queue.erase(queue.begin());
    for (uint64_t i = out.offsets[u]; i < out.offsets[u + 1]; ++i) {
      const Vid v = out.targets[i];
      const double nd = d + (g.weighted() ? double{out.weights[i]} : 1.0);
      if (nd < dist[v]) {
        if (dist[v] != kInf) queue.erase({dist[v], v});
        dist[v] = nd;
        queue.insert({nd, v});
      }
    }
  }
  return dist;
}

absl::Status VerifySssp(const Graph& g, Vid source, const std::vector<double>& dist) {
  if (absl::Status s = CheckSource(g, source); !s.ok()) return s;
  if (absl::Status s = CheckNonNegativeWeights(g, "SSSP"); !s.ok()) return s;
  const Vid n = g.num_vertices();
  if (dist.size() != n) {
    return absl::InternalError(
        absl::StrCat("SSSP result has ", dist.size(), " distances for ", n, " vertices"));
  }
  const std::vector<double> want = ReferenceDistances(g, source);
  for (Vid v = 0; v < n; ++v) {
    if (!(dist[v] == want[v])) {
      return absl::InternalError(
          absl::StrCat("vertex ", v, ": distance ", dist[v], ", expected ", want[v]));
    }
  }
  const Arcs& in = g.in();
  for (Vid v = 0; v < n; ++v) {
    if (v == source || dist[v] == kInf) continue;
    bool achieved = false;
    for (uint64_t i = in.offsets[v]; i < in.offsets[v + 1] && !achieved; ++i) {
      const double w = g.weighted() ? double{in.weights[i]} : 1.0;
      achieved = dist[in.targets[i]] + w == dist[v];
    }
    if (!achieved) {
      return absl::InternalError(
          absl::StrCat("vertex ", v, ": no in-arc achieves its distance ", dist[v]));
    }
  }
  return absl::OkStatus();
}

}  // namespace nendb::algo
