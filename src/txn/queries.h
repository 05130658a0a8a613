// Read queries over one Version: the logic behind every ReadTransaction
// method, shared by read and write transactions and by the tools.
//
// Stateless functions of a const Version; safe from any number of threads.
#ifndef NENDB_TXN_QUERIES_H_
#define NENDB_TXN_QUERIES_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "nendb/transaction.h"
#include "storage/version.h"

namespace nendb::query {

absl::Status CheckNode(const Version& v, NodeId node);
absl::Status CheckEdge(const Version& v, EdgeId edge);

// The labels of a live node, primary first, then by id.
std::vector<uint32_t> NodeLabels(const Version& v, uint64_t node);
// The non-null properties of a live node as (name id, value).
std::vector<std::pair<uint32_t, Value>> NodeProps(const Version& v, uint64_t node);

absl::StatusOr<NodeId> FindNode(const Version& v, absl::string_view label, const Key& key);
absl::StatusOr<Node> GetNode(const Version& v, NodeId node);
absl::StatusOr<Edge> GetEdge(const Version& v, EdgeId edge);
absl::StatusOr<Value> GetProperty(const Version& v, NodeId node, absl::string_view name);
absl::StatusOr<Value> GetEdgeProperty(const Version& v, EdgeId edge, absl::string_view name);
absl::Status Neighbors(const Version& v, NodeId node, Direction direction,
                       absl::string_view edge_type, std::vector<NodeId>* nodes,
                       std::vector<EdgeId>* edges);
absl::StatusOr<uint64_t> Degree(const Version& v, NodeId node, Direction direction,
                                absl::string_view edge_type);
absl::StatusOr<std::vector<NodeId>> NodesWithLabel(const Version& v, absl::string_view label);
absl::StatusOr<LabelInfo> GetLabelInfo(const Version& v, absl::string_view label);
absl::StatusOr<EdgeTypeInfo> GetEdgeTypeInfo(const Version& v, absl::string_view type);
absl::Status FindNodes(const Version& v, absl::string_view label, const BulkKeys& keys,
                       absl::Span<NodeId> out);
absl::Status ScanEdges(const Version& v, absl::string_view edge_type, std::vector<EdgeId>* ids,
                       std::vector<NodeId>* sources, std::vector<NodeId>* targets,
                       std::vector<double>* weights);

absl::StatusOr<std::vector<NodeId>> ScanNodes(const Version& v);
// Bulk reads (column_reads.cc).
absl::Status ReadNodeColumn(const Version& v, absl::Span<const NodeId> nodes,
                            absl::string_view name, ColumnData* out);
absl::Status ReadEdgeColumn(const Version& v, absl::Span<const EdgeId> edges,
                            absl::string_view name, ColumnData* out);
absl::Status ReadKeys(const Version& v, absl::Span<const NodeId> nodes, ColumnData* int_keys,
                      ColumnData* string_keys);
absl::Status ReadLabels(const Version& v, absl::Span<const NodeId> nodes, NameCodes* out);
absl::Status ReadEdgeTypes(const Version& v, absl::Span<const EdgeId> edges, NameCodes* out);

// Calls fn(nbr, edge_slot) for the live edges of node on one side, of the
// given type id (kFreeSlot: any type).
template <typename Fn>
void ForEachLiveEntry(const Version& v, uint64_t node, Side side, uint32_t type, Fn&& fn) {
  const EdgeTable& edges = *v.edges;
  const bool check_live = edges.pending_count > 0;
  v.adjacency(side).ForEach(node, [&](uint32_t nbr, uint32_t slot, uint32_t t) {
    if (type != kFreeSlot && t != type) return;
    if (check_live && edges.type.Get(slot) == kFreeSlot) return;
    fn(nbr, slot);
  });
}

}  // namespace nendb::query

#endif  // NENDB_TXN_QUERIES_H_
