// Vector search over node embeddings: the k nodes whose float32 vector
// property is nearest to a query, by a metric, among the nodes of some
// labels, an explicit node set (for example a k-hop neighbourhood) and
// conditions on their properties.
//
// Exact search compares every candidate (src/vector/exact.h: SIMD distance
// kernels, a bounded heap per thread). A vector index (CreateVectorIndex) is
// an HNSW graph (src/vector/hnsw.h) over one label's vectors of one property
// for one metric; Knn searches it instead when the query's property and
// metric match, unless the filters leave so few candidates that comparing
// them all is cheaper. Indexes are kept up to date by every commit: the
// rows a commit changes are compared exactly until enough have gathered to
// fold them into a new graph (their old links removed, no tombstones). A
// node's vector lives in its first label's table, so an index on label L
// covers the nodes whose first label is L.
//
// Distances, smaller is closer: kL2Squared, kL2, kInnerProduct as 1 - dot
// (hnswlib's "ip"), kCosine as 1 - cos (a zero stored vector is at
// distance 1 from every query; a zero query is refused), kManhattan, and
// kHamming: the number of components whose signs differ, reading a vector
// as a binary code with a bit per component set when it is positive (store
// 0/1 or +-1 codes, or embeddings to compare by their signs). The hits come
// nearest first, equal distances in NodeId order.
//
// An index may keep an int8 copy of its vectors (VectorQuantization::kInt8:
// a byte per component, ranges per dimension): its searches read a quarter
// of the memory and rescore what they find with the float vectors, so the
// distances stay exact and only the recall at a given ef may change.
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
#include "nendb/value.h"

namespace nendb {

enum class VectorMetric { kL2Squared, kL2, kInnerProduct, kCosine, kManhattan, kHamming };

// "l2sq", "l2", "ip", "cosine", "l1", "hamming" (also "manhattan",
// "euclidean", "inner_product"); InvalidArgument naming the choices otherwise.
absl::StatusOr<VectorMetric> ParseVectorMetric(absl::string_view name);

// The name of a metric as ParseVectorMetric reads it ("cosine", "l2", ...).
const char* VectorMetricName(VectorMetric metric);

enum class VectorQuantization { kNone, kInt8 };

// "none", "int8"; InvalidArgument otherwise.
absl::StatusOr<VectorQuantization> ParseVectorQuantization(absl::string_view name);
const char* VectorQuantizationName(VectorQuantization q);

// A comparison of KnnOptions::where.
enum class CompareOp { kEq, kNe, kLt, kLe, kGt, kGe };

// "==" (also "="), "!=", "<", "<=", ">", ">="; InvalidArgument otherwise.
absl::StatusOr<CompareOp> ParseCompareOp(absl::string_view name);

// A condition on a property of the candidate nodes: a node meets it when it
// has the property and `its value op value` holds. Integers and floats
// compare as numbers, strings by their bytes, booleans with false < true; a
// value of another type than the node's is never ==, <, <=, > or >= and
// always !=. A node without the property meets no condition. value must be
// an integer, float, boolean or string (InvalidArgument otherwise).
struct PropertyCondition {
  std::string property;
  CompareOp op = CompareOp::kEq;
  Value value;
};

struct KnnOptions {
  std::string property = "embedding";  // a float32 vector property
  VectorMetric metric = VectorMetric::kCosine;
  std::vector<std::string> labels;           // nodes with any of these labels; empty: every node
  std::optional<std::vector<NodeId>> nodes;  // only these nodes (ids not nodes are ignored)
  std::vector<PropertyCondition> where;      // nodes that meet every condition
  // Search width of an index (the larger, the better the recall and the
  // slower); at least k is used. 0: kDefaultEf.
  uint32_t ef = 0;
  bool exact = false;  // compare every candidate even where an index exists
  RunOptions run;      // threads (progress is not called)
};

inline constexpr uint32_t kDefaultEf = 64;

// What WriteTransaction::CreateVectorIndex builds.
struct VectorIndexSpec {
  std::string label;
  std::string property = "embedding";
  VectorMetric metric = VectorMetric::kCosine;
  uint32_t m = 16;                 // links per node (2M at the bottom level), 2..100
  uint32_t ef_construction = 200;  // search width while building, M..10000
  // kInt8: search an int8 copy, rescore with the floats (not with Hamming).
  VectorQuantization quantization = VectorQuantization::kNone;
};

struct VectorIndexInfo {
  VectorIndexSpec spec;
  uint32_t dim = 0;           // 0 while no node has the property
  uint64_t indexed = 0;       // vectors in the graph
  uint64_t pending = 0;       // rows changed since, compared exactly
  uint64_t memory_bytes = 0;  // the graph's
};

// The vector indexes of the transaction's state, in creation order.
std::vector<VectorIndexInfo> ListVectorIndexes(const ReadTransaction& tx);

struct KnnResult {
  uint32_t k = 0;
  // Query q's j-th nearest node and its distance at q * k + j.
  std::vector<NodeId> ids;
  std::vector<float> distances;
  uint32_t indexed_tables = 0;  // label tables searched through a vector index
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
