// Vector search over node embeddings: the k nodes whose float32 vector
// property is nearest to a query, by a metric, among the nodes of some
// labels and/or an explicit node set (for example a k-hop neighbourhood).
//
// Today every candidate is compared (exact search, src/vector/exact.h: SIMD
// distance kernels, a bounded heap per thread); approximate HNSW indexes
// come next and will be chosen by the same call when one exists.
//
// Distances, smaller is closer: kL2Squared, kL2, kInnerProduct as 1 - dot
// (hnswlib's "ip"), kCosine as 1 - cos (a zero stored vector is at
// distance 1 from every query; a zero query is refused), kManhattan. The
// hits come nearest first, equal distances in NodeId order.
//
// Thread-safety: Knn only reads the transaction; several may run at once.
#ifndef NENDB_VECTOR_INDEX_H_
#define NENDB_VECTOR_INDEX_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "nendb/algorithms.h"
#include "nendb/transaction.h"
#include "nendb/types.h"

namespace nendb {

enum class VectorMetric { kL2Squared, kL2, kInnerProduct, kCosine, kManhattan };

// "l2sq", "l2", "ip", "cosine", "l1" (also "manhattan", "euclidean",
// "inner_product"); InvalidArgument naming the choices otherwise.
absl::StatusOr<VectorMetric> ParseVectorMetric(absl::string_view name);

struct KnnOptions {
  std::string property = "embedding";  // a float32 vector property
  VectorMetric metric = VectorMetric::kCosine;
  std::vector<std::string> labels;           // nodes with any of these labels; empty: every node
  std::optional<std::vector<NodeId>> nodes;  // only these nodes (ids not nodes are ignored)
  RunOptions run;                            // threads (progress is not called)
};

struct KnnResult {
  uint32_t k = 0;
  // Query q's j-th nearest node and its distance at q * k + j.
  std::vector<NodeId> ids;
  std::vector<float> distances;
};

// The k nearest candidates to each query of `queries` (queries.size() / dim
// of them, dim floats each). InvalidArgument for k == 0, queries not a
// whole number of vectors, NaN or infinite components, a zero query with
// cosine, a property of another dimension or type, or k larger than the
// number of candidates (nodes with the property that pass the filters);
// NotFound for a property or label no node has.
absl::StatusOr<KnnResult> Knn(const ReadTransaction& tx, absl::Span<const float> queries,
                              uint32_t dim, uint32_t k, const KnnOptions& options = KnnOptions());

}  // namespace nendb

#endif  // NENDB_VECTOR_INDEX_H_
