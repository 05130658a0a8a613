// Graph's arrays: their allocation, the lazy in-weights of a weighted
// directed graph, FromArcs. Building from a database version is in
// graph_build.cc.
#include "algo/graph.h"

#include <sys/mman.h>

#include <algorithm>
#include <new>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "algo/graph_internal.h"
#include "util/thread_pool.h"

namespace nendb::algo {

void* Allocate(uint64_t bytes) {
  constexpr uint64_t kHuge = uint64_t{2} << 20;
  void* p;
  if (bytes >= 2 * kHuge) {
    // aligned_alloc wants a multiple of the alignment.
    const uint64_t rounded = (bytes + kHuge - 1) / kHuge * kHuge;
    p = std::aligned_alloc(kHuge, rounded);
    // Advice only: without huge pages the array works the same, slower.
    if (p != nullptr) ::madvise(p, rounded, MADV_HUGEPAGE);
  } else {
    p = std::malloc(bytes == 0 ? 1 : bytes);
  }
  if (p == nullptr) throw std::bad_alloc();
  return p;
}

std::string Projection::Key() const {
  return absl::StrCat(absl::StrJoin(labels, "\x1f"), "\x1e", absl::StrJoin(edge_types, "\x1f"),
                      "\x1e", directed ? "d" : "u", "\x1e", weight);
}

Vid Graph::VertexOf(NodeId node) const {
  if (node >= node_id_bound_) return kNoVertex;
  return to_vertex_.empty() ? static_cast<Vid>(node) : to_vertex_[node];
}

uint64_t Graph::bytes() const {
  uint64_t b = to_node_.size() * sizeof(NodeId) + to_vertex_.size() * sizeof(Vid);
  if (owned_ != nullptr) {
    const Owned& o = *owned_;
    b += o.out_offsets.bytes() + o.in_offsets.bytes() + o.out_targets.bytes() +
         o.in_targets.bytes() + o.out_weights.bytes() +
         o.in_weight_bytes.load(std::memory_order_acquire);
  }
  return b;
}

void Graph::Own(std::shared_ptr<Owned> owned) {
  owned_ = std::move(owned);
  Owned& o = *owned_;
  out_ = {o.out_offsets.data(), o.out_targets.data(),
          o.out_weights.size() == 0 ? nullptr : o.out_weights.data()};
  if (directed_) {
    in_ = {o.in_offsets.data(), o.in_targets.data(), nullptr};
    lazy_in_weights_ = out_.weights != nullptr;
  }
}

namespace {

constexpr uint64_t kGrain = 4096;  // vertices per parallel chunk
constexpr int kMaxParts = 16;

// The sources in contiguous parts of about equal arcs, one per thread of
// the in-weights' scatter: part p is [first[p], first[p + 1]). Each part
// keeps a counter per vertex, so there are no more parts than vertices
// per arc allow at 4 bytes per counter (the weights' own size).
std::vector<Vid> SourceParts(const Arcs& out, Vid n, int threads) {
  const uint64_t m = out.offsets[n];
  const uint64_t by_memory = std::max<uint64_t>(1, m / std::max<Vid>(n, 1));
  const int parts = static_cast<int>(std::min<uint64_t>(
      {static_cast<uint64_t>(std::max(threads, 1)), static_cast<uint64_t>(kMaxParts), by_memory}));
  std::vector<Vid> first(parts + 1, n);
  for (int p = 0; p < parts; ++p) {
    const uint64_t arc = m * p / parts;
    first[p] = static_cast<Vid>(std::lower_bound(out.offsets, out.offsets + n, arc) - out.offsets);
  }
  return first;
}

}  // namespace

void Graph::BuildInWeights() const {
  ThreadPool& pool = ThreadPool::Shared();
  const int threads = pool.Resolve(threads_);
  Owned& o = *owned_;
  const std::vector<Vid> first = SourceParts(out_, n_, threads);
  const int parts = static_cast<int>(first.size()) - 1;
  // A vertex's in-arcs are sorted by source, so where part p's start among
  // them is a binary search away, without counting arcs again. Relative to
  // the vertex's first in-arc, so 4 bytes: in-degrees are below 2^32 (edge
  // slots are 32-bit).
  Buffer<uint32_t> at(uint64_t{n_} * parts);
  pool.ParallelFor(threads, n_, kGrain, [&](uint64_t begin, uint64_t end, int) {
    for (uint64_t v = begin; v < end; ++v) {
      const Vid* list = in_.targets + in_.offsets[v];
      const Vid* list_end = in_.targets + in_.offsets[v + 1];
      for (int p = 0; p < parts; ++p) {
        at[uint64_t{n_} * p + v] =
            static_cast<uint32_t>(std::lower_bound(list, list_end, first[p]) - list);
      }
    }
  });
  o.in_weights = Buffer<float>(m_);
  float* weights = o.in_weights.data();
  // Part p's out-arcs in order, each to the next place of its target's
  // part-p in-arcs: by source, then out-arc order, however many parts.
  pool.RunOnEach(parts, [&](int p) {
    uint32_t* next = at.data() + uint64_t{n_} * p;
    const uint64_t begin = out_.offsets[first[p]], end = out_.offsets[first[p + 1]];
    // Every arc writes to a random place: prefetching the counters, then
    // the places, keeps many such misses in flight instead of one.
    constexpr uint64_t kAhead = 16;
    for (uint64_t i = begin; i < end; ++i) {
      if (i + 2 * kAhead < end) {
        const Vid t = out_.targets[i + 2 * kAhead];
        __builtin_prefetch(in_.offsets + t);
        __builtin_prefetch(next + t);
      }
      if (i + kAhead < end) {
        const Vid t = out_.targets[i + kAhead];
        __builtin_prefetch(weights + in_.offsets[t] + next[t], 1);
      }
      // In bounds whatever the in-arcs say: a graph mapped from a file is
      // only checked for ids in range, not for being its own transpose.
      const Vid t = out_.targets[i];
      const uint64_t at = in_.offsets[t] + next[t]++;
      if (at < in_.offsets[t + 1]) weights[at] = out_.weights[i];
    }
  });
  in_.weights = weights;
  o.in_weight_bytes.store(o.in_weights.bytes(), std::memory_order_release);
}

std::shared_ptr<const Graph> Graph::FromArcs(Vid vertices, absl::Span<const Vid> sources,
                                             absl::Span<const Vid> targets,
                                             absl::Span<const float> weights, bool directed) {
  std::shared_ptr<Graph> g(new Graph);
  g->n_ = vertices;
  g->node_id_bound_ = vertices;
  g->directed_ = directed;
  auto owned = std::make_shared<Owned>();
  const bool weighted = !weights.empty();
  // One side by counting sort of (key, other), stable in input order.
  auto side = [&](absl::Span<const Vid> key, absl::Span<const Vid> other, bool both,
                  Buffer<uint64_t>& offsets, Buffer<Vid>& out, Buffer<float>* w) {
    offsets = Buffer<uint64_t>(uint64_t{vertices} + 1);
    std::fill(offsets.data(), offsets.data() + offsets.size(), uint64_t{0});
    for (size_t i = 0; i < key.size(); ++i) {
      ++offsets[key[i] + 1];
      if (both && key[i] != other[i]) ++offsets[other[i] + 1];
    }
    for (Vid u = 0; u < vertices; ++u) offsets[u + 1] += offsets[u];
    std::vector<uint64_t> cursor(offsets.data(), offsets.data() + vertices);
    out = Buffer<Vid>(offsets[vertices]);
    if (w != nullptr) *w = Buffer<float>(offsets[vertices]);
    auto put = [&](Vid a, Vid b, size_t i) {
      const uint64_t at = cursor[a]++;
      out[at] = b;
      if (w != nullptr) (*w)[at] = weights[i];
    };
    for (size_t i = 0; i < key.size(); ++i) {
      put(key[i], other[i], i);
      if (both && key[i] != other[i]) put(other[i], key[i], i);
    }
  };
  side(sources, targets, !directed, owned->out_offsets, owned->out_targets,
       weighted ? &owned->out_weights : nullptr);
  if (directed) {
    side(targets, sources, false, owned->in_offsets, owned->in_targets, nullptr);
    if (weighted) {
      for (Vid v = 0; v < vertices; ++v) {
        SortSources(owned->in_targets.data() + owned->in_offsets[v],
                    owned->in_targets.data() + owned->in_offsets[v + 1]);
      }
    }
  }
  g->m_ = owned->out_targets.size();
  g->Own(std::move(owned));
  return g;
}

}  // namespace nendb::algo
