// Betweenness centrality, exact and sampled.
//
// Brandes, "A faster algorithm for betweenness centrality", J. Math. Sociol.
// 2001: from each source, a BFS (unweighted) or Dijkstra (weighted) counts
// shortest paths, then a pass in reverse order of distance accumulates each
// vertex's dependency. Sources are split over threads, each with its own
// work arrays and scores, summed at the end (so results agree between runs
// up to rounding). Sampling (Brandes & Pich, "Centrality estimation in large
// networks", 2007) runs from k sources chosen with a seeded generator and
// scales by n / k, as NetworkX's betweenness_centrality(k=...) does.
//
// Scores count each ordered pair (s, t) once on a directed graph and each
// unordered pair once on an undirected one (igraph's betweenness());
// normalized divides by (n-1)(n-2) (directed) or (n-1)(n-2)/2 (undirected),
// NetworkX's normalized=True. Equal path lengths are compared exactly, so
// weighted results are exact for integer weights.
//
// Thread-safe: reads the graph only.
#ifndef NENDB_ALGO_BETWEENNESS_H_
#define NENDB_ALGO_BETWEENNESS_H_

#include <cstdint>
#include <vector>

#include "absl/status/statusor.h"
#include "algo/control.h"
#include "algo/graph.h"

namespace nendb::algo {

struct BetweennessOptions {
  bool normalized = false;
  uint64_t samples = 0;  // 0: every vertex is a source (exact)
  uint64_t seed = 0;
};

// By vertex. InvalidArgument for negative weights.
absl::StatusOr<std::vector<double>> Betweenness(const Graph& g, const BetweennessOptions& o,
                                                const Control& control);

// The serial check for small graphs, by another method: all-pairs distances
// and path counts (Floyd-Warshall style), then the sum over pairs of
// sigma(s,v) sigma(v,t) / sigma(s,t) for v on a shortest s-t path. Exact
// results only (samples == 0); relative tolerance `eps`.
absl::Status VerifyBetweenness(const Graph& g, const BetweennessOptions& o,
                               const std::vector<double>& scores, double eps);

}  // namespace nendb::algo

#endif  // NENDB_ALGO_BETWEENNESS_H_
