#include "algo/louvain.h"

#include <cmath>
#include <numeric>
#include <random>
#include <vector>

#include "absl/strings/str_cat.h"
#include "algo/modularity.h"

namespace nendb::algo {
namespace {

constexpr double kMinGain = 1e-12;  // relative to the node's strength

// One level's local moving: passes over the nodes in `order` until one
// moves nothing. comm starts as the identity. Returns whether any moved.
absl::StatusOr<bool> MoveNodes(const CommunityGraph& g, double resolution,
                               const std::vector<uint32_t>& order, int level,
                               std::vector<uint32_t>& comm, const Control& control) {
  const uint32_t n = g.size();
  const double scale = g.total > 0 ? resolution / g.total : 0.0;
  std::vector<double> tot = g.strength;  // community strengths
  WeightAccumulator acc(n);              // weight from the node to each community
  bool any = false;
  for (int pass = 0;; ++pass) {
    uint64_t moves = 0;
    for (uint32_t v : order) {
      const uint32_t cv = comm[v];
      const double kv = g.strength[v];
      tot[cv] -= kv;
      for (uint64_t i = g.offsets[v]; i < g.offsets[v + 1]; ++i) {
        acc.Add(comm[g.targets[i]], g.weights[i]);
      }
      uint32_t best = cv;
      double best_gain = acc.weight(cv) - scale * kv * tot[cv];
      const double threshold = kMinGain * kv;
      for (uint32_t d : acc.touched()) {
        const double gain = acc.weight(d) - scale * kv * tot[d];
        if (gain > best_gain + threshold) {
          best = d;
          best_gain = gain;
        }
      }
      acc.Clear();
      tot[best] += kv;
      if (best != cv) {
        comm[v] = best;
        ++moves;
      }
    }
    any |= moves > 0;
    // An estimate: level l covers [1 - 2^-l, 1 - 2^-(l+1)), each pass half of what is left.
    const double done = 1 - std::pow(0.5, level);
    if (absl::Status s = control.Report(done + (1 - done) / 2 * (1 - std::pow(0.5, pass + 1)));
        !s.ok()) {
      return s;
    }
    if (moves == 0) return any;
  }
}

}  // namespace

absl::StatusOr<CommunityResult> Louvain(const Graph& g, const CommunityOptions& o,
                                        const Control& control) {
  if (absl::Status s = CheckCommunityOptions(o); !s.ok()) return s;
  absl::StatusOr<CommunityGraph> base = CommunityGraph::From(g);
  if (!base.ok()) return base.status();
  const Vid n = g.num_vertices();
  CommunityResult r;
  r.community.resize(n);  // vertex -> node of the current level
  std::iota(r.community.begin(), r.community.end(), 0);
  std::mt19937_64 rng(o.seed);
  CommunityGraph level = *std::move(base);
  while (r.levels < o.max_levels) {
    const uint32_t size = level.size();
    std::vector<uint32_t> order(size), comm(size);
    std::iota(order.begin(), order.end(), 0);
    std::iota(comm.begin(), comm.end(), 0);
    Shuffle(order, rng);
    absl::StatusOr<bool> moved = MoveNodes(level, o.resolution, order, r.levels, comm, control);
    if (!moved.ok()) return moved.status();
    if (!*moved) break;
    const uint32_t k = Relabel(comm);
    if (k == size) break;
    for (uint32_t& c : r.community) c = comm[c];
    level = Aggregate(level, comm, k);
    ++r.levels;
  }
  Relabel(r.community);
  absl::StatusOr<double> q = Modularity(g, r.community, o.resolution);
  if (!q.ok()) return q.status();
  r.modularity = *q;
  if (absl::Status s = control.Report(1.0); !s.ok()) return s;
  return r;
}

}  // namespace nendb::algo
