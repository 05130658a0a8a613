// Graph: the read-only topology the analytics kernels run on, projected from
// one database version: the nodes of some labels (or all), the edges of some
// types (or all) between them, as a directed graph (out-arcs and in-arcs) or
// an undirected one (every edge both ways, a self-loop once), with optional
// float32 weights on the arcs.
//
// Vertices are dense 32-bit ids in NodeId order. A projection of every node
// of a database without deleted nodes maps vertex v to NodeId v; when in
// addition it takes every edge, directed and unweighted, and the version's
// adjacency has no delta and no deleted entries (right after a bulk load or
// a checkpoint), the arcs are the adjacency's own arrays, mapped from the
// snapshot file: nothing is built. A graph loaded from a projection file
// (graph_file.h) points into that file's mapping the same way.
//
// Memory (SPEC 8: at most 12 bytes per edge): a weighted directed graph
// keeps out-targets, out-weights and in-targets, 32 bits each, plus two
// 64-bit offsets per vertex, and no in-weights until a kernel reads them.
// Most never do: SSSP and shortest paths read out-weights, BFS and the
// components no weights. Those that do (weighted PageRank's pull,
// betweenness, community graphs of directed projections) get them from
// in(), which builds them once, on first call, by scattering the
// out-weights: 4 bytes per edge more from then on. For that scatter to know
// each in-arc's place, a weighted directed graph lists a vertex's in-arcs
// by source, and parallel arcs' weights in out-arc order (unweighted graphs
// keep the adjacency's order). Measured on 2^24 uniform random edges, 2
// threads (bench/graph_bench): the scatter takes 0.13 s, once per graph,
// against 0.87 s for 20 rounds of weighted PageRank, whose rounds are as
// fast as with stored in-weights. Rejected: an index of the matching
// out-arc per in-arc costs the same 4 bytes as the weights it stands for
// and makes each pull round 2.5x slower (a random read of the weight per
// arc); building in-weights per kernel run pays the scatter again on every
// run over a projection, which is cached with its version.
//
// Ownership: a Graph keeps what it points into alive. Immutable once built
// (the lazy in-weights are built under absl::call_once and never change
// after), so safe to share between threads.
#ifndef NENDB_ALGO_GRAPH_H_
#define NENDB_ALGO_GRAPH_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/base/call_once.h"
#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "nendb/env.h"
#include "nendb/types.h"
#include "storage/version.h"

namespace nendb::algo {

struct GraphFileId;  // graph_file.h

using Vid = uint32_t;
inline constexpr Vid kNoVertex = ~Vid{0};

// Arcs in compressed sparse row form: the arcs of vertex v are
// targets[offsets[v], offsets[v + 1]), weights alongside when weighted.
struct Arcs {
  const uint64_t* offsets = nullptr;  // num_vertices + 1
  const Vid* targets = nullptr;
  const float* weights = nullptr;  // nullptr when unweighted

  uint64_t Degree(Vid v) const { return offsets[v + 1] - offsets[v]; }
  absl::Span<const Vid> Targets(Vid v) const {
    return {targets + offsets[v], static_cast<size_t>(Degree(v))};
  }
  // Empty for an unweighted graph.
  absl::Span<const float> Weights(Vid v) const {
    if (weights == nullptr) return {};
    return {weights + offsets[v], static_cast<size_t>(Degree(v))};
  }
};

struct Projection {
  std::vector<std::string> labels;      // nodes with any of these labels; empty: every node
  std::vector<std::string> edge_types;  // edges of any of these types; empty: every edge
  bool directed = true;                 // false: every edge both ways
  // "" unweighted; "weight" the edges' weight; otherwise a numeric edge
  // property (every projected edge must have a value).
  std::string weight;

  // A canonical string of the projection (for caches).
  std::string Key() const;
};

class Graph {
 public:
  // Builds the projection of v on up to `threads` threads. NotFound for a
  // label or edge type v does not know, InvalidArgument for a weight that is
  // missing, NaN or not numeric.
  static absl::StatusOr<std::shared_ptr<const Graph>> Build(const Version& v, const Projection& p,
                                                            int threads);
  // Whether Build would borrow v's adjacency for p (see the header comment).
  static bool Borrows(const Version& v, const Projection& p);
  // A graph from explicit arcs (tests, benchmarks, generators): vertex v is
  // NodeId v. Out-arcs are kept in the order given per source, and so are
  // the in-arcs of an unweighted graph per target. Every id must be
  // below `vertices` and weights empty or as long as the arcs (a programmer
  // error otherwise). Database projections need no such check: node ids are
  // below kMaxNodes < kNoVertex.
  static std::shared_ptr<const Graph> FromArcs(Vid vertices, absl::Span<const Vid> sources,
                                               absl::Span<const Vid> targets,
                                               absl::Span<const float> weights, bool directed);

  Vid num_vertices() const { return n_; }
  uint64_t num_arcs() const { return m_; }  // out-arcs; undirected: 2 per edge, 1 per self-loop
  bool directed() const { return directed_; }
  bool weighted() const { return out_.weights != nullptr; }
  const Arcs& out() const { return out_; }
  // Weighted directed graphs build their in-weights on the first call (see
  // the header comment); concurrent first calls wait for that one build.
  const Arcs& in() const {
    if (!directed_) return out_;
    if (lazy_in_weights_) absl::call_once(in_weights_once_, [this] { BuildInWeights(); });
    return in_;
  }

  // The in-arcs without weights, for kernels that read only the topology: it
  // never builds the lazy in-weights.
  Arcs in_topology() const {
    const Arcs& a = directed_ ? in_ : out_;
    return {a.offsets, a.targets, nullptr};
  }

  // Vertex <-> NodeId. node_id_bound() is the length of arrays indexed by NodeId.
  NodeId Node(Vid v) const { return to_node_.empty() ? v : to_node_[v]; }
  // Node(v) for every vertex; empty when vertex v is NodeId v.
  absl::Span<const NodeId> node_ids() const { return to_node_; }
  Vid VertexOf(NodeId node) const;
  uint64_t node_id_bound() const { return node_id_bound_; }
  // Whether the arcs point into the version's adjacency (nothing was built).
  bool borrowed() const { return borrowed_; }
  // Bytes this graph allocated (borrowed and mapped arrays excluded), the lazy
  // in-weights included once built.
  uint64_t bytes() const;

 private:
  friend std::shared_ptr<const Graph> Reordered(const Graph& g, const std::vector<Vid>& order,
                                                int threads);  // reorder.h
  friend absl::StatusOr<std::shared_ptr<const Graph>> LoadGraphFile(Env* env,
                                                                    const std::string& path,
                                                                    const GraphFileId& expect,
                                                                    int threads);  // graph_file.h
  struct Owned;  // graph_internal.h
  Graph() = default;
  void Own(std::shared_ptr<Owned> owned);
  // The in-weights of a weighted directed graph, from its out-weights.
  void BuildInWeights() const;

  Vid n_ = 0;
  uint64_t m_ = 0;
  bool directed_ = true;
  bool borrowed_ = false;
  int threads_ = 0;  // what Build was given, for the lazy in-weights
  uint64_t node_id_bound_ = 0;
  Arcs out_;
  mutable Arcs in_;  // weights set once, by BuildInWeights, when lazy_in_weights_
  bool lazy_in_weights_ = false;
  mutable absl::once_flag in_weights_once_;
  std::vector<NodeId> to_node_;  // empty: identity
  std::vector<Vid> to_vertex_;   // by NodeId; empty: identity
  std::shared_ptr<Owned> owned_;
  std::shared_ptr<const void> keep_;  // what borrowed arcs point into
};

}  // namespace nendb::algo

#endif  // NENDB_ALGO_GRAPH_H_
