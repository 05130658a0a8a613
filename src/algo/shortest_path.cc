#include "algo/shortest_path.h"

#include <algorithm>
#include <functional>
#include <limits>
#include <utility>

#include "absl/strings/str_cat.h"
#include "algo/sssp.h"

namespace nendb::algo {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr uint64_t kReportEvery = 1024;  // settled vertices between Dijkstra's reports

absl::Status CheckVertex(const Graph& g, Vid v, const char* what) {
  if (v >= g.num_vertices()) {
    return absl::InvalidArgumentError(absl::StrCat(what, " vertex ", v, " is not in the graph (",
                                                   g.num_vertices(), " vertices)"));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::vector<Vid>> BidirectionalBfs(const Graph& g, Vid from, Vid to,
                                                  const Control& c) {
  const Vid n = g.num_vertices();
  // pred[v]: v's neighbour one step nearer `from`; succ[v]: nearer `to`.
  std::vector<Vid> pred(n, kNoVertex), succ(n, kNoVertex);
  pred[from] = from;
  succ[to] = to;
  std::vector<Vid> forward = {from}, backward = {to}, next;
  uint64_t forward_arcs = g.out().Degree(from), backward_arcs = g.in_topology().Degree(to);
  uint64_t seen = 2;
  Vid meet = kNoVertex;
  while (!forward.empty() && !backward.empty()) {
    const bool fwd = forward_arcs <= backward_arcs;
    const Arcs& arcs = fwd ? g.out() : g.in();
    std::vector<Vid>& mine = fwd ? pred : succ;
    const std::vector<Vid>& theirs = fwd ? succ : pred;
    std::vector<Vid>& frontier = fwd ? forward : backward;
    next.clear();
    uint64_t next_arcs = 0;
    for (Vid u : frontier) {
      for (Vid v : arcs.Targets(u)) {
        if (mine[v] != kNoVertex) continue;
        mine[v] = u;
        if (theirs[v] != kNoVertex) {
          meet = v;
          break;
        }
        next.push_back(v);
        next_arcs += arcs.Degree(v);
      }
      if (meet != kNoVertex) break;
    }
    if (meet != kNoVertex) break;
    frontier.swap(next);
    (fwd ? forward_arcs : backward_arcs) = next_arcs;
    seen += frontier.size();
    if (absl::Status s = c.Report(double(seen) / n); !s.ok()) return s;
  }
  std::vector<Vid> path;
  if (meet == kNoVertex) return path;
  for (Vid v = meet; v != from; v = pred[v]) path.push_back(v);
  path.push_back(from);
  std::reverse(path.begin(), path.end());
  for (Vid v = meet; v != to;) {
    v = succ[v];
    path.push_back(v);
  }
  return path;
}

absl::StatusOr<std::vector<Vid>> Dijkstra(const Graph& g, Vid from, Vid to, const Control& c) {
  const Arcs& out = g.out();
  const Vid n = g.num_vertices();
  std::vector<double> dist(n, kInf);
  std::vector<Vid> parent(n, kNoVertex);
  using Entry = std::pair<double, Vid>;
  std::vector<Entry> heap = {{0.0, from}};
  dist[from] = 0;
  parent[from] = from;
  uint64_t settled = 0;
  bool found = false;
  while (!heap.empty()) {
    std::pop_heap(heap.begin(), heap.end(), std::greater<Entry>());
    const auto [d, u] = heap.back();
    heap.pop_back();
    if (d > dist[u]) continue;  // a stale entry
    if (u == to) {
      found = true;
      break;
    }
    if (++settled % kReportEvery == 0) {
      if (absl::Status s = c.Report(double(settled) / n); !s.ok()) return s;
    }
    for (uint64_t i = out.offsets[u]; i < out.offsets[u + 1]; ++i) {
      const Vid v = out.targets[i];
      const double nd = d + out.weights[i];
      if (nd < dist[v]) {
        dist[v] = nd;
        parent[v] = u;
        heap.push_back({nd, v});
        std::push_heap(heap.begin(), heap.end(), std::greater<Entry>());
      }
    }
  }
  std::vector<Vid> path;
  if (!found) return path;
  for (Vid v = to; v != from; v = parent[v]) path.push_back(v);
  path.push_back(from);
  std::reverse(path.begin(), path.end());
  return path;
}

}  // namespace

absl::StatusOr<std::vector<Vid>> ShortestPath(const Graph& g, Vid from, Vid to,
                                              const Control& control) {
  if (absl::Status s = CheckVertex(g, from, "source"); !s.ok()) return s;
  if (absl::Status s = CheckVertex(g, to, "target"); !s.ok()) return s;
  if (absl::Status s = CheckNonNegativeWeights(g, "ShortestPath"); !s.ok()) return s;
  if (from == to) return std::vector<Vid>{from};
  return g.weighted() ? Dijkstra(g, from, to, control) : BidirectionalBfs(g, from, to, control);
}

absl::Status VerifyPath(const Graph& g, Vid from, Vid to, const std::vector<Vid>& path) {
  if (absl::Status s = CheckVertex(g, from, "source"); !s.ok()) return s;
  if (absl::Status s = CheckVertex(g, to, "target"); !s.ok()) return s;
  if (absl::Status s = CheckNonNegativeWeights(g, "ShortestPath"); !s.ok()) return s;
  const double want = ReferenceDistances(g, from)[to];
  if (want == kInf) {
    if (path.empty()) return absl::OkStatus();
    return absl::InternalError(absl::StrCat("a path of ", path.size(), " vertices from ", from,
                                            " to ", to, ", which is unreachable"));
  }
  if (path.empty() || path.front() != from || path.back() != to) {
    return absl::InternalError(absl::StrCat("the path does not run from ", from, " to ", to, " (",
                                            path.size(), " vertices; ", to, " is at distance ",
                                            want, ")"));
  }
  std::vector<bool> on_path(g.num_vertices(), false);
  for (Vid v : path) {
    if (v >= g.num_vertices()) {
      return absl::InternalError(absl::StrCat("the path visits vertex ", v, ", not in the graph"));
    }
    if (on_path[v]) return absl::InternalError(absl::StrCat("the path visits ", v, " twice"));
    on_path[v] = true;
  }
  const Arcs& out = g.out();
  double length = 0;
  for (size_t k = 1; k < path.size(); ++k) {
    const Vid u = path[k - 1], v = path[k];
    double lightest = kInf;
    bool arc = false;
    for (uint64_t i = out.offsets[u]; i < out.offsets[u + 1]; ++i) {
      if (out.targets[i] != v) continue;
      arc = true;
      lightest = std::min(lightest, g.weighted() ? double{out.weights[i]} : 1.0);
    }
    if (!arc) return absl::InternalError(absl::StrCat("no arc ", u, " -> ", v, " on the path"));
    length += lightest;
  }
  if (!(length == want)) {
    return absl::InternalError(
        absl::StrCat("the path from ", from, " to ", to, " has length ", length, ", not ", want));
  }
  return absl::OkStatus();
}

}  // namespace nendb::algo
