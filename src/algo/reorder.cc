#include "algo/reorder.h"

#include <algorithm>
#include <cstdlib>

#include "algo/graph_internal.h"
#include "util/thread_pool.h"

namespace nendb::algo {
namespace {

constexpr uint64_t kGrain = 4096;
constexpr uint64_t kSampledArcs = uint64_t{1} << 16;
// Random ids put 2/256 of the arcs within 1/256 of the vertices of each other;
// a graph whose ids follow its structure puts far more there.
constexpr double kNearShareWithLocality = 0.1;

uint64_t DegreeOf(const Graph& g, Vid v) {
  return g.out().Degree(v) + (g.directed() ? g.in_topology().Degree(v) : 0);
}

}  // namespace

std::vector<Vid> DegreeOrder(const Graph& g, int threads) {
  const Vid n = g.num_vertices();
  ThreadPool& pool = ThreadPool::Shared();
  threads = pool.Resolve(threads);
  std::vector<uint64_t> degree(n);
  pool.ParallelFor(threads, n, kGrain, [&](uint64_t b, uint64_t e, int) {
    for (uint64_t v = b; v < e; ++v) degree[v] = DegreeOf(g, static_cast<Vid>(v));
  });
  // Counting sort, highest degree first; degrees above the vertex count
  // (rare hubs) share the first bucket and are ordered by a sort.
  const uint64_t cap = n;
  std::vector<uint64_t> start(cap + 2, 0);
  for (uint64_t d : degree) ++start[cap - std::min(d, cap) + 1];
  for (uint64_t i = 0; i + 1 < start.size(); ++i) start[i + 1] += start[i];
  std::vector<Vid> order(n);
  for (Vid v = 0; v < n; ++v) order[start[cap - std::min(degree[v], cap)]++] = v;
  const uint64_t hubs = start[0];
  std::stable_sort(order.begin(), order.begin() + hubs,
                   [&](Vid a, Vid b) { return degree[a] > degree[b]; });
  return order;
}

bool WorthReordering(const Graph& g) {
  const Vid n = g.num_vertices();
  if (n < kReorderMinVertices || g.num_arcs() == 0) return false;
  const uint64_t window = n / 256;
  const uint64_t step = std::max<uint64_t>(1, g.num_arcs() / kSampledArcs);
  uint64_t sampled = 0, near = 0;
  const Arcs& out = g.out();
  Vid source = 0;
  for (uint64_t i = 0; i < g.num_arcs(); i += step) {
    while (out.offsets[source + 1] <= i) ++source;  // the source of arc i
    const Vid target = out.targets[i];
    near += (source > target ? source - target : target - source) <= window;
    ++sampled;
  }
  return near < kNearShareWithLocality * sampled;
}

namespace {

// One side of the reordered graph: new vertex i gets the arcs of order[i],
// their targets renumbered.
void ReorderSide(const Arcs& from, const std::vector<Vid>& order, const std::vector<Vid>& new_id,
                 bool weights, bool sort_sources, ThreadPool& pool, int threads,
                 Buffer<uint64_t>& offsets, Buffer<Vid>& targets, Buffer<float>* weight_out) {
  const Vid n = static_cast<Vid>(order.size());
  offsets = Buffer<uint64_t>(uint64_t{n} + 1);
  offsets[0] = 0;
  for (Vid i = 0; i < n; ++i) offsets[i + 1] = offsets[i] + from.Degree(order[i]);
  targets = Buffer<Vid>(offsets[n]);
  if (weights) *weight_out = Buffer<float>(offsets[n]);
  pool.ParallelFor(threads, n, kGrain, [&](uint64_t b, uint64_t e, int) {
    for (uint64_t i = b; i < e; ++i) {
      const Vid old = order[i];
      const uint64_t at = offsets[i], first = from.offsets[old], count = from.Degree(old);
      for (uint64_t k = 0; k < count; ++k) targets[at + k] = new_id[from.targets[first + k]];
      if (weights) {
        std::copy(from.weights + first, from.weights + first + count, weight_out->data() + at);
      }
      if (sort_sources) SortSources(targets.data() + at, targets.data() + at + count);
    }
  });
}

}  // namespace

std::shared_ptr<const Graph> Reordered(const Graph& g, const std::vector<Vid>& order, int threads) {
  ThreadPool& pool = ThreadPool::Shared();
  threads = pool.Resolve(threads);
  const Vid n = g.n_;
  std::vector<Vid> new_id(n);
  pool.ParallelFor(threads, n, kGrain, [&](uint64_t b, uint64_t e, int) {
    for (uint64_t i = b; i < e; ++i) new_id[order[i]] = static_cast<Vid>(i);
  });
  std::shared_ptr<Graph> r(new Graph);
  r->n_ = n;
  r->m_ = g.m_;
  r->directed_ = g.directed_;
  r->node_id_bound_ = g.node_id_bound_;
  r->threads_ = threads;
  auto owned = std::make_shared<Graph::Owned>();
  ReorderSide(g.out_, order, new_id, g.weighted(), false, pool, threads, owned->out_offsets,
              owned->out_targets, &owned->out_weights);
  // A weighted directed graph's in-arcs must be sorted by source for its lazy
  // in-weights (graph.h); its in-weights are not copied, so the original's
  // are never built for this.
  if (g.directed_) {
    ReorderSide(g.in_, order, new_id, false, g.weighted(), pool, threads, owned->in_offsets,
                owned->in_targets, nullptr);
  }
  r->Own(std::move(owned));
  r->to_node_.resize(n);
  r->to_vertex_.assign(g.node_id_bound_, kNoVertex);
  for (Vid i = 0; i < n; ++i) {
    r->to_node_[i] = g.Node(order[i]);
    r->to_vertex_[r->to_node_[i]] = i;
  }
  return r;
}

}  // namespace nendb::algo
