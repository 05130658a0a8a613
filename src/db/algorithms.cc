// nendb/algorithms.h: projections of a transaction's version, cached with
// the version when it is committed, and kernels' results mapped from
// vertices back to NodeIds.
#include "nendb/algorithms.h"

#include <cmath>
#include <limits>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "algo/betweenness.h"
#include "algo/bfs.h"
#include "algo/graph.h"
#include "algo/kcore.h"
#include "algo/label_propagation.h"
#include "algo/leiden.h"
#include "algo/louvain.h"
#include "algo/modularity.h"
#include "algo/pagerank.h"
#include "algo/scc.h"
#include "algo/shortest_path.h"
#include "algo/sssp.h"
#include "algo/triangles.h"
#include "algo/wcc.h"
#include "db/projections.h"
#include "db/transactions.h"
#include "util/status_macros.h"

namespace nendb {
namespace {

using GraphPtr = std::shared_ptr<const algo::Graph>;

// The threads a call uses: what it asks for, else its database's Options.
int ThreadsFor(const ReadTransaction& tx, int asked) {
  if (asked > 0) return asked;
  bool committed;
  int threads = 0;
  return VersionOf(tx, &committed, &threads) != nullptr ? threads : 0;
}

absl::StatusOr<GraphPtr> GraphOf(const ReadTransaction& tx, const GraphProjection& p,
                                 int asked_threads) {
  bool committed = false;
  const Version* v = VersionOf(tx, &committed);
  if (v == nullptr) {
    return absl::InvalidArgumentError("analytics need a transaction of a nendb database");
  }
  algo::Projection proj{p.labels, p.edge_types, p.directed, p.weight};
  return ProjectionOf(*v, proj, p.order, committed, ThreadsFor(tx, asked_threads));
}

// Each vertex's component as the smallest NodeId in it (vertex order need
// not follow NodeId order).
std::vector<NodeId> SmallestMembers(const algo::Graph& g, const std::vector<algo::Vid>& labels) {
  std::vector<NodeId> smallest(g.num_vertices(), kNoNode);
  for (algo::Vid u = 0; u < g.num_vertices(); ++u) {
    smallest[labels[u]] = std::min(smallest[labels[u]], g.Node(u));
  }
  std::vector<NodeId> out(g.node_id_bound(), kNoNode);
  for (algo::Vid u = 0; u < g.num_vertices(); ++u) out[g.Node(u)] = smallest[labels[u]];
  return out;
}

algo::Control ControlOf(const ReadTransaction& tx, const RunOptions& run) {
  return {ThreadsFor(tx, run.threads), run.progress};
}

// A by-vertex result as a by-NodeId column, `missing` elsewhere.
template <typename T, typename U, typename Map>
std::vector<T> ByNode(const algo::Graph& g, const std::vector<U>& by_vertex, T missing, Map&& map) {
  std::vector<T> out(g.node_id_bound(), missing);
  for (algo::Vid u = 0; u < g.num_vertices(); ++u) out[g.Node(u)] = map(by_vertex[u]);
  return out;
}

absl::StatusOr<algo::Vid> VertexOf(const algo::Graph& g, NodeId node) {
  const algo::Vid v = g.VertexOf(node);
  if (v == algo::kNoVertex) {
    return absl::NotFoundError(
        absl::StrCat("node ", node,
                     " is not in the graph projection (no such node, or it has none of the "
                     "projected labels)"));
  }
  return v;
}

}  // namespace

absl::StatusOr<BfsResult> Bfs(const ReadTransaction& tx, absl::Span<const NodeId> sources,
                              const BfsOptions& options) {
  NENDB_ASSIGN_OR_RETURN(GraphPtr g, GraphOf(tx, options.graph, options.run.threads));
  std::vector<algo::Vid> from;
  for (NodeId s : sources) {
    NENDB_ASSIGN_OR_RETURN(algo::Vid v, VertexOf(*g, s));
    from.push_back(v);
  }
  NENDB_ASSIGN_OR_RETURN(algo::BfsResult r,
                         algo::Bfs(*g, from, options.max_depth, ControlOf(tx, options.run)));
  BfsResult out;
  out.depth = ByNode<int32_t>(*g, r.depth, -1, [](int32_t d) { return d; });
  out.parent = ByNode<NodeId>(*g, r.parent, kNoNode, [&](algo::Vid p) {
    return p == algo::kNoVertex ? kNoNode : g->Node(p);
  });
  return out;
}

absl::StatusOr<std::vector<NodeId>> KHop(const ReadTransaction& tx,
                                         absl::Span<const NodeId> sources, int64_t k,
                                         const KHopOptions& options) {
  if (k < 0) return absl::InvalidArgumentError(absl::StrCat("k must be >= 0, not ", k));
  BfsOptions bfs;
  bfs.graph = options.graph;
  bfs.run = options.run;
  bfs.max_depth = k;
  NENDB_ASSIGN_OR_RETURN(BfsResult r, Bfs(tx, sources, bfs));
  std::vector<NodeId> nodes;
  const int32_t nearest = options.include_sources ? 0 : 1;
  for (NodeId id = 0; id < r.depth.size(); ++id) {
    if (r.depth[id] >= nearest) nodes.push_back(id);
  }
  return nodes;
}

absl::StatusOr<PageRankResult> PageRank(const ReadTransaction& tx, const PageRankOptions& options) {
  NENDB_ASSIGN_OR_RETURN(GraphPtr g, GraphOf(tx, options.graph, options.run.threads));
  algo::PageRankOptions o;
  o.damping = options.damping;
  o.tolerance = options.tolerance;
  o.max_iterations = options.max_iterations;
  o.drop_dangling = options.drop_dangling;
  if (!options.personalization.empty()) {
    if (options.personalization.size() != g->node_id_bound()) {
      return absl::InvalidArgumentError(
          absl::StrCat("the personalization vector has ", options.personalization.size(),
                       " entries; it needs one per node id (", g->node_id_bound(), ")"));
    }
    o.personalization.resize(g->num_vertices());
    for (algo::Vid u = 0; u < g->num_vertices(); ++u) {
      o.personalization[u] = options.personalization[g->Node(u)];
    }
  }
  NENDB_ASSIGN_OR_RETURN(algo::PageRankResult r, algo::PageRank(*g, o, ControlOf(tx, options.run)));
  PageRankResult out;
  out.rank = ByNode<double>(*g, r.rank, 0.0, [](double x) { return x; });
  out.iterations = r.iterations;
  out.last_change = r.last_change;
  return out;
}

absl::StatusOr<std::vector<NodeId>> WeaklyConnectedComponents(const ReadTransaction& tx,
                                                              const ComponentsOptions& options) {
  NENDB_ASSIGN_OR_RETURN(GraphPtr g, GraphOf(tx, options.graph, options.run.threads));
  NENDB_ASSIGN_OR_RETURN(std::vector<algo::Vid> labels, algo::Wcc(*g, ControlOf(tx, options.run)));
  return SmallestMembers(*g, labels);
}

absl::StatusOr<std::vector<double>> ShortestDistances(const ReadTransaction& tx, NodeId source,
                                                      const SsspOptions& options) {
  NENDB_ASSIGN_OR_RETURN(GraphPtr g, GraphOf(tx, options.graph, options.run.threads));
  NENDB_ASSIGN_OR_RETURN(algo::Vid s, VertexOf(*g, source));
  NENDB_ASSIGN_OR_RETURN(std::vector<double> dist,
                         algo::Sssp(*g, s, options.delta, ControlOf(tx, options.run)));
  return ByNode<double>(*g, dist, std::numeric_limits<double>::infinity(),
                        [](double d) { return d; });
}

absl::StatusOr<std::vector<NodeId>> ShortestPath(const ReadTransaction& tx, NodeId from, NodeId to,
                                                 const PathOptions& options) {
  NENDB_ASSIGN_OR_RETURN(GraphPtr g, GraphOf(tx, options.graph, options.run.threads));
  NENDB_ASSIGN_OR_RETURN(algo::Vid a, VertexOf(*g, from));
  NENDB_ASSIGN_OR_RETURN(algo::Vid b, VertexOf(*g, to));
  NENDB_ASSIGN_OR_RETURN(std::vector<algo::Vid> path,
                         algo::ShortestPath(*g, a, b, ControlOf(tx, options.run)));
  std::vector<NodeId> out;
  out.reserve(path.size());
  for (algo::Vid v : path) out.push_back(g->Node(v));
  return out;
}

absl::StatusOr<std::vector<NodeId>> StronglyConnectedComponents(const ReadTransaction& tx,
                                                                const ComponentsOptions& options) {
  NENDB_ASSIGN_OR_RETURN(GraphPtr g, GraphOf(tx, options.graph, options.run.threads));
  NENDB_ASSIGN_OR_RETURN(std::vector<algo::Vid> labels, algo::Scc(*g, ControlOf(tx, options.run)));
  return SmallestMembers(*g, labels);
}

absl::StatusOr<std::vector<int64_t>> CoreNumbers(const ReadTransaction& tx,
                                                 const ComponentsOptions& options) {
  NENDB_ASSIGN_OR_RETURN(GraphPtr g, GraphOf(tx, options.graph, options.run.threads));
  NENDB_ASSIGN_OR_RETURN(std::vector<uint32_t> cores,
                         algo::CoreNumbers(*g, ControlOf(tx, options.run)));
  return ByNode<int64_t>(*g, cores, -1, [](uint32_t c) { return int64_t{c}; });
}

absl::StatusOr<TriangleCounts> Triangles(const ReadTransaction& tx,
                                         const ComponentsOptions& options) {
  NENDB_ASSIGN_OR_RETURN(GraphPtr g, GraphOf(tx, options.graph, options.run.threads));
  NENDB_ASSIGN_OR_RETURN(algo::TriangleResult r, algo::Triangles(*g, ControlOf(tx, options.run)));
  TriangleCounts out;
  out.triangles =
      ByNode<int64_t>(*g, r.per_vertex, -1, [](uint64_t t) { return static_cast<int64_t>(t); });
  out.clustering = ByNode<double>(*g, r.clustering, std::nan(""), [](double c) { return c; });
  out.total = r.total;
  return out;
}

absl::StatusOr<Communities> DetectCommunities(const ReadTransaction& tx, CommunityMethod method,
                                              const CommunityOptions& options) {
  NENDB_ASSIGN_OR_RETURN(GraphPtr g, GraphOf(tx, options.graph, options.run.threads));
  const algo::Control control = ControlOf(tx, options.run);
  algo::CommunityOptions o{options.resolution, options.seed, options.max_levels};
  absl::StatusOr<algo::CommunityResult> r;
  if (method == CommunityMethod::kLouvain) {
    r = algo::Louvain(*g, o, control);
  } else if (method == CommunityMethod::kLeiden) {
    r = algo::Leiden(*g, o, control);
  } else {
    r = algo::LabelPropagation(*g, {options.seed, options.max_iterations}, control);
  }
  if (!r.ok()) return r.status();
  Communities out;
  // Numbered by smallest member NodeId, whatever the vertex order.
  std::vector<int64_t> number(r->community.size(), -1);
  int64_t next = 0;
  out.community = ByNode<int64_t>(*g, r->community, -1, [](uint32_t c) { return int64_t{c}; });
  for (int64_t& c : out.community) {
    if (c < 0) continue;
    if (number[c] < 0) number[c] = next++;
    c = number[c];
  }
  out.modularity = r->modularity;
  out.levels = r->levels;
  return out;
}

absl::StatusOr<double> Modularity(const ReadTransaction& tx,
                                  absl::Span<const int64_t> community_by_node,
                                  const CommunityOptions& options) {
  NENDB_ASSIGN_OR_RETURN(GraphPtr g, GraphOf(tx, options.graph, options.run.threads));
  if (community_by_node.size() != g->node_id_bound()) {
    return absl::InvalidArgumentError(absl::StrCat("the partition has ", community_by_node.size(),
                                                   " labels; it needs one per node id (",
                                                   g->node_id_bound(), ")"));
  }
  // Any non-negative labels, numbered densely.
  absl::flat_hash_map<int64_t, uint32_t> dense;
  std::vector<uint32_t> community(g->num_vertices());
  for (algo::Vid v = 0; v < g->num_vertices(); ++v) {
    const int64_t label = community_by_node[g->Node(v)];
    if (label < 0) {
      return absl::InvalidArgumentError(absl::StrCat("node ", g->Node(v), " has community ", label,
                                                     "; labels must be non-negative"));
    }
    community[v] = dense.try_emplace(label, static_cast<uint32_t>(dense.size())).first->second;
  }
  return algo::Modularity(*g, community, options.resolution);
}

absl::StatusOr<std::vector<double>> Betweenness(const ReadTransaction& tx,
                                                const BetweennessOptions& options) {
  NENDB_ASSIGN_OR_RETURN(GraphPtr g, GraphOf(tx, options.graph, options.run.threads));
  algo::BetweennessOptions o{options.normalized, options.samples, options.seed};
  NENDB_ASSIGN_OR_RETURN(std::vector<double> b,
                         algo::Betweenness(*g, o, ControlOf(tx, options.run)));
  return ByNode<double>(*g, b, 0.0, [](double x) { return x; });
}

namespace {

template <typename T, typename Skip>
absl::Status WriteColumn(WriteTransaction& tx, absl::string_view name, absl::Span<const T> by_node,
                         Skip&& skip) {
  if (by_node.size() != tx.NodeIdBound()) {
    return absl::InvalidArgumentError(absl::StrCat("the column has ", by_node.size(),
                                                   " values; it needs one per node id (",
                                                   tx.NodeIdBound(), ")"));
  }
  for (NodeId id = 0; id < by_node.size(); ++id) {
    if (skip(by_node[id]) || !tx.HasNode(id)) continue;
    NENDB_RETURN_IF_ERROR(tx.SetProperty(id, name, Value(by_node[id])));
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status WriteNodeProperty(WriteTransaction& tx, absl::string_view name,
                               absl::Span<const double> by_node) {
  return WriteColumn(tx, name, by_node, [](double x) { return std::isnan(x); });
}

absl::Status WriteNodeProperty(WriteTransaction& tx, absl::string_view name,
                               absl::Span<const int64_t> by_node, int64_t skip) {
  return WriteColumn(tx, name, by_node, [skip](int64_t x) { return x == skip; });
}

}  // namespace nendb
