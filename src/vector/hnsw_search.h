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

// A point to measure from: a vector, its inverse norm (cosine), its binary
// code (Hamming) and, when a search measures int8 codes, the query as they
// are measured from (Hnsw::PrepareQuery: q - lo, or the unit query times
// scale and its constant term for the dot products).
struct Probe {
  const float* v;
  float inv_norm = 1.0f;
  const uint64_t* code = nullptr;
  const float* prepared = nullptr;
  float offset = 0.0f;
};

// Distances by the metric as the graph orders them (L2 as squared L2), from
// a probe to a slot: Hamming on the slots' codes, the others on their rows,
// or on their int8 codes when the probe is prepared for them.
class Measure {
 public:
  Measure(Metric metric, const RowView& rows, const float* inv_norms, const uint64_t* codes,
          uint32_t code_words, const float* scale)
      : metric_(metric),
        rows_(rows),
        inv_norms_(inv_norms),
        codes_(codes),
        code_words_(code_words),
        scale_(scale),
        k_(simd::ActiveDistances()) {}

  float operator()(const Probe& p, uint32_t slot) const {
    const uint32_t dim = rows_.dim();
    if (p.prepared != nullptr) return Quantized(p, slot);
    const float* row = rows_.Row(slot);
    float d;
    switch (metric_) {
      case Metric::kL2Squared:
      case Metric::kL2:
        k_.l2_squared(p.v, row, dim, 1, &d);
        return d;
      case Metric::kInnerProduct:
        k_.dot(p.v, row, dim, 1, &d);
        return 1.0f - d;
      case Metric::kCosine:
        k_.dot(p.v, row, dim, 1, &d);
        return 1.0f - d * p.inv_norm * inv_norms_[slot];
      case Metric::kManhattan:
        k_.manhattan(p.v, row, dim, 1, &d);
        return d;
      case Metric::kHamming: {
        uint32_t bits;
        k_.hamming(p.code, Code(slot), code_words_, 1, &bits);
        return static_cast<float>(bits);
      }
    }
    return 0.0f;
  }

  // What operator() reads of the slot: its row, or its code.
  const void* Data(const Probe& p, uint32_t slot) const {
    if (p.prepared != nullptr || metric_ == Metric::kHamming) return Code(slot);
    return rows_.Row(slot);
  }
  uint32_t Bytes(const Probe& p) const {
    if (p.prepared != nullptr || metric_ == Metric::kHamming) return 8 * code_words_;
    return 4 * rows_.dim();
  }

 private:
  const uint64_t* Code(uint32_t slot) const { return codes_ + uint64_t{slot} * code_words_; }

  float Quantized(const Probe& p, uint32_t slot) const {
    const uint8_t* c = reinterpret_cast<const uint8_t*>(Code(slot));
    const uint32_t dim = rows_.dim();
    float d;
    switch (metric_) {
      case Metric::kL2Squared:
      case Metric::kL2:
        k_.sq8_l2_squared(p.prepared, scale_, c, dim, 1, &d);
        return d;
      case Metric::kManhattan:
        k_.sq8_manhattan(p.prepared, scale_, c, dim, 1, &d);
        return d;
      case Metric::kInnerProduct:
      case Metric::kCosine:
        k_.sq8_dot(p.prepared, c, dim, 1, &d);
        return 1.0f - (p.offset + d);
      case Metric::kHamming:
        break;
    }
    return 0.0f;
  }

  Metric metric_;
  const RowView& rows_;
  const float* inv_norms_;
  const uint64_t* codes_;
  uint32_t code_words_;
  const float* scale_;
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
  std::vector<float> prepared;  // the query as int8 codes are measured from
  std::vector<uint64_t> code;   // the query's binary code

 private:
  std::vector<uint32_t> marks_;
  uint32_t epoch_ = 0;
};

}  // namespace nendb::vec

#endif  // NENDB_VECTOR_HNSW_SEARCH_H_
