#include "algo/community.h"

#include <cmath>
#include <deque>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "algo/modularity.h"

namespace nendb::algo {

absl::Status CheckCommunityWeights(const Graph& g) {
  if (!g.weighted()) return absl::OkStatus();
  for (uint64_t i = 0; i < g.num_arcs(); ++i) {
    const float w = g.out().weights[i];
    if (!(w >= 0) || std::isinf(w)) {
      return absl::InvalidArgumentError(
          absl::StrCat("community detection needs finite non-negative weights, not ", w));
    }
  }
  return absl::OkStatus();
}

absl::Status CheckResolution(double resolution) {
  if (!(resolution >= 0) || std::isinf(resolution)) {
    return absl::InvalidArgumentError(
        absl::StrCat("the resolution must be finite and non-negative, not ", resolution));
  }
  return absl::OkStatus();
}

absl::Status CheckCommunityOptions(const CommunityOptions& o) {
  if (absl::Status s = CheckResolution(o.resolution); !s.ok()) return s;
  if (o.max_levels < 1) {
    return absl::InvalidArgumentError(absl::StrCat("max_levels must be >= 1, not ", o.max_levels));
  }
  return absl::OkStatus();
}

absl::StatusOr<CommunityGraph> CommunityGraph::From(const Graph& g) {
  if (absl::Status s = CheckCommunityWeights(g); !s.ok()) return s;
  const Vid n = g.num_vertices();
  const bool directed = g.directed();
  const Arcs& out = g.out();
  const Arcs& in = g.in();
  CommunityGraph c;
  c.offsets.assign(uint64_t{n} + 1, 0);
  c.self_weight.assign(n, 0.0);
  c.strength.assign(n, 0.0);
  // An undirected Graph lists a self-loop once, a directed one in both out()
  // and in(): either way it adds twice its weight to A[u][u].
  const double loop_factor = directed ? 1.0 : 2.0;
  auto count = [&](const Arcs& arcs, Vid u) {
    uint64_t d = 0;
    for (Vid v : arcs.Targets(u)) d += v != u;
    return d;
  };
  for (Vid u = 0; u < n; ++u) {
    c.offsets[u + 1] = c.offsets[u] + count(out, u) + (directed ? count(in, u) : 0);
  }
  c.targets.resize(c.offsets[n]);
  c.weights.resize(c.offsets[n]);
  auto fill = [&](const Arcs& arcs, Vid u, uint64_t& at) {
    for (uint64_t i = arcs.offsets[u]; i < arcs.offsets[u + 1]; ++i) {
      const Vid v = arcs.targets[i];
      const double w = arcs.weights == nullptr ? 1.0 : arcs.weights[i];
      c.strength[u] += v == u ? loop_factor * w : w;
      if (v == u) {
        c.self_weight[u] += loop_factor * w;
      } else {
        c.targets[at] = v;
        c.weights[at++] = w;
      }
    }
  };
  for (Vid u = 0; u < n; ++u) {
    uint64_t at = c.offsets[u];
    fill(out, u, at);
    if (directed) fill(in, u, at);
  }
  for (double k : c.strength) c.total += k;
  return c;
}

CommunityGraph Aggregate(const CommunityGraph& g, absl::Span<const uint32_t> community,
                         uint32_t k) {
  const uint32_t n = g.size();
  // Members by community (counting sort, in vertex order).
  std::vector<uint64_t> start(uint64_t{k} + 1, 0);
  for (uint32_t u = 0; u < n; ++u) ++start[community[u] + 1];
  for (uint32_t c = 0; c < k; ++c) start[c + 1] += start[c];
  std::vector<uint32_t> members(n);
  {
    std::vector<uint64_t> cursor(start.begin(), start.end() - 1);
    for (uint32_t u = 0; u < n; ++u) members[cursor[community[u]]++] = u;
  }
  CommunityGraph a;
  a.offsets.reserve(uint64_t{k} + 1);
  a.offsets.push_back(0);
  a.self_weight.assign(k, 0.0);
  a.strength.assign(k, 0.0);
  std::vector<double> acc(k, 0.0);
  std::vector<uint32_t> mark(k, ~uint32_t{0});
  std::vector<uint32_t> touched;
  for (uint32_t c = 0; c < k; ++c) {
    for (uint64_t m = start[c]; m < start[c + 1]; ++m) {
      const uint32_t u = members[m];
      a.self_weight[c] += g.self_weight[u];
      a.strength[c] += g.strength[u];
      for (uint64_t i = g.offsets[u]; i < g.offsets[u + 1]; ++i) {
        const uint32_t d = community[g.targets[i]];
        if (d == c) {
          a.self_weight[c] += g.weights[i];
        } else {
          if (mark[d] != c) {
            mark[d] = c;
            acc[d] = 0;
            touched.push_back(d);
          }
          acc[d] += g.weights[i];
        }
      }
    }
    for (uint32_t d : touched) {
      a.targets.push_back(d);
      a.weights.push_back(acc[d]);
    }
    touched.clear();
    a.offsets.push_back(a.targets.size());
  }
  a.total = g.total;
  return a;
}

uint32_t Relabel(std::vector<uint32_t>& labels) {
  uint32_t max = 0;
  for (uint32_t l : labels) max = std::max(max, l);
  uint32_t next = 0;
  if (uint64_t{max} < 4 * uint64_t{labels.size()} + 64) {
    std::vector<uint32_t> to(uint64_t{max} + 1, ~uint32_t{0});
    for (uint32_t& l : labels) {
      if (to[l] == ~uint32_t{0}) to[l] = next++;
      l = to[l];
    }
  } else {
    absl::flat_hash_map<uint32_t, uint32_t> to;
    for (uint32_t& l : labels) {
      auto [it, inserted] = to.try_emplace(l, next);
      if (inserted) ++next;
      l = it->second;
    }
  }
  return next;
}

void Shuffle(std::vector<uint32_t>& v, std::mt19937_64& rng) {
  for (size_t i = v.size(); i > 1; --i) std::swap(v[i - 1], v[UniformBelow(rng, i)]);
}

absl::Status VerifyCommunityResult(const Graph& g, const CommunityResult& r, double resolution) {
  const Vid n = g.num_vertices();
  if (r.community.size() != n) {
    return absl::InternalError(
        absl::StrCat("the result has ", r.community.size(), " labels for ", n, " vertices"));
  }
  uint32_t next = 0;  // the next new community, in the order of smallest members
  for (Vid v = 0; v < n; ++v) {
    if (r.community[v] > next) {
      return absl::InternalError(absl::StrCat("vertex ", v, " is in community ", r.community[v],
                                              " before any vertex is in ", next));
    }
    if (r.community[v] == next) ++next;
  }
  absl::StatusOr<double> q = Modularity(g, r.community, resolution);
  if (!q.ok()) return q.status();
  if (!(std::fabs(*q - r.modularity) <= 1e-9)) {
    return absl::InternalError(
        absl::StrCat("reported modularity ", r.modularity, ", the partition's ", *q));
  }
  return absl::OkStatus();
}

absl::Status VerifyConnectedCommunities(const Graph& g, absl::Span<const uint32_t> community) {
  const Vid n = g.num_vertices();
  if (community.size() != n) return absl::InternalError("community labels have the wrong length");
  std::vector<bool> seen(n, false);
  absl::flat_hash_set<uint32_t> started;  // communities a BFS has covered
  std::deque<Vid> queue;
  for (Vid s = 0; s < n; ++s) {
    if (seen[s]) continue;
    if (!started.insert(community[s]).second) {
      return absl::InternalError(absl::StrCat("community ", community[s], " is not connected: ", s,
                                              " is not reachable from its smaller members"));
    }
    seen[s] = true;
    queue = {s};
    while (!queue.empty()) {
      const Vid u = queue.front();
      queue.pop_front();
      auto visit = [&](Vid v) {
        if (!seen[v] && community[v] == community[s]) {
          seen[v] = true;
          queue.push_back(v);
        }
      };
      for (Vid v : g.out().Targets(u)) visit(v);
      for (Vid v : g.in_topology().Targets(u)) visit(v);
    }
  }
  return absl::OkStatus();
}

}  // namespace nendb::algo
