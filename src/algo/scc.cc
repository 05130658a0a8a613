#include "algo/scc.h"

#include <algorithm>
#include <atomic>
#include <cstdint>

#include "absl/strings/str_cat.h"
#include "util/thread_pool.h"

namespace nendb::algo {
namespace {

constexpr uint64_t kGrain = 4096;
constexpr uint64_t kTrimStop = 64;  // stop trimming when a round removes < left / kTrimStop
constexpr int kMaxTrimRounds = 32;
constexpr uint64_t kReportEvery = uint64_t{1} << 16;  // vertices reached between reports

// Vertex states of the search; trimmed vertices start as kDone.
enum : uint8_t { kUnseen = 0, kOnStack = 1, kDone = 2 };

// Whether v has an arc (on this side) to a vertex other than itself that is
// still in the graph.
bool HasLiveArc(const Arcs& arcs, Vid v, std::vector<uint8_t>& state) {
  for (Vid w : arcs.Targets(v)) {
    if (w != v && std::atomic_ref<uint8_t>(state[w]).load(std::memory_order_relaxed) != kDone) {
      return true;
    }
  }
  return false;
}

// Trimming rounds: marks kDone (and labels as themselves) the vertices that
// cannot be on a cycle through another vertex. Returns how many.
absl::StatusOr<uint64_t> Trim(const Graph& g, const Control& control, ThreadPool& pool, int threads,
                              std::vector<uint8_t>& state, std::vector<Vid>& labels) {
  const Vid n = g.num_vertices();
  uint64_t trimmed = 0;
  for (int round = 0; round < kMaxTrimRounds; ++round) {
    std::atomic<uint64_t> removed{0};
    pool.ParallelFor(threads, n, kGrain, [&](uint64_t b, uint64_t e, int) {
      uint64_t here = 0;
      for (uint64_t u = b; u < e; ++u) {
        const Vid v = static_cast<Vid>(u);
        if (std::atomic_ref<uint8_t>(state[v]).load(std::memory_order_relaxed) == kDone) continue;
        // Removing a vertex another thread is judging meanwhile is always
        // safe: a trimmed vertex is an SCC on its own whatever else remains.
        if (!HasLiveArc(g.out(), v, state) ||
            (g.directed() && !HasLiveArc(g.in_topology(), v, state))) {
          std::atomic_ref<uint8_t>(state[v]).store(kDone, std::memory_order_relaxed);
          labels[v] = v;
          ++here;
        }
      }
      removed.fetch_add(here, std::memory_order_relaxed);
    });
    const uint64_t left = n - trimmed;
    trimmed += removed.load();
    if (absl::Status s = control.Report(double(trimmed) / n); !s.ok()) return s;
    if (removed.load() * kTrimStop < left || trimmed == n) break;
  }
  return trimmed;
}

}  // namespace

absl::StatusOr<std::vector<Vid>> Scc(const Graph& g, const Control& control) {
  const Vid n = g.num_vertices();
  std::vector<Vid> labels(n, kNoVertex);
  if (n == 0) return labels;
  ThreadPool& pool = ThreadPool::Shared();
  const int threads = pool.Resolve(control.threads);
  std::vector<uint8_t> state(n, kUnseen);
  absl::StatusOr<uint64_t> trimmed = Trim(g, control, pool, threads, state, labels);
  if (!trimmed.ok()) return trimmed.status();

  // Iterative Tarjan over what is left.
  const Arcs& out = g.out();
  std::vector<Vid> index(n), low(n);
  std::vector<Vid> stack;  // Tarjan's stack of vertices not yet in a component
  struct Frame {
    Vid v;
    uint64_t next;  // the next arc of v to look at
  };
  std::vector<Frame> frames;
  Vid counter = 0;
  auto discover = [&](Vid v) -> absl::Status {
    index[v] = low[v] = counter++;
    state[v] = kOnStack;
    stack.push_back(v);
    frames.push_back({v, out.offsets[v]});
    if (counter % kReportEvery == 0) {
      return control.Report(double(*trimmed + counter) / n);
    }
    return absl::OkStatus();
  };
  for (Vid root = 0; root < n; ++root) {
    if (state[root] != kUnseen) continue;
    if (absl::Status s = discover(root); !s.ok()) return s;
    while (!frames.empty()) {
      Frame& f = frames.back();
      const Vid v = f.v;
      const uint64_t end = out.offsets[v + 1];
      bool descended = false;
      while (f.next < end) {
        const Vid w = out.targets[f.next++];
        if (state[w] == kUnseen) {
          if (absl::Status s = discover(w); !s.ok()) return s;  // invalidates f
          descended = true;
          break;
        }
        if (state[w] == kOnStack) low[v] = std::min(low[v], index[w]);
      }
      if (descended) continue;
      frames.pop_back();
      if (!frames.empty()) {
        const Vid parent = frames.back().v;
        low[parent] = std::min(low[parent], low[v]);
      }
      if (low[v] == index[v]) {
        // v is the root of a component: the stack from v up.
        const auto first = std::find(stack.rbegin(), stack.rend(), v).base() - 1;
        const Vid smallest = *std::min_element(first, stack.end());
        for (auto it = first; it != stack.end(); ++it) {
          labels[*it] = smallest;
          state[*it] = kDone;
        }
        stack.erase(first, stack.end());
      }
    }
  }
  if (absl::Status s = control.Report(1.0); !s.ok()) return s;
  return labels;
}

absl::Status VerifyScc(const Graph& g, const std::vector<Vid>& labels) {
  const Vid n = g.num_vertices();
  if (labels.size() != n) return absl::InternalError("component labels have the wrong length");
  // Pass 1: the finishing order of a depth-first search over out-arcs.
  std::vector<Vid> finished;
  finished.reserve(n);
  {
    std::vector<bool> seen(n, false);
    std::vector<std::pair<Vid, uint64_t>> frames;  // vertex, next arc
    for (Vid s = 0; s < n; ++s) {
      if (seen[s]) continue;
      seen[s] = true;
      frames.push_back({s, 0});
      while (!frames.empty()) {
        auto& [v, next] = frames.back();
        const auto arcs = g.out().Targets(v);
        if (next < arcs.size()) {
          const Vid w = arcs[next++];
          if (!seen[w]) {
            seen[w] = true;
            frames.push_back({w, 0});
          }
        } else {
          finished.push_back(v);
          frames.pop_back();
        }
      }
    }
  }
  // Pass 2: in reverse finishing order, what each unassigned vertex reaches
  // backwards among the unassigned is its component.
  std::vector<Vid> want(n, kNoVertex);
  std::vector<Vid> members, todo;
  for (auto it = finished.rbegin(); it != finished.rend(); ++it) {
    if (want[*it] != kNoVertex) continue;
    members.clear();
    todo = {*it};
    want[*it] = *it;
    while (!todo.empty()) {
      const Vid v = todo.back();
      todo.pop_back();
      members.push_back(v);
      for (Vid w : g.in_topology().Targets(v)) {
        if (want[w] == kNoVertex) {
          want[w] = *it;
          todo.push_back(w);
        }
      }
    }
    const Vid smallest = *std::min_element(members.begin(), members.end());
    for (Vid v : members) want[v] = smallest;
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
