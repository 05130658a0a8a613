#include "algo/generate.h"

#include <algorithm>
#include <random>

namespace nendb::algo {
namespace {

void AddWeights(EdgeList& e, std::mt19937_64& rng) {
  std::uniform_int_distribution<int> w(1, 255);
  e.weights.resize(e.sources.size());
  for (float& x : e.weights) x = static_cast<float>(w(rng));
}

}  // namespace

EdgeList Kronecker(int scale, int edge_factor, uint64_t seed, bool weighted) {
  EdgeList e;
  e.vertices = Vid{1} << scale;
  const uint64_t m = uint64_t{e.vertices} * edge_factor;
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> coin(0.0, 1.0);
  constexpr double kA = 0.57, kB = 0.19, kC = 0.19;
  // A random permutation of the ids, so that hubs are not all near 0.
  std::vector<Vid> scramble(e.vertices);
  for (Vid v = 0; v < e.vertices; ++v) scramble[v] = v;
  std::shuffle(scramble.begin(), scramble.end(), rng);
  e.sources.resize(m);
  e.targets.resize(m);
  for (uint64_t i = 0; i < m; ++i) {
    Vid u = 0, v = 0;
    for (int bit = 0; bit < scale; ++bit) {
      const double r = coin(rng);
      const bool down = r > kA + kB;                                    // C or D: lower half
      const bool right = (r > kA && r <= kA + kB) || r > kA + kB + kC;  // B or D
      u = (u << 1) | down;
      v = (v << 1) | right;
    }
    e.sources[i] = scramble[u];
    e.targets[i] = scramble[v];
  }
  if (weighted) AddWeights(e, rng);
  return e;
}

EdgeList UniformRandom(Vid vertices, uint64_t edges, uint64_t seed, bool weighted) {
  EdgeList e;
  e.vertices = vertices;
  std::mt19937_64 rng(seed);
  std::uniform_int_distribution<Vid> pick(0, vertices == 0 ? 0 : vertices - 1);
  if (vertices == 0) edges = 0;
  e.sources.resize(edges);
  e.targets.resize(edges);
  for (uint64_t i = 0; i < edges; ++i) {
    e.sources[i] = pick(rng);
    e.targets[i] = pick(rng);
  }
  if (weighted) AddWeights(e, rng);
  return e;
}

std::shared_ptr<const Graph> ToGraph(const EdgeList& e, bool directed) {
  return Graph::FromArcs(e.vertices, e.sources, e.targets, e.weights, directed);
}

}  // namespace nendb::algo
