// The internals Hnsw's insertion, removal and search share: the metric's
// distance between a query or a slot and a slot, and Hnsw::Searcher, one
// thread's scratch (visited marks, the two heaps of a layer search).
// Private to src/vector/hnsw*.cc.
#ifndef NENDB_VECTOR_HNSW_SEARCH_H_
#define NENDB_VECTOR_HNSW_SEARCH_H_

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <functional>
#include <vector>

#include "simd/distance.h"
#include "vector/hnsw.h"

namespace nendb::vec {

// 1 / |v|, 0 for the zero vector (whose cosine distance is then 1).
inline float InverseNorm(const float* v, uint32_t dim) {
  double norm = 0;
  for (uint32_t i = 0; i < dim; ++i) norm += double{v[i]} * v[i];
  return norm > 0 ? static_cast<float>(1.0 / std::sqrt(norm)) : 0.0f;
}

// A point to measure from: a vector and, for cosine, its inverse norm.
struct Probe {
  const float* v;
  float inv_norm;
};

// Distances by the metric as the graph orders them (L2 as squared L2).
class Measure {
 public:
  Measure(Metric metric, uint32_t dim, const float* inv_norms)
      : metric_(metric), dim_(dim), inv_norms_(inv_norms), k_(simd::ActiveDistances()) {}

  float operator()(const Probe& p, const float* row, uint32_t slot) const {
    float d;
    switch (metric_) {
      case Metric::kL2Squared:
      case Metric::kL2:
        k_.l2_squared(p.v, row, dim_, 1, &d);
        return d;
      case Metric::kInnerProduct:
        k_.dot(p.v, row, dim_, 1, &d);
        return 1.0f - d;
      case Metric::kCosine:
        k_.dot(p.v, row, dim_, 1, &d);
        return 1.0f - d * p.inv_norm * inv_norms_[slot];
      case Metric::kManhattan:
        k_.manhattan(p.v, row, dim_, 1, &d);
        return d;
    }
    return 0.0f;
  }

 private:
  Metric metric_;
  uint32_t dim_;
  const float* inv_norms_;
  const simd::DistanceKernels& k_;
};

class Hnsw::Searcher {
 public:
  explicit Searcher(uint64_t capacity) : marks_(capacity, 0) {}

  // Starts a new search: every slot unvisited.
  void Reset(uint64_t capacity) {
    if (marks_.size() < capacity) marks_.resize(capacity, 0);
    if (++epoch_ == 0) {
      std::fill(marks_.begin(), marks_.end(), 0);
      epoch_ = 1;
    }
  }
  // Marks slot visited; false if it already was.
  bool Visit(uint32_t slot) {
    if (marks_[slot] == epoch_) return false;
    marks_[slot] = epoch_;
    return true;
  }

  std::vector<HnswHit> candidates;  // min-heap (std::greater)
  std::vector<HnswHit> results;     // max-heap: the worst kept on top
  std::vector<uint32_t> links;      // a copy of one links list
  std::vector<HnswHit> scratch;

 private:
  std::vector<uint32_t> marks_;
  uint32_t epoch_ = 0;
};

}  // namespace nendb::vec

#endif  // NENDB_VECTOR_HNSW_SEARCH_H_
