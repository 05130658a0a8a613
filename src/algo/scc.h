// Strongly connected components.
//
// Tarjan's algorithm (Tarjan, "Depth-first search and linear graph
// algorithms", SIAM J. Comput. 1(2), 1972), iterative: the depth-first
// search keeps an explicit stack of (vertex, next arc) frames instead of
// recursing, so a path of millions of vertices costs memory, not the
// thread's stack. It is preceded by trimming (as in Hong, Rodia, Olukotun,
// "On fast parallel detection of strongly connected components (SCC) in
// small-world graphs", SC 2013): parallel rounds over the vertices remove
// every vertex that has no arc from, or no arc to, another remaining vertex
// (self-loops do not count); each is an SCC of its own. In power-law graphs
// that is a large share of the vertices for one pass over the arcs per
// round; rounds stop when one removes fewer than 1/64 of the vertices left.
// The search then runs serially over out-arcs, skipping trimmed vertices.
//
// For an undirected graph the components equal the weakly connected ones.
// The label of a vertex is the smallest vertex of its component, so labels
// do not depend on threads or timing. Thread-safe: reads the graph only.
#ifndef NENDB_ALGO_SCC_H_
#define NENDB_ALGO_SCC_H_

#include <vector>

#include "absl/status/statusor.h"
#include "algo/control.h"
#include "algo/graph.h"

namespace nendb::algo {

// By vertex, the smallest vertex of its strongly connected component.
// Reports progress after each trimming round and every 2^16 vertices the
// search reaches.
absl::StatusOr<std::vector<Vid>> Scc(const Graph& g, const Control& control);

// The serial check shared by tests and benchmarks: labels equal those of
// Kosaraju's method (a depth-first pass over out-arcs for the finishing
// order, then searches over in-arcs in reverse finishing order).
absl::Status VerifyScc(const Graph& g, const std::vector<Vid>& labels);

}  // namespace nendb::algo

#endif  // NENDB_ALGO_SCC_H_
