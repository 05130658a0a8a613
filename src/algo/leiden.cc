#include "algo/leiden.h"

#include <cmath>
#include <deque>
#include <numeric>
#include <random>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "algo/modularity.h"

namespace nendb::algo {
namespace {

constexpr double kMinGain = 1e-12;  // relative to the node's strength
constexpr double kTheta = 0.01;     // refinement randomness, in edge weight

// A partition of one level's nodes, with what moving needs.
struct Partition {
  std::vector<uint32_t> comm;   // by node, ids below the node count
  std::vector<double> tot;      // strength by community
  std::vector<uint32_t> count;  // nodes by community
  std::vector<uint32_t> empty;  // ids of empty communities, the smallest last
  std::vector<bool> listed;     // whether in `empty`

  Partition(const CommunityGraph& g, std::vector<uint32_t> c) : comm(std::move(c)) {
    const uint32_t n = g.size();
    tot.assign(n, 0.0);
    count.assign(n, 0);
    listed.assign(n, false);
    for (uint32_t v = 0; v < n; ++v) {
      tot[comm[v]] += g.strength[v];
      ++count[comm[v]];
    }
    for (uint32_t c = n; c-- > 0;) {
      if (count[c] == 0) {
        empty.push_back(c);
        listed[c] = true;
      }
    }
  }
  uint32_t TakeEmpty() {
    for (;;) {
      const uint32_t c = empty.back();
      empty.pop_back();
      listed[c] = false;
      if (count[c] == 0) return c;
    }
  }
  uint32_t communities() const { return static_cast<uint32_t>(comm.size() - empty.size()); }
};

// Traag et al.'s MoveNodesFast. Returns whether any node moved.
bool MoveNodesFast(const CommunityGraph& g, double scale, Partition& p, std::mt19937_64& rng) {
  const uint32_t n = g.size();
  if (n == 0) return false;
  std::vector<uint32_t> queue(n);  // a ring: every node is on it at most once
  std::iota(queue.begin(), queue.end(), 0);
  Shuffle(queue, rng);
  std::vector<bool> queued(n, true);
  uint64_t head = 0, queued_count = n;
  WeightAccumulator acc(n);
  bool moved = false;
  while (queued_count > 0) {
    const uint32_t v = queue[head];
    head = head + 1 == n ? 0 : head + 1;
    --queued_count;
    queued[v] = false;
    const uint32_t cv = p.comm[v];
    const double kv = g.strength[v];
    p.tot[cv] -= kv;
    --p.count[cv];
    for (uint64_t i = g.offsets[v]; i < g.offsets[v + 1]; ++i) {
      acc.Add(p.comm[g.targets[i]], g.weights[i]);
    }
    uint32_t best = cv;
    double best_gain = acc.weight(cv) - scale * kv * p.tot[cv];
    const double threshold = kMinGain * kv;
    for (uint32_t d : acc.touched()) {
      const double gain = acc.weight(d) - scale * kv * p.tot[d];
      if (gain > best_gain + threshold) {
        best = d;
        best_gain = gain;
      }
    }
    acc.Clear();
    // An empty community gains 0 (when v was alone, staying is that).
    if (p.count[cv] > 0 && 0 > best_gain + threshold) best = p.TakeEmpty();
    p.tot[best] += kv;
    ++p.count[best];
    if (best == cv) continue;
    moved = true;
    p.comm[v] = best;
    if (p.count[cv] == 0 && !p.listed[cv]) {
      p.empty.push_back(cv);
      p.listed[cv] = true;
    }
    for (uint64_t i = g.offsets[v]; i < g.offsets[v + 1]; ++i) {
      const uint32_t u = g.targets[i];
      if (!queued[u] && p.comm[u] != best) {
        queue[(head + queued_count) % n] = u;
        ++queued_count;
        queued[u] = true;
      }
    }
  }
  return moved;
}

// Traag et al.'s RefinePartition: MergeNodesSubset on every community of p,
// all communities at once in one random order of the nodes (they do not
// interact). Returns the subcommunity of every node, as a node id.
std::vector<uint32_t> Refine(const CommunityGraph& g, double scale, const Partition& p,
                             std::mt19937_64& rng) {
  const uint32_t n = g.size();
  std::vector<uint32_t> ref(n);
  std::iota(ref.begin(), ref.end(), 0);
  std::vector<double> rtot = g.strength;  // strength by subcommunity
  std::vector<uint32_t> rsize(n, 1);
  std::vector<double> ext(n, 0.0);  // E(v, S - v), S the community of v
  for (uint32_t v = 0; v < n; ++v) {
    for (uint64_t i = g.offsets[v]; i < g.offsets[v + 1]; ++i) {
      if (p.comm[g.targets[i]] == p.comm[v]) ext[v] += g.weights[i];
    }
  }
  std::vector<double> rext = ext;  // E(C, S - C) by subcommunity
  std::vector<uint32_t> order(n);
  std::iota(order.begin(), order.end(), 0);
  Shuffle(order, rng);
  WeightAccumulator acc(n);
  std::vector<std::pair<uint32_t, double>> choices;  // subcommunity, cumulative weight
  for (uint32_t v : order) {
    const uint32_t rv = ref[v];
    if (rsize[rv] != 1) continue;  // no longer alone
    const uint32_t s = p.comm[v];
    const double ks = p.tot[s], kv = g.strength[v];
    if (ext[v] < scale * kv * (ks - kv)) continue;  // not well connected to S
    for (uint64_t i = g.offsets[v]; i < g.offsets[v + 1]; ++i) {
      const uint32_t u = g.targets[i];
      if (p.comm[u] == s) acc.Add(ref[u], g.weights[i]);
    }
    // Staying alone gains 0; a subcommunity is a choice when well connected
    // to S and joining it gains >= 0.
    double max_gain = 0;
    for (uint32_t c : acc.touched()) {
      if (rext[c] < scale * rtot[c] * (ks - rtot[c])) continue;
      const double gain = acc.weight(c) - scale * kv * rtot[c];
      if (gain >= 0) {
        choices.push_back({c, gain});
        max_gain = std::max(max_gain, gain);
      }
    }
    uint32_t chosen = rv;
    if (!choices.empty()) {  // probabilities ~ exp(gain / theta), shifted to avoid overflow
      const double stay = std::exp(-max_gain / kTheta);
      double sum = stay;
      for (auto& [c, x] : choices) {
        sum += std::exp((x - max_gain) / kTheta);
        x = sum;
      }
      const double pick = UniformReal(rng) * sum;
      if (pick >= stay) {
        chosen = choices.back().first;
        for (const auto& [c, cumulative] : choices) {
          if (pick < cumulative) {
            chosen = c;
            break;
          }
        }
      }
      choices.clear();
    }
    if (chosen != rv) {
      ref[v] = chosen;
      rtot[chosen] += kv;
      rext[chosen] += ext[v] - 2 * acc.weight(chosen);
      ++rsize[chosen];
      rsize[rv] = 0;
      rtot[rv] = 0;
    }
    acc.Clear();
  }
  return ref;
}

// The connected parts of the communities of comm: by node, the smallest
// node of its part.
std::vector<uint32_t> ConnectedParts(const CommunityGraph& g, const std::vector<uint32_t>& comm) {
  const uint32_t n = g.size();
  std::vector<uint32_t> part(n, ~uint32_t{0});
  std::deque<uint32_t> queue;
  for (uint32_t s = 0; s < n; ++s) {
    if (part[s] != ~uint32_t{0}) continue;
    part[s] = s;
    queue = {s};
    while (!queue.empty()) {
      const uint32_t u = queue.front();
      queue.pop_front();
      for (uint64_t i = g.offsets[u]; i < g.offsets[u + 1]; ++i) {
        const uint32_t v = g.targets[i];
        if (part[v] == ~uint32_t{0} && comm[v] == comm[s]) {
          part[v] = s;
          queue.push_back(v);
        }
      }
    }
  }
  return part;
}

// One run of the algorithm from `start` (by vertex of the base graph);
// returns the partition it ends with, relabelled.
absl::StatusOr<std::vector<uint32_t>> Run(const CommunityGraph& base, std::vector<uint32_t> start,
                                          double scale, int max_levels, std::mt19937_64& rng,
                                          int& levels, const Control& control) {
  std::vector<uint32_t> membership(base.size());  // vertex -> node of the current level
  std::iota(membership.begin(), membership.end(), 0);
  const CommunityGraph* level = &base;
  CommunityGraph aggregate;
  Partition p(base, std::move(start));
  for (;;) {
    MoveNodesFast(*level, scale, p, rng);
    if (absl::Status s = control.Report(1 - std::pow(0.5, levels + 1)); !s.ok()) return s;
    const uint32_t size = level->size();
    if (p.communities() == size || levels >= max_levels) break;
    std::vector<uint32_t> refined = Refine(*level, scale, p, rng);
    uint32_t k = Relabel(refined);
    if (k == size) {  // no merge: aggregate the communities, in connected parts
      refined = ConnectedParts(*level, p.comm);
      k = Relabel(refined);
      if (k == size) break;
    }
    std::vector<uint32_t> next(k);  // each aggregate node starts in its community
    for (uint32_t v = 0; v < size; ++v) next[refined[v]] = p.comm[v];
    Relabel(next);
    for (uint32_t& m : membership) m = refined[m];
    CommunityGraph coarser = Aggregate(*level, refined, k);
    aggregate = std::move(coarser);
    level = &aggregate;
    p = Partition(*level, std::move(next));
    ++levels;
  }
  // Communities are connected unless a cap or the fallback above stopped
  // early; splitting those that are not can only raise modularity.
  const std::vector<uint32_t> parts = ConnectedParts(*level, p.comm);
  for (uint32_t& m : membership) m = parts[m];
  Relabel(membership);
  return membership;
}

}  // namespace

absl::StatusOr<CommunityResult> Leiden(const Graph& g, const CommunityOptions& o,
                                       const Control& control) {
  if (absl::Status s = CheckCommunityOptions(o); !s.ok()) return s;
  absl::StatusOr<CommunityGraph> base = CommunityGraph::From(g);
  if (!base.ok()) return base.status();
  const double scale = base->total > 0 ? o.resolution / base->total : 0.0;
  std::mt19937_64 rng(o.seed);
  CommunityResult r;
  r.community.resize(g.num_vertices());
  std::iota(r.community.begin(), r.community.end(), 0);
  for (int run = 0; run < o.max_levels; ++run) {
    absl::StatusOr<std::vector<uint32_t>> next =
        Run(*base, r.community, scale, o.max_levels, rng, r.levels, control);
    if (!next.ok()) return next.status();
    const bool same = *next == r.community;
    r.community = *std::move(next);
    if (same || r.levels >= o.max_levels) break;
  }
  absl::StatusOr<double> q = Modularity(g, r.community, o.resolution);
  if (!q.ok()) return q.status();
  r.modularity = *q;
  if (absl::Status s = control.Report(1.0); !s.ok()) return s;
  return r;
}

}  // namespace nendb::algo
