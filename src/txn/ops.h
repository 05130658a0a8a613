// Write operations on a working Version: the logic behind every
// WriteTransaction method, also used to replay logged transactions.
//
// Each function checks its input completely before changing anything, so an
// error leaves the version as it was. Only running out of memory can stop one
// half-way (std::bad_alloc); the transaction must then be discarded.
//
// Not thread-safe: a working version belongs to one writer.
#ifndef NENDB_TXN_OPS_H_
#define NENDB_TXN_OPS_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "nendb/batch.h"
#include "nendb/schema.h"
#include "nendb/value.h"
#include "nendb/vector_index.h"
#include "storage/version.h"

namespace nendb::ops {

absl::StatusOr<NodeId> AddNode(Version& v, const WriteCtx& ctx,
                               const std::vector<std::string>& labels, const Key& key,
                               const PropertyMap& props);
absl::Status SetProperty(Version& v, const WriteCtx& ctx, NodeId node, absl::string_view name,
                         const Value& value);
absl::Status AddLabel(Version& v, const WriteCtx& ctx, NodeId node, absl::string_view label);
absl::Status RemoveLabel(Version& v, const WriteCtx& ctx, NodeId node, absl::string_view label);
absl::Status DeleteNode(Version& v, const WriteCtx& ctx, NodeId node, bool detach);

absl::StatusOr<EdgeId> AddEdge(Version& v, const WriteCtx& ctx, NodeId source, NodeId target,
                               absl::string_view type, double weight, const PropertyMap& props);
absl::Status SetEdgeProperty(Version& v, const WriteCtx& ctx, EdgeId edge, absl::string_view name,
                             const Value& value);
absl::Status SetWeight(Version& v, const WriteCtx& ctx, EdgeId edge, double weight);
absl::Status DeleteEdge(Version& v, const WriteCtx& ctx, EdgeId edge);

absl::Status DefineLabel(Version& v, const WriteCtx& ctx, absl::string_view label,
                         const LabelSchema& schema);

// The catalog's vector index definitions (the state of a new one is null).
absl::Status CreateVectorIndex(Version& v, const WriteCtx& ctx, const VectorIndexSpec& spec);
absl::Status DropVectorIndex(Version& v, const WriteCtx& ctx, absl::string_view label,
                             absl::string_view property, VectorMetric metric);

absl::Status AddNodes(Version& v, const WriteCtx& ctx, const NodeBatch& batch,
                      absl::Span<NodeId> out_ids);
absl::Status AddEdges(Version& v, const WriteCtx& ctx, const EdgeBatch& batch,
                      absl::Span<EdgeId> out_ids);

// Rebuilds the adjacency from the edge table and frees the pending slots
// when enough edges were added or deleted since the last time (or always,
// with force). Under WriteCtx::defer_adjacency an unforced rebuild only frees
// the slots and leaves the adjacency stale.
void MaybeCompactAdjacency(Version& v, const WriteCtx& ctx, bool force);
// Builds a stale adjacency before something reads it.
void EnsureAdjacency(Version& v, const WriteCtx& ctx);

}  // namespace nendb::ops

#endif  // NENDB_TXN_OPS_H_
