// Breadth-first search: hop depths and a BFS tree from one or more sources.
//
// Direction-optimizing BFS (Beamer, Asanović, Patterson, "Direction-Optimizing
// Breadth-First Search", SC 2012), as in the GAP Benchmark Suite: top-down
// steps expand a frontier queue along out-arcs; once the frontier's arcs
// outnumber the unexplored arcs / alpha, bottom-up steps let every unvisited
// vertex look for a parent among its in-arcs in a frontier bitmap, until the
// frontier shrinks below n / beta.
//
// Depths are exact; parents are one valid BFS tree (with several threads,
// which of a vertex's parents at depth d-1 wins may vary between runs).
// Thread-safe: reads the graph only.
#ifndef NENDB_ALGO_BFS_H_
#define NENDB_ALGO_BFS_H_

#include <cstdint>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "algo/control.h"
#include "algo/graph.h"

namespace nendb::algo {

struct BfsResult {
  std::vector<int32_t> depth;  // by vertex; -1 unreached
  std::vector<Vid> parent;     // by vertex; a source is its own parent; kNoVertex unreached
};

// max_depth < 0: no limit. InvalidArgument for an out-of-range source.
absl::StatusOr<BfsResult> Bfs(const Graph& g, absl::Span<const Vid> sources, int64_t max_depth,
                              const Control& control);

// The serial check shared by tests and benchmarks: depths equal a plain
// queue BFS's and every parent is an in-neighbour one level up.
absl::Status VerifyBfs(const Graph& g, absl::Span<const Vid> sources, int64_t max_depth,
                       const BfsResult& r);

}  // namespace nendb::algo

#endif  // NENDB_ALGO_BFS_H_
