#include "algo/bfs.h"

#include <atomic>
#include <deque>

#include "absl/strings/str_cat.h"
#include "util/thread_pool.h"

namespace nendb::algo {
namespace {

// GAP's switching parameters.
constexpr uint64_t kAlpha = 15;
constexpr uint64_t kBeta = 18;
constexpr uint64_t kQueueGrain = 64;
constexpr uint64_t kBitmapGrain = 64 * 64;  // whole words of the bitmaps per chunk

struct Bitmap {
  std::vector<uint64_t> words;
  explicit Bitmap(uint64_t bits) : words((bits + 63) / 64) {}
  bool Get(uint64_t i) const { return (words[i >> 6] >> (i & 63)) & 1; }
  void Clear() { std::fill(words.begin(), words.end(), 0); }
};

class Search {
 public:
  Search(const Graph& g, const Control& c, BfsResult* r)
      : g_(g), c_(c), r_(*r), pool_(ThreadPool::Shared()), threads_(pool_.Resolve(c.threads)) {}

  absl::Status Run(absl::Span<const Vid> sources, int64_t max_depth) {
    const Vid n = g_.num_vertices();
    r_.depth.assign(n, -1);
    r_.parent.assign(n, kNoVertex);
    std::vector<Vid> frontier;
    for (Vid s : sources) {
      if (r_.parent[s] != kNoVertex) continue;  // listed twice
      r_.parent[s] = s;
      r_.depth[s] = 0;
      frontier.push_back(s);
    }
    uint64_t unexplored = g_.num_arcs();
    Bitmap front(n), next(n);
    int32_t level = 0;
    uint64_t reached = frontier.size();
    while (!frontier.empty() && (max_depth < 0 || level < max_depth)) {
      uint64_t scout = 0;
      for (Vid u : frontier) scout += g_.out().Degree(u);
      if (scout > unexplored / kAlpha && frontier.size() > 1) {
        // Bottom-up while the frontier is large.
        ToBitmap(frontier, front);
        uint64_t awake = frontier.size(), old_awake;
        do {
          old_awake = awake;
          awake = BottomUpStep(front, next, level);
          std::swap(front.words, next.words);
          ++level;
          reached += awake;
          if (absl::Status s = c_.Report(double(reached) / n); !s.ok()) return s;
        } while (awake > 0 && (awake >= old_awake || awake > n / kBeta) &&
                 (max_depth < 0 || level < max_depth));
        FromBitmap(front, frontier);
        unexplored = unexplored > scout ? unexplored - scout : 0;
        continue;
      }
      unexplored = unexplored > scout ? unexplored - scout : 0;
      frontier = TopDownStep(frontier, level);
      ++level;
      reached += frontier.size();
      if (absl::Status s = c_.Report(double(reached) / n); !s.ok()) return s;
    }
    return absl::OkStatus();
  }

 private:
  std::vector<Vid> TopDownStep(const std::vector<Vid>& frontier, int32_t level) {
    std::vector<std::vector<Vid>> found(threads_);
    pool_.ParallelFor(threads_, frontier.size(), kQueueGrain,
                      [&](uint64_t begin, uint64_t end, int t) {
                        for (uint64_t i = begin; i < end; ++i) {
                          const Vid u = frontier[i];
                          for (Vid v : g_.out().Targets(u)) {
                            std::atomic_ref<Vid> parent(r_.parent[v]);
                            Vid none = kNoVertex;
                            if (parent.load(std::memory_order_relaxed) == kNoVertex &&
                                parent.compare_exchange_strong(none, u)) {
                              r_.depth[v] = level + 1;
                              found[t].push_back(v);
                            }
                          }
                        }
                      });
    std::vector<Vid> next;
    for (auto& f : found) next.insert(next.end(), f.begin(), f.end());
    return next;
  }

  // Each chunk owns whole words of `next`: no two threads write one word.
  uint64_t BottomUpStep(const Bitmap& front, Bitmap& next, int32_t level) {
    next.Clear();
    std::atomic<uint64_t> awake{0};
    const Vid n = g_.num_vertices();
    pool_.ParallelFor(threads_, n, kBitmapGrain, [&](uint64_t begin, uint64_t end, int) {
      uint64_t count = 0;
      for (uint64_t v = begin; v < end; ++v) {
        if (r_.parent[v] != kNoVertex) continue;
        for (Vid u : g_.in_topology().Targets(static_cast<Vid>(v))) {
          if (front.Get(u)) {
            r_.parent[v] = u;
            r_.depth[v] = level + 1;
            next.words[v >> 6] |= uint64_t{1} << (v & 63);
            ++count;
            break;
          }
        }
      }
      awake.fetch_add(count, std::memory_order_relaxed);
    });
    return awake.load();
  }

  static void ToBitmap(const std::vector<Vid>& queue, Bitmap& bits) {
    bits.Clear();
    for (Vid u : queue) bits.words[u >> 6] |= uint64_t{1} << (u & 63);
  }
  static void FromBitmap(const Bitmap& bits, std::vector<Vid>& queue) {
    queue.clear();
    for (uint64_t w = 0; w < bits.words.size(); ++w) {
      for (uint64_t word = bits.words[w]; word != 0; word &= word - 1) {
        queue.push_back(static_cast<Vid>(w * 64 + __builtin_ctzll(word)));
      }
    }
  }

  const Graph& g_;
  const Control& c_;
  BfsResult& r_;
  ThreadPool& pool_;
  const int threads_;
};

absl::Status CheckSources(const Graph& g, absl::Span<const Vid> sources) {
  for (Vid s : sources) {
    if (s >= g.num_vertices()) {
      return absl::InvalidArgumentError(absl::StrCat("source vertex ", s, " is not in the graph (",
                                                     g.num_vertices(), " vertices)"));
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<BfsResult> Bfs(const Graph& g, absl::Span<const Vid> sources, int64_t max_depth,
                              const Control& control) {
  if (absl::Status s = CheckSources(g, sources); !s.ok()) return s;
  BfsResult r;
  Search search(g, control, &r);
  if (absl::Status s = search.Run(sources, max_depth); !s.ok()) return s;
  return r;
}

absl::Status VerifyBfs(const Graph& g, absl::Span<const Vid> sources, int64_t max_depth,
                       const BfsResult& r) {
  if (absl::Status s = CheckSources(g, sources); !s.ok()) return s;
  const Vid n = g.num_vertices();
  if (r.depth.size() != n || r.parent.size() != n) {
    return absl::InternalError("BFS result has the wrong length");
  }
  std::vector<int32_t> depth(n, -1);
  std::deque<Vid> queue;
  for (Vid s : sources) {
    if (depth[s] == 0) continue;
    depth[s] = 0;
    queue.push_back(s);
  }
  while (!queue.empty()) {
    const Vid u = queue.front();
    queue.pop_front();
    if (max_depth >= 0 && depth[u] >= max_depth) continue;
    for (Vid v : g.out().Targets(u)) {
      if (depth[v] < 0) {
        depth[v] = depth[u] + 1;
        queue.push_back(v);
      }
    }
  }
  for (Vid v = 0; v < n; ++v) {
    if (r.depth[v] != depth[v]) {
      return absl::InternalError(
          absl::StrCat("vertex ", v, ": depth ", r.depth[v], ", expected ", depth[v]));
    }
    if (depth[v] <= 0) {
      const Vid want = depth[v] == 0 ? v : kNoVertex;
      if (r.parent[v] != want) return absl::InternalError(absl::StrCat("vertex ", v, ": parent"));
      continue;
    }
    const Vid p = r.parent[v];
    bool arc = false;
    if (p < n && depth[p] == depth[v] - 1) {
      for (Vid t : g.out().Targets(p)) arc = arc || t == v;
    }
    if (!arc) {
      return absl::InternalError(absl::StrCat("vertex ", v, ": parent ", p,
                                              " is not one level "
                                              "up along an arc"));
    }
  }
  return absl::OkStatus();
}

}  // namespace nendb::algo
