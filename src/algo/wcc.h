// Weakly connected components.
//
// Afforest (Sutton, Ben-Nun, Barak, "Optimizing Parallel Graph Connectivity
// Computation via Subgraph Sampling", IPDPS 2018), as in the GAP Benchmark
// Suite: union-find over a parent array where a link hooks the larger root
// under the smaller one by compare-and-swap. First only the first two arcs
// of every vertex are linked; the largest component found then is skipped in
// the final pass over the remaining arcs (and, for a directed graph, the
// in-arcs), which is where most of the work would otherwise go.
//
// The label of a vertex is the smallest vertex of its component, so labels
// do not depend on threads or timing. Thread-safe: reads the graph only.
#ifndef NENDB_ALGO_WCC_H_
#define NENDB_ALGO_WCC_H_

#include <vector>

#include "absl/status/statusor.h"
#include "algo/control.h"
#include "algo/graph.h"

namespace nendb::algo {

// By vertex, the smallest vertex of its component.
absl::StatusOr<std::vector<Vid>> Wcc(const Graph& g, const Control& control);

// The serial check: labels equal those of a plain BFS over arcs both ways.
absl::Status VerifyComponents(const Graph& g, const std::vector<Vid>& labels);

}  // namespace nendb::algo

#endif  // NENDB_ALGO_WCC_H_
