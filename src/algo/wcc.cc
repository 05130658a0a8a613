#include "algo/wcc.h"

#include <atomic>
#include <deque>
#include <random>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "util/thread_pool.h"

namespace nendb::algo {
namespace {

constexpr int kSampleRounds = 2;  // arcs per vertex linked before sampling
constexpr int kSamples = 1024;    // vertices sampled for the largest component
constexpr uint64_t kGrain = 4096;

class UnionFind {
 public:
  explicit UnionFind(std::vector<Vid>& parent) : parent_(parent) {}

  // Hooks the larger of the two roots under the smaller; retries when
  // another thread moved a root meanwhile.
  void Link(Vid u, Vid v) {
    Vid a = Get(u), b = Get(v);
    while (a != b) {
      const Vid high = std::max(a, b), low = std::min(a, b);
      const Vid above = Get(high);
      if (above == low) return;
      if (above == high) {
        Vid expected = high;
        if (Ref(high).compare_exchange_strong(expected, low)) return;
      }
      a = Get(Get(high));
      b = Get(low);
    }
  }
  // Points every vertex straight at its root.
  void Compress(ThreadPool& pool, int threads) {
    pool.ParallelFor(threads, parent_.size(), kGrain, [&](uint64_t b, uint64_t e, int) {
      for (uint64_t v = b; v < e; ++v) {
        while (Get(v) != Get(Get(v))) Ref(v).store(Get(Get(v)), std::memory_order_relaxed);
      }
    });
  }

 private:
  std::atomic_ref<Vid> Ref(uint64_t v) { return std::atomic_ref<Vid>(parent_[v]); }
  Vid Get(uint64_t v) { return Ref(v).load(std::memory_order_relaxed); }
  std::vector<Vid>& parent_;
};

// The label most of a random sample carries.
Vid MostFrequent(const std::vector<Vid>& parent) {
  absl::flat_hash_map<Vid, int> count;
  std::mt19937 rng(0);
  std::uniform_int_distribution<uint64_t> pick(0, parent.size() - 1);
  Vid best = 0;
  int best_count = 0;
  for (int i = 0; i < kSamples; ++i) {
    const Vid c = parent[pick(rng)];
    if (++count[c] > best_count) {
      best = c;
      best_count = count[c];
    }
  }
  return best;
}

}  // namespace

absl::StatusOr<std::vector<Vid>> Wcc(const Graph& g, const Control& control) {
  const Vid n = g.num_vertices();
  std::vector<Vid> parent(n);
  for (Vid v = 0; v < n; ++v) parent[v] = v;
  if (n == 0) return parent;
  ThreadPool& pool = ThreadPool::Shared();
  const int threads = pool.Resolve(control.threads);
  UnionFind uf(parent);
  const Arcs& out = g.out();
  for (int round = 0; round < kSampleRounds; ++round) {
    pool.ParallelFor(threads, n, kGrain, [&](uint64_t b, uint64_t e, int) {
      for (uint64_t u = b; u < e; ++u) {
        if (out.Degree(static_cast<Vid>(u)) > static_cast<uint64_t>(round)) {
          uf.Link(static_cast<Vid>(u), out.targets[out.offsets[u] + round]);
        }
      }
    });
    uf.Compress(pool, threads);
  }
  if (absl::Status s = control.Report(0.3); !s.ok()) return s;
  const Vid largest = MostFrequent(parent);
  pool.ParallelFor(threads, n, kGrain, [&](uint64_t b, uint64_t e, int) {
    for (uint64_t u = b; u < e; ++u) {
      if (parent[u] == largest) continue;
      for (auto t :
           out.Targets(static_cast<Vid>(u))
               .subspan(std::min<uint64_t>(kSampleRounds, out.Degree(static_cast<Vid>(u))))) {
        uf.Link(static_cast<Vid>(u), t);
      }
      // Arcs into u from the largest component were not seen from its side.
      if (g.directed()) {
        for (Vid t : g.in_topology().Targets(static_cast<Vid>(u))) uf.Link(static_cast<Vid>(u), t);
      }
    }
  });
  uf.Compress(pool, threads);
  if (absl::Status s = control.Report(1.0); !s.ok()) return s;
  return parent;
}

absl::Status VerifyComponents(const Graph& g, const std::vector<Vid>& labels) {
  const Vid n = g.num_vertices();
  if (labels.size() != n) return absl::InternalError("component labels have the wrong length");
  std::vector<Vid> want(n, kNoVertex);
  for (Vid s = 0; s < n; ++s) {
    if (want[s] != kNoVertex) continue;
    std::deque<Vid> queue = {s};
    want[s] = s;  // s is the smallest vertex of its component: visited in order
    while (!queue.empty()) {
      const Vid u = queue.front();
      queue.pop_front();
      auto visit = [&](Vid v) {
        if (want[v] == kNoVertex) {
          want[v] = s;
          queue.push_back(v);
        }
      };
      for (Vid v : g.out().Targets(u)) visit(v);
      for (Vid v : g.in_topology().Targets(u)) visit(v);
    }
  }
  for (Vid v = 0; v < n; ++v) {
    if (labels[v] != want[v]) {
      return absl::InternalError(
          absl::StrCat("vertex ", v, ": component ", labels[v], ", expected ", want[v]));
    }
  }
  return absl::OkStatus();
}

}  // namespace nendb::algo
