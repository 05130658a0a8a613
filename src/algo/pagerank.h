// PageRank, plain and personalized.
//
// The power method of Page, Brin, Motwani and Winograd ("The PageRank
// citation ranking", 1999) in pull form, as in the GAP Benchmark Suite: each
// round every vertex sums the contributions rank(u) / outdegree(u) of its
// in-neighbours (weighted: rank(u) * w(u,v) / sum of u's out-weights), then
//   rank'(v) = (1 - d) p(v) + d (sum + dangling p(v))
// where p is the teleport distribution (uniform, or the personalization
// vector normalized) and `dangling` the rank of vertices without out-arcs,
// redistributed along p as NetworkX and igraph do (GAP drops it: set
// drop_dangling). Stops when the L1 change of a round is below `tolerance`,
// or after max_iterations rounds. Doubles throughout: results match
// NetworkX's and igraph's to 1e-9 at tight tolerances.
//
// Thread-safe: reads the graph only.
#ifndef NENDB_ALGO_PAGERANK_H_
#define NENDB_ALGO_PAGERANK_H_

#include <cstdint>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "algo/control.h"
#include "algo/graph.h"

namespace nendb::algo {

struct PageRankOptions {
  double damping = 0.85;
  double tolerance = 1e-6;  // L1 change of one round
  int max_iterations = 100;
  bool drop_dangling = false;
  // By vertex, non-negative, not all zero; empty: uniform.
  std::vector<double> personalization;
};

struct PageRankResult {
  std::vector<double> rank;  // by vertex; sums to 1 (less with drop_dangling)
  int iterations = 0;
  double last_change = 0;  // L1 change of the last round
};

// InvalidArgument for damping outside [0, 1), a negative tolerance or
// iteration count, or a bad personalization vector.
absl::StatusOr<PageRankResult> PageRank(const Graph& g, const PageRankOptions& o,
                                        const Control& control);

// The serial check: one more round of the textbook formula moves the result
// by at most max_change (L1), and the ranks sum to one.
absl::Status VerifyPageRank(const Graph& g, const PageRankOptions& o, const PageRankResult& r,
                            double max_change);

}  // namespace nendb::algo

#endif  // NENDB_ALGO_PAGERANK_H_
