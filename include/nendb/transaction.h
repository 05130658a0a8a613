// Transactions: every read and write goes through one.
//
// A ReadTransaction is a consistent snapshot of the database as of its start;
// commits made after that (by this or any other handle) are not visible to
// it. A WriteTransaction is a ReadTransaction that also sees its own writes;
// Commit() makes all of them visible at once, Rollback() (or destruction
// without Commit()) leaves no trace. Only one write transaction is active at
// a time; Database::BeginWrite() waits for the previous one.
//
// Ownership: a transaction is owned by its caller and keeps the snapshot it
// reads alive. Thread-safety: a ReadTransaction's const methods may be called
// from several threads at once; a WriteTransaction is used by one thread.
#ifndef NENDB_TRANSACTION_H_
#define NENDB_TRANSACTION_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "nendb/batch.h"
#include "nendb/column_data.h"
#include "nendb/schema.h"
#include "nendb/types.h"
#include "nendb/value.h"

namespace nendb {

// nendb/vector_index.h
enum class VectorMetric;
struct VectorIndexSpec;

struct Node {
  NodeId id = kNoNode;
  std::vector<std::string> labels;  // primary label first
  Key key;
  PropertyMap properties;  // non-null values, in column order
};

struct Edge {
  EdgeId id = kNoEdge;
  NodeId source = kNoNode;
  NodeId target = kNoNode;
  std::string type;
  double weight = 1.0;
  PropertyMap properties;
};

// A stored property column: what a label (or edge type) holds.
struct ColumnInfo {
  std::string name;
  ValueType type = ValueType::kNull;
  uint32_t dim = 0;
  bool declared = false;  // from the schema, not inferred from a first value
  bool required = false;
};

struct LabelInfo {
  std::string name;
  uint64_t num_nodes = 0;  // nodes carrying the label
  bool strict = false;
  std::vector<ColumnInfo> columns;
};

struct EdgeTypeInfo {
  std::string name;
  uint64_t num_edges = 0;
  std::vector<ColumnInfo> columns;  // property columns of edges of the type
};

class ReadTransaction {
 public:
  virtual ~ReadTransaction() = default;

  // The commit this snapshot reflects (0 for an empty new database).
  virtual uint64_t Sequence() const = 0;
  virtual uint64_t NumNodes() const = 0;
  virtual uint64_t NumEdges() const = 0;
  // One past the largest node id ever assigned: the length of arrays indexed
  // by NodeId.
  virtual uint64_t NodeIdBound() const = 0;

  virtual bool HasNode(NodeId node) const = 0;
  virtual bool HasEdge(EdgeId edge) const = 0;
  // NotFound if no node with the label has the key.
  virtual absl::StatusOr<NodeId> FindNode(absl::string_view label, const Key& key) const = 0;
  // FindNode for many keys: out[i] is the node with keys[i], or kNoNode.
  // out must be as long as keys; an unknown label finds nothing.
  virtual absl::Status FindNodes(absl::string_view label, const BulkKeys& keys,
                                 absl::Span<NodeId> out) const = 0;
  virtual absl::StatusOr<Node> GetNode(NodeId node) const = 0;
  virtual absl::StatusOr<Edge> GetEdge(EdgeId edge) const = 0;
  // Null when the node has no value for the property.
  virtual absl::StatusOr<Value> GetProperty(NodeId node, absl::string_view name) const = 0;
  virtual absl::StatusOr<Value> GetEdgeProperty(EdgeId edge, absl::string_view name) const = 0;

  // Neighbours of node along its edges in the direction (kBoth: out then in),
  // optionally only edges of one type (empty: all types). Fills nodes and, if
  // given, edges (the edge to each neighbour); a node reached by several edges
  // appears once per edge.
  virtual absl::Status Neighbors(NodeId node, Direction direction, absl::string_view edge_type,
                                 std::vector<NodeId>* nodes,
                                 std::vector<EdgeId>* edges = nullptr) const = 0;
  virtual absl::StatusOr<uint64_t> Degree(NodeId node, Direction direction,
                                          absl::string_view edge_type = {}) const = 0;

  // Live nodes carrying the label, in id order; NotFound for an unknown label.
  virtual absl::StatusOr<std::vector<NodeId>> NodesWithLabel(absl::string_view label) const = 0;
  virtual std::vector<std::string> Labels() const = 0;
  virtual std::vector<std::string> EdgeTypes() const = 0;
  virtual absl::StatusOr<LabelInfo> GetLabelInfo(absl::string_view label) const = 0;
  virtual absl::StatusOr<EdgeTypeInfo> GetEdgeTypeInfo(absl::string_view type) const = 0;
  // Edges of the type (empty: every edge) as parallel arrays, in id order.
  virtual absl::Status ScanEdges(absl::string_view edge_type, std::vector<EdgeId>* ids,
                                 std::vector<NodeId>* sources, std::vector<NodeId>* targets,
                                 std::vector<double>* weights) const = 0;
  // Live nodes, in id order.
  virtual absl::StatusOr<std::vector<NodeId>> ScanNodes() const = 0;

  // Bulk reads for data frames and Arrow tables (nendb/column_data.h): one
  // row per id, in the order given; NotFound for an id that is not live. A
  // property the rows hold with different types (under different labels or
  // edge types) is InvalidArgument: read one label at a time.
  virtual absl::Status ReadNodeColumn(absl::Span<const NodeId> nodes, absl::string_view name,
                                      ColumnData* out) const = 0;
  virtual absl::Status ReadEdgeColumn(absl::Span<const EdgeId> edges, absl::string_view name,
                                      ColumnData* out) const = 0;
  // The nodes' keys: int keys into int_keys (kInt64), string keys into
  // string_keys (kString); each is valid only where the key is of its kind.
  virtual absl::Status ReadKeys(absl::Span<const NodeId> nodes, ColumnData* int_keys,
                                ColumnData* string_keys) const = 0;
  virtual absl::Status ReadLabels(absl::Span<const NodeId> nodes, NameCodes* out) const = 0;
  virtual absl::Status ReadEdgeTypes(absl::Span<const EdgeId> edges, NameCodes* out) const = 0;
};

class WriteTransaction : public ReadTransaction {
 public:
  // Labels and edge types are created on first use.
  virtual absl::StatusOr<NodeId> AddNode(const std::vector<std::string>& labels,
                                         const Key& key = {}, const PropertyMap& props = {}) = 0;
  absl::StatusOr<NodeId> AddNode(absl::string_view label, const Key& key = {},
                                 const PropertyMap& props = {}) {
    return AddNode(std::vector<std::string>{std::string(label)}, key, props);
  }
  virtual absl::StatusOr<EdgeId> AddEdge(NodeId source, NodeId target, absl::string_view type,
                                         double weight = 1.0, const PropertyMap& props = {}) = 0;

  // Setting Value::Null() removes the property.
  virtual absl::Status SetProperty(NodeId node, absl::string_view name, const Value& value) = 0;
  virtual absl::Status SetEdgeProperty(EdgeId edge, absl::string_view name, const Value& value) = 0;
  virtual absl::Status SetWeight(EdgeId edge, double weight) = 0;
  virtual absl::Status AddLabel(NodeId node, absl::string_view label) = 0;
  // The node keeps at least one label; removing the primary label moves its
  // properties to the next one.
  virtual absl::Status RemoveLabel(NodeId node, absl::string_view label) = 0;

  // Without detach, a node with edges is refused (InvalidArgument).
  virtual absl::Status DeleteNode(NodeId node, bool detach = false) = 0;
  virtual absl::Status DeleteEdge(EdgeId edge) = 0;

  // Declares (or redeclares) a label's schema; existing nodes must satisfy it.
  virtual absl::Status DefineLabel(absl::string_view label, const LabelSchema& schema) = 0;

  // A vector index (nendb/vector_index.h) over the label's vectors of the
  // property, built by the commit. NotFound for a label or property the
  // label's nodes do not have (as a vector column or in the label's schema);
  // InvalidArgument for a property that is not a vector or parameters out of
  // range; Constraint for the same label, property and metric twice.
  virtual absl::Status CreateVectorIndex(const VectorIndexSpec& spec) = 0;
  // NotFound if there is no such index.
  virtual absl::Status DropVectorIndex(absl::string_view label, absl::string_view property,
                                       VectorMetric metric) = 0;

  // Bulk inserts, all-or-nothing. out_ids receives one id per row (it must be
  // exactly that long, or empty to discard them). A batch of zero rows checks
  // its names and column types against the schemas and existing columns and
  // changes nothing.
  virtual absl::Status AddNodes(const NodeBatch& batch, absl::Span<NodeId> out_ids) = 0;
  virtual absl::Status AddEdges(const EdgeBatch& batch, absl::Span<EdgeId> out_ids) = 0;

  virtual absl::Status Commit() = 0;
  virtual void Rollback() = 0;
};

}  // namespace nendb

#endif  // NENDB_TRANSACTION_H_
