// Synthetic graphs for tests and benchmarks, reproducible from a seed.
//
// Kronecker (R-MAT) graphs as in the Graph500 and the GAP Benchmark Suite
// (Chakrabarti, Zhan, Faloutsos, "R-MAT: A Recursive Model for Graph
// Mining", SDM 2004; A = 0.57, B = C = 0.19): 2^scale vertices and
// edge_factor * 2^scale edges, vertex ids scrambled so that degree does not
// follow id. Uniform random graphs (Erdős–Rényi G(n, m) with repeats).
//
// Plain functions; thread-safe.
#ifndef NENDB_ALGO_GENERATE_H_
#define NENDB_ALGO_GENERATE_H_

#include <cstdint>
#include <vector>

#include "algo/graph.h"

namespace nendb::algo {

struct EdgeList {
  Vid vertices = 0;
  std::vector<Vid> sources, targets;
  std::vector<float> weights;  // empty, or uniform integers in [1, 255] as in GAP
};

EdgeList Kronecker(int scale, int edge_factor, uint64_t seed, bool weighted = false);
EdgeList UniformRandom(Vid vertices, uint64_t edges, uint64_t seed, bool weighted = false);

// The edge list as a graph (directed, or every edge both ways).
std::shared_ptr<const Graph> ToGraph(const EdgeList& e, bool directed);

}  // namespace nendb::algo

#endif  // NENDB_ALGO_GENERATE_H_
