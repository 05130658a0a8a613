// OpLog: the operations of a write transaction, encoded for the write-ahead
// log, and their replay onto a Version during recovery (or, later, in reader
// processes catching up). Only operations that succeeded are recorded; each
// records the ids it produced, and replay checks that it produces the same
// ones, so a log that does not fit its snapshot is reported, not applied.
//
// The encoding (docs/format/wal.md, "Operations") is a sequence of
// little-endian fields in ByteWriter form; arrays are 8-byte aligned.
//
// Not thread-safe: one per write transaction.
#ifndef NENDB_TXN_OP_LOG_H_
#define NENDB_TXN_OP_LOG_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "nendb/batch.h"
#include "nendb/schema.h"
#include "nendb/value.h"
#include "nendb/vector_index.h"
#include "storage/version.h"
#include "util/bytes.h"

namespace nendb {

enum class OpCode : uint8_t {
  kAddNode = 1,
  kAddEdge = 2,
  kSetProperty = 3,
  kSetEdgeProperty = 4,
  kSetWeight = 5,
  kAddLabel = 6,
  kRemoveLabel = 7,
  kDeleteNode = 8,
  kDeleteEdge = 9,
  kDefineLabel = 10,
  kAddNodes = 11,
  kAddEdges = 12,
  kCreateVectorIndex = 13,
  kDropVectorIndex = 14,
};

class OpLog {
 public:
  void AddNode(const std::vector<std::string>& labels, const Key& key, const PropertyMap& props,
               NodeId result);
  void AddEdge(NodeId source, NodeId target, absl::string_view type, double weight,
               const PropertyMap& props, EdgeId result);
  void SetProperty(NodeId node, absl::string_view name, const Value& value);
  void SetEdgeProperty(EdgeId edge, absl::string_view name, const Value& value);
  void SetWeight(EdgeId edge, double weight);
  void AddLabel(NodeId node, absl::string_view label);
  void RemoveLabel(NodeId node, absl::string_view label);
  void DeleteNode(NodeId node, bool detach);
  void DeleteEdge(EdgeId edge);
  void DefineLabel(absl::string_view label, const LabelSchema& schema);
  void CreateVectorIndex(const VectorIndexSpec& spec);
  void DropVectorIndex(absl::string_view label, absl::string_view property, VectorMetric metric);
  void AddNodes(const NodeBatch& batch, NodeId first);
  void AddEdges(const EdgeBatch& batch, EdgeId first);

  // About how many bytes AddNodes / AddEdges would record for the batch.
  static size_t EstimateBytes(const NodeBatch& batch);
  static size_t EstimateBytes(const EdgeBatch& batch);

  const std::string& bytes() const { return w_.bytes(); }
  size_t size() const { return w_.size(); }
  void Clear() { w_.Clear(); }

 private:
  void Props(const PropertyMap& props);
  void Columns(const std::vector<BulkColumn>& cols);
  ByteWriter w_;
};

// Applies encoded operations to v (a working version), checking every
// produced id against the recorded one. `where` names the log for messages.
absl::Status ReplayOps(Version& v, const WriteCtx& ctx, absl::string_view ops,
                       const std::string& where);

}  // namespace nendb

#endif  // NENDB_TXN_OP_LOG_H_
