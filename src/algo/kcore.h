// k-core decomposition: the core number of every vertex, the largest k such
// that the vertex belongs to the k-core (the largest subgraph in which every
// vertex has degree >= k).
//
// Batagelj and Zaversnik, "An O(m) Algorithm for Cores Decomposition of
// Networks", 2003: vertices bucket-sorted by degree are removed in order of
// their current degree, each removal lowering its remaining neighbours'
// degrees and moving them one bucket down. The degrees are counted in
// parallel; the peeling is serial.
//
// The graph is taken as undirected: the degree of a vertex is its number of
// out-arcs plus in-arcs (for an undirected graph, edges), self-loops left
// out. Parallel arcs count, each one: two vertices joined by arcs both ways
// are each other's neighbour twice. That is igraph's coreness(mode="all")
// (NetworkX's core_number refuses multigraphs) except for self-loops, which
// igraph counts into the degree (twice, undirected) and NetworkX refuses.
//
// Thread-safe: reads the graph only.
#ifndef NENDB_ALGO_KCORE_H_
#define NENDB_ALGO_KCORE_H_

#include <cstdint>
#include <vector>

#include "absl/status/statusor.h"
#include "algo/control.h"
#include "algo/graph.h"

namespace nendb::algo {

// By vertex, its core number. Reports progress every 2^16 vertices peeled.
// OutOfRange if a vertex has 2^32 arcs or more.
absl::StatusOr<std::vector<uint32_t>> CoreNumbers(const Graph& g, const Control& control);

// The serial check shared by tests and benchmarks: every vertex with core
// number k has at least k neighbours with core number >= k (so the vertices
// with core >= k induce a subgraph of minimum degree >= k), and the numbers
// equal those of peeling with a binary heap (so no vertex with core k is in
// the (k+1)-core).
absl::Status VerifyCores(const Graph& g, const std::vector<uint32_t>& cores);

}  // namespace nendb::algo

#endif  // NENDB_ALGO_KCORE_H_
