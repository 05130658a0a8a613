// The vector indexes of a version (Catalog::vector_indexes and
// Version::vector_indexes): kept up to date as commits change the vectors,
// and the views that searches read them through.
//
// A state is an HNSW graph folded at some earlier commit plus the rows
// changed since (pending), which searches compare exactly. Each commit adds
// the rows its transaction changed to pending; once pending passes
// FoldThreshold the commit folds them in: a copy of the graph (earlier
// versions keep theirs), the changed rows removed from it and those that
// still hold a vector inserted again, on every thread. A new definition, or
// a version loaded from a snapshot, builds its graph from every row.
//
// Not thread-safe: SyncVectorIndexes is for the writer of a working version.
#ifndef NENDB_DB_VECTOR_INDEXES_H_
#define NENDB_DB_VECTOR_INDEXES_H_

#include <cstdint>
#include <functional>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "nendb/vector_index.h"
#include "storage/version.h"
#include "vector/exact.h"
#include "vector/hnsw.h"

namespace nendb {

vec::Metric ToMetric(VectorMetric m);

// Folds the rows v's transaction changed into its vector index states
// (building the missing ones) and forgets them.
absl::Status SyncVectorIndexes(Version& v, const WriteCtx& ctx);

// How many pending rows an index of `indexed` vectors tolerates before a
// commit folds them in: exact comparisons of that many rows cost a search
// about as much as the graph does.
uint64_t FoldThreshold(uint64_t indexed);

// Whether row r of the table holds a vector in column c (in use and set).
bool HasVector(const PropTable& t, const PropColumn& c, uint64_t r);

// The rows of a vector column for the graph.
vec::RowView RowsOf(const PropColumn& column);

// What a search of index i of v reads: the graph (may be null) over the
// column's rows, and the rows it must compare exactly instead (pending and,
// in a write transaction, the rows changed since), sorted.
struct IndexView {
  const vec::Hnsw* graph = nullptr;
  const PropTable* table = nullptr;
  const PropColumn* column = nullptr;
  std::vector<uint32_t> unindexed;
};
// Index of the definition of (label, property, metric) in v's catalog, or -1.
int FindVectorIndex(const Version& v, uint32_t label, uint32_t property, VectorMetric metric);
IndexView ViewOf(const Version& v, size_t index);

// Whether searching the graph of `indexed` vectors for queries restricted
// to `candidates` of them is cheaper than comparing the candidates: a
// filtered search visits about ef / (candidates / indexed) nodes of 2M links
// each to find ef allowed ones.
bool GraphPays(uint64_t candidates, uint64_t indexed, uint32_t m, uint32_t ef);

// The rows of the view's column that hold a vector, counted from the graph
// and the unindexed rows (no pass over the column).
uint64_t CountWithVectors(const IndexView& view);

// Per query, the k nearest (distance, row) of the `candidates` rows whose bit
// is set in `allowed` (one per row of view.column; null: every row with a
// vector), nearest first: the graph searched (width ef) for the rows it
// holds, the unindexed rows compared exactly; the queries for which the
// graph reaches too few rows are answered by `exact` (every candidate
// compared: queries, their count, k).
using RowHits = std::vector<std::vector<std::pair<float, uint64_t>>>;
using ExactFn = std::function<absl::StatusOr<vec::Neighbors>(const float*, uint64_t, uint32_t)>;
absl::StatusOr<RowHits> SearchIndex(const IndexView& view, const std::vector<uint64_t>* allowed,
                                    uint64_t candidates, const ExactFn& exact, const float* queries,
                                    uint64_t nq, uint32_t k, uint32_t ef, int threads);

}  // namespace nendb

#endif  // NENDB_DB_VECTOR_INDEXES_H_
