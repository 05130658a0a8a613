// Graph analytics over one transaction's snapshot: BFS, shortest paths,
// PageRank, betweenness, connected components, communities, k-cores and
// triangles, each returning
// columns indexed by NodeId
// (length ReadTransaction::NodeIdBound()).
//
// Every algorithm runs on a projection of the snapshot (GraphProjection):
// the nodes of some labels, the edges of some types between them, directed
// or undirected, optionally weighted. The projection's topology is built
// once per snapshot and projection and reused by later calls on the same
// snapshot (or taken straight from the snapshot's adjacency when it is
// exactly the whole graph). Entries of ids that are not nodes of the
// projection hold the "not reached" value of each result.
//
// Thread-safety: the functions only read the transaction; several may run at
// once on one transaction. Each uses up to RunOptions::threads threads
// (default: Options::threads of the database), from the process's pool.
#ifndef NENDB_ALGORITHMS_H_
#define NENDB_ALGORITHMS_H_

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "nendb/transaction.h"
#include "nendb/types.h"

namespace nendb {

// How the kernels number the projection's nodes internally (results are by
// NodeId either way; only ties, such as which of two equal-depth nodes BFS
// visits first, may fall differently).
enum class VertexOrder {
  // kDegree for graphs of 65,536 nodes or more whose edges mostly join
  // NodeIds far apart (scrambled or hash-assigned ids), where it pays, in
  // read transactions (whose projections are cached); kNatural otherwise.
  kAuto,
  kNatural,  // NodeId order
  // By decreasing degree, so the hubs most edges lead to share cache lines:
  // 1.1-2.1x faster kernels on a Kronecker graph of scale 20. Built once per
  // snapshot and projection, like the projection itself.
  kDegree,
};

struct GraphProjection {
  std::vector<std::string> labels;      // nodes with any of these labels; empty: every node
  std::vector<std::string> edge_types;  // edges of any of these types; empty: every edge
  bool directed = true;                 // false: every edge both ways
  // "": unweighted; "weight": each edge's weight; otherwise the name of a
  // numeric edge property every projected edge has.
  std::string weight;
  VertexOrder order = VertexOrder::kAuto;
};

struct RunOptions {
  int threads = 0;  // <= 0: the database's Options::threads (whose 0 means every core)
  // Called between rounds with the fraction done (an estimate where the
  // length is not known); returning false stops the run with a Cancelled
  // error.
  std::function<bool(double)> progress;
};

struct BfsOptions {
  GraphProjection graph;
  RunOptions run;
  int64_t max_depth = -1;  // < 0: no limit
};
struct BfsResult {
  std::vector<int32_t> depth;  // hops from the nearest source; -1 unreached
  std::vector<NodeId> parent;  // a BFS tree; a source is its own parent; kNoNode unreached
};
// From every node of `sources` at once. NotFound for a source that is not a
// node of the projection.
absl::StatusOr<BfsResult> Bfs(const ReadTransaction& tx, absl::Span<const NodeId> sources,
                              const BfsOptions& options = {});

struct KHopOptions {
  GraphProjection graph;
  RunOptions run;
  bool include_sources = false;
};
// The k-hop neighbourhood: the nodes at most k >= 0 hops from any source
// (a BFS stopped at depth k), in NodeId order; the sources themselves only
// with include_sources. NotFound as for Bfs, InvalidArgument for k < 0.
absl::StatusOr<std::vector<NodeId>> KHop(const ReadTransaction& tx,
                                         absl::Span<const NodeId> sources, int64_t k,
                                         const KHopOptions& options = {});

struct PageRankOptions {
  GraphProjection graph;
  RunOptions run;
  double damping = 0.85;
  double tolerance = 1e-6;  // stop when one round changes the ranks by less (L1)
  int max_iterations = 100;
  // Rank of nodes without out-edges: spread along the teleport distribution
  // (NetworkX, igraph), or dropped (the GAP Benchmark Suite).
  bool drop_dangling = false;
  // Personalized PageRank: teleport weights by NodeId (length NodeIdBound(),
  // non-negative, not all zero on the projection); empty: uniform.
  std::vector<double> personalization;
};
struct PageRankResult {
  std::vector<double> rank;  // 0 for ids outside the projection
  int iterations = 0;
  double last_change = 0;  // L1 change of the last round
};
absl::StatusOr<PageRankResult> PageRank(const ReadTransaction& tx,
                                        const PageRankOptions& options = {});

struct ComponentsOptions {
  GraphProjection graph;
  RunOptions run;
};
// Weakly connected components: each node's label is the smallest NodeId of
// its component; kNoNode for ids outside the projection.
absl::StatusOr<std::vector<NodeId>> WeaklyConnectedComponents(
    const ReadTransaction& tx, const ComponentsOptions& options = {});

struct SsspOptions {
  SsspOptions() { graph.weight = "weight"; }
  GraphProjection graph;  // weighted by the edges' weight unless told otherwise
  RunOptions run;
  double delta = 0;  // delta-stepping bucket width; <= 0 chooses one
};
// Distances from source along out-edges (every edge both ways when
// undirected), summing weights (1 per edge when unweighted); +infinity
// unreached. InvalidArgument for a negative weight.
absl::StatusOr<std::vector<double>> ShortestDistances(const ReadTransaction& tx, NodeId source,
                                                      const SsspOptions& options = {});

struct PathOptions {
  GraphProjection graph;  // unweighted by default: fewest hops
  RunOptions run;
};
// The nodes of one shortest path from `from` to `to`, both included; empty
// when `to` cannot be reached.
absl::StatusOr<std::vector<NodeId>> ShortestPath(const ReadTransaction& tx, NodeId from, NodeId to,
                                                 const PathOptions& options = {});

// Strongly connected components (of the directed projection; undirected:
// the weak ones): the smallest NodeId of each node's component, kNoNode
// outside the projection.
absl::StatusOr<std::vector<NodeId>> StronglyConnectedComponents(
    const ReadTransaction& tx, const ComponentsOptions& options = {});

// Core number of each node, edges taken both ways (parallel edges count,
// self-loops do not); -1 outside the projection.
absl::StatusOr<std::vector<int64_t>> CoreNumbers(const ReadTransaction& tx,
                                                 const ComponentsOptions& options = {});

struct TriangleCounts {
  std::vector<int64_t> triangles;  // by NodeId, on the simple undirected graph; -1 outside
  std::vector<double> clustering;  // local clustering coefficient; NaN outside
  uint64_t total = 0;              // each triangle once
};
absl::StatusOr<TriangleCounts> Triangles(const ReadTransaction& tx,
                                         const ComponentsOptions& options = {});

enum class CommunityMethod : uint8_t { kLouvain, kLeiden, kLabelPropagation };
struct CommunityOptions {
  CommunityOptions() { graph.directed = false; }
  GraphProjection graph;  // taken as undirected either way (a directed edge links both ends)
  RunOptions run;
  double resolution = 1.0;  // of modularity (Louvain, Leiden)
  uint64_t seed = 0;
  int max_levels = 100;      // Louvain, Leiden: aggregation levels at most
  int max_iterations = 100;  // label propagation: sweeps at most
};
struct Communities {
  std::vector<int64_t> community;  // by NodeId: 0..k-1 numbered by smallest member; -1 outside
  double modularity = 0;           // of the partition, at the resolution
  int levels = 0;                  // aggregation levels (label propagation: sweeps)
};
// Louvain (Blondel et al.), Leiden (Traag et al.; communities are
// connected) or label propagation (Raghavan et al.), deterministic for a seed.
absl::StatusOr<Communities> DetectCommunities(const ReadTransaction& tx, CommunityMethod method,
                                              const CommunityOptions& options = {});
// Newman-Girvan modularity of a partition given by NodeId (any non-negative
// labels; entries of ids outside the projection are ignored).
absl::StatusOr<double> Modularity(const ReadTransaction& tx,
                                  absl::Span<const int64_t> community_by_node,
                                  const CommunityOptions& options = {});

struct BetweennessOptions {
  GraphProjection graph;
  RunOptions run;
  bool normalized = false;  // divide by the number of pairs (NetworkX's normalized=True)
  uint64_t samples = 0;     // sources to sample (0: all, exact)
  uint64_t seed = 0;
};
// Brandes betweenness by NodeId (each unordered pair once when undirected);
// 0 outside the projection.
absl::StatusOr<std::vector<double>> Betweenness(const ReadTransaction& tx,
                                                const BetweennessOptions& options = {});

// Stores a result column (indexed by NodeId) as property `name` of the nodes
// it has a value for: every live node, except entries equal to `skip` (or
// NaN for doubles). The property's type is float64 (doubles) or int64; all
// or nothing, like every write of a transaction.
absl::Status WriteNodeProperty(WriteTransaction& tx, absl::string_view name,
                               absl::Span<const double> by_node);
absl::Status WriteNodeProperty(WriteTransaction& tx, absl::string_view name,
                               absl::Span<const int64_t> by_node, int64_t skip);

}  // namespace nendb

#endif  // NENDB_ALGORITHMS_H_
