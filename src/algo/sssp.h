// Single-source shortest paths: the distance from one source to every vertex,
// along out-arcs, summing arc weights (1 per arc on an unweighted graph).
//
// Δ-stepping (Meyer, Sanders, "Δ-stepping: a parallelizable shortest path
// algorithm", J. Algorithms 49(1), 2003), as in the GAP Benchmark Suite:
// vertices wait in buckets of width delta by tentative distance; all threads
// take the lowest non-empty bucket together, relax the out-arcs of its
// vertices in parallel (an atomic minimum on the target's distance, a
// compare-exchange loop), and put every vertex they improve into their own
// thread-local bucket for its new distance. A thread keeps draining its own
// share of the current bucket while that stays small; then every thread votes
// for the next bucket and the threads' parts of it become the next shared
// frontier. A vertex queued in a bucket it has since left (its distance
// dropped below the bucket) is skipped. Local buckets are a window of dense
// bins past which improved vertices wait in an overflow list, so that a tiny
// delta or one huge weight costs time, not a bin per multiple of delta.
//
// delta <= 0 chooses it: (mean finite arc weight) / (2 * mean out-degree),
// but no less than the lightest positive weight (at that width a bucket's
// vertices are final when it is taken; narrower only adds rounds). Meyer
// and Sanders suggest Θ(max weight / degree); this gives GAP's -d 2 on its
// Kronecker and uniform graphs (weights in [1, 255], undirected, 32 arcs
// per vertex) and 4 on a directed one with 16. Measured there at scale 18
// on two threads: 1 to 4 within noise, 16 about 30% slower, 256 three
// times or more. Long-diameter graphs (road networks) want a much larger
// delta than this: pass one.
//
// Fewer than kSsspSerialArcs arcs with delta <= 0: a serial Dijkstra with
// a binary heap instead (no rounds, no atomics). Otherwise Δ-stepping, on
// one thread too (measured 1.5x faster than Dijkstra at Kronecker scale 18).
//
// Distances are doubles: exact for integer weights (up to 2^53), and with
// any weights the same floating-point sums as a serial Dijkstra's (the
// minimum over paths of the sum taken from the source on), whatever the
// thread count. An infinite weight is an arc never taken; unreachable
// vertices are at +infinity. Parallel arcs: the lightest counts.
//
// Thread-safe: reads the graph only.
#ifndef NENDB_ALGO_SSSP_H_
#define NENDB_ALGO_SSSP_H_

#include <cstdint>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "algo/control.h"
#include "algo/graph.h"

namespace nendb::algo {

// Below this many arcs (and with delta <= 0) Sssp runs Dijkstra.
inline constexpr uint64_t kSsspSerialArcs = 50000;

// Distances by vertex from `source`. InvalidArgument for an out-of-range
// source or a negative or NaN weight (checked before any work); Cancelled
// when control.progress says stop (asked between buckets, or every 1024
// settled vertices in Dijkstra, with the fraction of vertices reached).
absl::StatusOr<std::vector<double>> Sssp(const Graph& g, Vid source, double delta,
                                         const Control& control);

// The serial check shared by tests and benchmarks: `dist` equals a textbook
// Dijkstra's exactly, and every reached vertex but the source has an in-arc
// u -> v with dist[v] == dist[u] + w.
absl::Status VerifySssp(const Graph& g, Vid source, const std::vector<double>& dist);

// That textbook Dijkstra (an ordered set as the priority queue, no early
// exit; independent of the kernels' code), the reference of VerifySssp and
// VerifyPath. Needs a valid source and non-negative weights.
std::vector<double> ReferenceDistances(const Graph& g, Vid source);

// OK for an unweighted graph or one without negative or NaN weights;
// otherwise InvalidArgument "<kernel> needs non-negative weights; edge
// weight -2 found on the arc 3 -> 5".
absl::Status CheckNonNegativeWeights(const Graph& g, absl::string_view kernel);

}  // namespace nendb::algo

#endif  // NENDB_ALGO_SSSP_H_
