// Community detection, the pieces Louvain, Leiden and label propagation
// share: their options and result, the weighted undirected graph they work
// on (and its aggregation into a graph of communities), dense relabelling,
// portable seeded randomness, and the serial checks of a result.
//
// Every community kernel takes the graph as undirected and weighted: an
// undirected Graph as it is; a directed one symmetrized, every arc u -> v an
// undirected edge {u, v} (so arcs u -> v and v -> u make two parallel edges);
// weights the arc weights, 1 when unweighted. In matrix form A[u][v] is the
// total weight of the edges between u and v and A[u][u] twice the weight of
// u's self-loops (the usual convention, and igraph's); the strength of u is
// k(u) = sum_v A[u][v] and 2m = sum_u k(u). See modularity.h.
//
// Plain values and functions; thread-safe.
#ifndef NENDB_ALGO_COMMUNITY_H_
#define NENDB_ALGO_COMMUNITY_H_

#include <cstdint>
#include <random>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "algo/graph.h"

namespace nendb::algo {

struct CommunityOptions {
  double resolution = 1.0;  // gamma of modularity; finite, >= 0
  uint64_t seed = 0;        // of the std::mt19937_64 behind every random choice
  int max_levels = 100;     // aggregation levels at most; >= 1
};

struct CommunityResult {
  // By vertex, dense 0..k-1, numbered in the order of each community's
  // smallest vertex (community 0 holds vertex 0).
  std::vector<uint32_t> community;
  double modularity = 0;  // Modularity(g, community, resolution)
  int levels = 0;         // aggregation levels (label propagation: sweeps)
};

// The graph a community kernel works on: symmetric, weights in double, self
// entries apart. The neighbours of u are targets[offsets[u], offsets[u + 1])
// with weights alongside, u itself never among them (parallel entries may
// repeat a neighbour); self_weight[u] is A[u][u].
struct CommunityGraph {
  std::vector<uint64_t> offsets;  // size() + 1
  std::vector<uint32_t> targets;
  std::vector<double> weights;
  std::vector<double> self_weight;
  std::vector<double> strength;  // k(u), self entry included
  double total = 0;              // 2m: the sum of strengths

  uint32_t size() const { return static_cast<uint32_t>(strength.size()); }

  // The graph of g as described above. InvalidArgument for a negative, NaN
  // or infinite weight.
  static absl::StatusOr<CommunityGraph> From(const Graph& g);
};

// The graph of the k communities of a partition of g (community[u] < k):
// A'[c][d] = sum of A[u][v] over u in c, v in d, so strengths, 2m and
// modularity carry over; neighbours of each community are listed once.
CommunityGraph Aggregate(const CommunityGraph& g, absl::Span<const uint32_t> community, uint32_t k);

// Renumbers labels in place to 0..k-1 in the order of first appearance by
// index (each label's smallest member); returns k. Any uint32_t labels.
uint32_t Relabel(std::vector<uint32_t>& labels);

// Sums of weights from one node to communities (ids below n), each
// community listed once in touched(), in the order first added.
class WeightAccumulator {
 public:
  explicit WeightAccumulator(uint32_t n) : weight_(n, 0.0), listed_(n, false) {}
  void Add(uint32_t c, double w) {
    if (!listed_[c]) {
      listed_[c] = true;
      touched_.push_back(c);
    }
    weight_[c] += w;
  }
  double weight(uint32_t c) const { return weight_[c]; }
  const std::vector<uint32_t>& touched() const { return touched_; }
  void Clear() {
    for (uint32_t c : touched_) {
      weight_[c] = 0;
      listed_[c] = false;
    }
    touched_.clear();
  }

 private:
  std::vector<double> weight_;
  std::vector<bool> listed_;
  std::vector<uint32_t> touched_;
};

// Checks an InvalidArgument-worthy weight (negative, NaN or infinite).
absl::Status CheckCommunityWeights(const Graph& g);
// InvalidArgument unless the resolution is finite and >= 0.
absl::Status CheckResolution(double resolution);
// CheckResolution, and max_levels >= 1 (Louvain, Leiden).
absl::Status CheckCommunityOptions(const CommunityOptions& o);

// Randomness that gives the same numbers with every standard library (the
// engine's output is fixed by the standard, the distributions are not).
inline uint64_t UniformBelow(std::mt19937_64& rng, uint64_t n) {  // [0, n), n > 0
  return static_cast<uint64_t>((static_cast<unsigned __int128>(rng()) * n) >> 64);
}
inline double UniformReal(std::mt19937_64& rng) {  // [0, 1)
  return static_cast<double>(rng() >> 11) * 0x1.0p-53;
}
// Fisher-Yates.
void Shuffle(std::vector<uint32_t>& v, std::mt19937_64& rng);

// The serial checks shared by tests and benchmarks. VerifyCommunityResult:
// one community per vertex, numbered densely by smallest vertex, and the
// reported modularity equal (to 1e-9) to Modularity(g, community,
// resolution). VerifyConnectedCommunities: the vertices of every community
// induce a connected subgraph (BFS over arcs both ways, restricted to the
// community).
absl::Status VerifyCommunityResult(const Graph& g, const CommunityResult& r, double resolution);
absl::Status VerifyConnectedCommunities(const Graph& g, absl::Span<const uint32_t> community);

}  // namespace nendb::algo

#endif  // NENDB_ALGO_COMMUNITY_H_
