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
// snapshot file: nothing is built.
//
// Ownership: a Graph keeps what it points into alive. Immutable once built,
// so safe to share between threads.
#ifndef NENDB_ALGO_GRAPH_H_
#define NENDB_ALGO_GRAPH_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "nendb/types.h"
#include "storage/version.h"

namespace nendb::algo {

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
  // A graph from explicit arcs (tests, benchmarks, generators): vertex v is
  // NodeId v. Arcs are kept in the order given per source. Every id must be
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
  const Arcs& in() const { return directed_ ? in_ : out_; }

  // Vertex <-> NodeId. node_id_bound() is the length of arrays indexed by NodeId.
  NodeId Node(Vid v) const { return to_node_.empty() ? v : to_node_[v]; }
  Vid VertexOf(NodeId node) const;
  uint64_t node_id_bound() const { return node_id_bound_; }
  // Whether the arcs point into the version's adjacency (nothing was built).
  bool borrowed() const { return borrowed_; }
  // Bytes this graph allocated (borrowed arrays excluded).
  uint64_t bytes() const;

 private:
  struct Owned;
  Graph() = default;
  void Own(std::shared_ptr<Owned> owned);

  Vid n_ = 0;
  uint64_t m_ = 0;
  bool directed_ = true;
  bool borrowed_ = false;
  uint64_t node_id_bound_ = 0;
  Arcs out_, in_;
  std::vector<NodeId> to_node_;  // empty: identity
  std::vector<Vid> to_vertex_;   // by NodeId; empty: identity
  std::shared_ptr<Owned> owned_;
  std::shared_ptr<const void> keep_;  // what borrowed arcs point into
};

}  // namespace nendb::algo

#endif  // NENDB_ALGO_GRAPH_H_
