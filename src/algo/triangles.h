// Triangle counting and local clustering coefficients.
//
// The graph is taken as undirected and simple: an arc either way makes two
// vertices neighbours, parallel arcs count once and self-loops not at all.
// Each triangle is counted once in the total and once at each of its three
// vertices.
//
// Edges oriented from the lower to the higher vertex in (degree, id) order,
// then for every oriented edge (u, v) the intersection of the sorted
// oriented neighbour lists of u and v (Schank and Wagner, "Finding,
// counting and listing all triangles in large graphs, an experimental
// study", WEA 2005; as in the GAP Benchmark Suite's tc): each triangle is
// found once, from its lowest vertex, and no vertex's list is longer than
// sqrt(2m). The oriented lists are built first, vertices renumbered by rank
// so that the lists sorted by rank let each intersection start past v; the
// counting runs in parallel over vertices, each intersection by the SIMD
// kernel (simd/kernels.h) of the active instruction set.
//
// The clustering coefficient of v is 2 t(v) / (d(v) (d(v) - 1)), d(v) its
// number of distinct neighbours other than itself, 0 when d(v) < 2: that of
// NetworkX's clustering() on the simple undirected graph.
//
// Thread-safe: reads the graph only.
#ifndef NENDB_ALGO_TRIANGLES_H_
#define NENDB_ALGO_TRIANGLES_H_

#include <cstdint>
#include <vector>

#include "absl/status/statusor.h"
#include "algo/control.h"
#include "algo/graph.h"

namespace nendb::algo {

struct TriangleResult {
  std::vector<uint64_t> per_vertex;  // by vertex, the triangles it is in
  uint64_t total = 0;                // each triangle once
  std::vector<double> clustering;    // by vertex
};

// Reports progress after building the oriented lists and then 16 times
// while counting.
// Each counting thread counts at its own copy of the per-vertex counts (no
// atomic add per triangle) while threads * vertices * 8 bytes stay within
// local_count_bytes; past it the threads add atomically into one array.
inline constexpr uint64_t kLocalCountBytes = uint64_t{1} << 30;
absl::StatusOr<TriangleResult> Triangles(const Graph& g, const Control& control,
                                         uint64_t local_count_bytes = kLocalCountBytes);

// The serial check shared by tests and benchmarks: the result equals a brute
// force over pairs of neighbours with a hash set of the edges.
absl::Status VerifyTriangles(const Graph& g, const TriangleResult& r);

}  // namespace nendb::algo

#endif  // NENDB_ALGO_TRIANGLES_H_
