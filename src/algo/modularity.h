// Modularity of a partition (Newman, Girvan, "Finding and evaluating
// community structure in networks", Phys. Rev. E 2004), with the resolution
// parameter gamma of Reichardt and Bornholdt (Phys. Rev. E 2006):
//
//   Q = 1/(2m) sum_{u,v} (A[u][v] - gamma k(u) k(v) / (2m)) [c(u) = c(v)]
//     = sum_c (in(c) / (2m) - gamma (K(c) / (2m))^2)
//
// on the graph taken as undirected and weighted (community.h): A[u][v] the
// total weight between u and v, A[u][u] twice u's self-loop weight, k(u) the
// strength, 2m the total strength, in(c) = sum of A over pairs inside c,
// K(c) the strength of c. Concretely:
//  - an undirected Graph lists an edge u-v in out() both ways, each adding
//    w to in (when inside a community) and to the strength of its source; a
//    self-loop, listed once, adds 2w to both, as in igraph, where a loop
//    u-u of weight w adds 2w to u's strength;
//  - a directed Graph is symmetrized: every arc u -> v is an undirected edge
//    (out() and in() both count; a pair u -> v, v -> u is two edges).
// Equal to igraph's Graph.modularity(membership, weights, resolution,
// directed=False) on the undirected graph (to rounding), except on a graph
// without edge weight (no edges, or all weights zero), where igraph gives
// NaN and this gives 0.
//
// Thread-safe: reads the graph only.
#ifndef NENDB_ALGO_MODULARITY_H_
#define NENDB_ALGO_MODULARITY_H_

#include <cstdint>

#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "algo/graph.h"

namespace nendb::algo {

// community: by vertex, any ids below num_vertices(). InvalidArgument for a
// community vector of the wrong length or with an id out of range, a
// negative or non-finite resolution, or a negative or non-finite weight.
absl::StatusOr<double> Modularity(const Graph& g, absl::Span<const uint32_t> community,
                                  double resolution = 1.0);

}  // namespace nendb::algo

#endif  // NENDB_ALGO_MODULARITY_H_
