// Point-to-point shortest paths: one shortest path from one vertex to
// another along out-arcs.
//
// Unweighted graphs: bidirectional breadth-first search (Pohl,
// "Bi-directional search", Machine Intelligence 6, 1971): a forward search
// from `from` along out-arcs and a backward one from `to` along in-arcs, a
// whole level at a time, each round expanding the side whose frontier has
// fewer arcs to scan, until one side reaches a vertex the other has seen.
// Since both sides grow level by level and have not met before, the first
// such vertex lies on a shortest path.
//
// Weighted graphs: Dijkstra from `from` with a binary heap, stopping when
// `to` is settled; of parallel arcs the lightest counts.
//
// Serial (control.threads is not used): a query touches the part of the
// graph nearer than the answer. Still O(vertices) memory per query, and the
// weights are checked in full first. Thread-safe: reads the graph only.
#ifndef NENDB_ALGO_SHORTEST_PATH_H_
#define NENDB_ALGO_SHORTEST_PATH_H_

#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "algo/control.h"
#include "algo/graph.h"

namespace nendb::algo {

// The vertices of one shortest path from `from` to `to`, both included:
// {from} when from == to, empty when `to` is unreachable. InvalidArgument
// for an out-of-range vertex or a negative or NaN weight; Cancelled when
// control.progress says stop (asked after each level, or every 1024 settled
// vertices, with the fraction of vertices seen).
absl::StatusOr<std::vector<Vid>> ShortestPath(const Graph& g, Vid from, Vid to,
                                              const Control& control);

// The serial check shared by tests and benchmarks: `path` is empty exactly
// when `to` is unreachable, otherwise runs from `from` to `to` without
// repeating a vertex, consecutive vertices are joined by arcs, and its
// length (hops, or the weights of the lightest arcs used, summed from
// `from` on) equals the distance ReferenceDistances finds.
absl::Status VerifyPath(const Graph& g, Vid from, Vid to, const std::vector<Vid>& path);

}  // namespace nendb::algo

#endif  // NENDB_ALGO_SHORTEST_PATH_H_
