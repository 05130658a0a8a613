// Exact k-nearest-neighbour search: every row of a vector column compared
// with each query by the SIMD distance kernels (simd/distance.h), the k
// closest kept by a bounded heap per thread ("partial selection": O(n log k)
// per query, no sort of all n distances). Threads split the rows; each
// passes every query over a block of rows while the block is in cache, so
// the column is read from memory once per call however many queries it
// holds (the per-thread heaps are merged at the end). One query is bound by
// memory bandwidth, a batch by the arithmetic (bench/vector_bench.py).
//
// Distances, smaller is closer: squared L2; L2; inner product as 1 - dot
// (hnswlib's "ip"); cosine as 1 - cos (a zero row is at distance 1 from
// every query, as if orthogonal; a zero query is refused); Manhattan;
// Hamming between binary codes, a bit per component set when it is positive
// (0/1 codes, +-1 codes and sign-binarized embeddings alike). Ties go to the
// lower row. Rows whose distance is NaN (NaN components) are
// never returned.
//
// Plain functions; thread-safe.
#ifndef NENDB_VECTOR_EXACT_H_
#define NENDB_VECTOR_EXACT_H_

#include <cstdint>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/types/span.h"

namespace nendb::vec {

enum class Metric { kL2Squared, kL2, kInnerProduct, kCosine, kManhattan, kHamming };

inline constexpr uint64_t kNoRow = ~uint64_t{0};

// `count` rows of `dim` floats back to back: rows first .. first + count - 1
// of a column (a column in memory is a list of such runs).
struct Rows {
  const float* data = nullptr;
  uint64_t count = 0;
  uint32_t dim = 0;
  // A bit per row of the column (bit r of word r / 64): the rows that may be
  // returned; nullptr: every row.
  const uint64_t* allowed = nullptr;
  uint64_t first = 0;
};

// For query q, its j-th nearest row and distance at q * k + j; kNoRow and
// +infinity past the rows there are.
struct Neighbors {
  std::vector<uint64_t> rows;
  std::vector<float> distances;
};

// InvalidArgument for a query (of nq x dim floats) with a NaN or infinite
// component, or a zero query with the cosine metric; their norms if asked.
absl::Status CheckQueryVectors(const float* queries, uint64_t nq, uint32_t dim, Metric metric,
                               std::vector<float>* norms = nullptr);

// The k nearest allowed rows of the runs (of one dimension) to each of
// `queries` (nq x dim floats) on up to `threads` threads (<= 0: every
// core). InvalidArgument for k == 0, a dimension of 0, runs of another
// dimension, a query with NaN or infinite components, or a zero query with
// the cosine metric.
absl::StatusOr<Neighbors> ExactKnn(absl::Span<const Rows> runs, const float* queries, uint64_t nq,
                                   uint32_t k, Metric metric, int threads);

// The serial check shared by tests and benchmarks: every distance in `found`
// within `tolerance` (relative) of a double-precision recomputation, in
// non-decreasing order, and no allowed row left out closer than the k-th.
absl::Status VerifyKnn(absl::Span<const Rows> runs, const float* queries, uint64_t nq, uint32_t k,
                       Metric metric, const Neighbors& found, double tolerance);

}  // namespace nendb::vec

#endif  // NENDB_VECTOR_EXACT_H_
