// Hnsw's per-slot codes: binary codes for Hamming and int8 scalar
// quantization (the ranges per dimension, the codes, the query prepared for
// them, the exact rescoring of what a search found with them).
//
// Int8 follows the "SQ8" of FAISS's scalar quantizer: a component decodes as
// lo[i] + scale[i] * code, a query is measured against the decoded rows
// without decoding them (asymmetric distances: the query stays float).
#include <algorithm>
#include <cmath>
#include <limits>

#include "vector/hnsw.h"
#include "vector/hnsw_search.h"

namespace nendb::vec {
namespace {

// The widening of a range, on each side, as a share of its width: a range
// that grows by small steps is widened (and every code made again) a
// logarithmic number of times.
constexpr float kMargin = 1.0f / 16;

// The row of slot as quantized: the unit vector for cosine.
const float* QuantizedRow(const RowView& rows, Metric metric, const std::vector<float>& inv_norms,
                          uint32_t slot, std::vector<float>& unit) {
  const float* v = rows.Row(slot);
  if (metric != Metric::kCosine) return v;
  unit.resize(rows.dim());
  for (uint32_t i = 0; i < rows.dim(); ++i) unit[i] = v[i] * inv_norms[slot];
  return unit.data();
}

}  // namespace

void Hnsw::Encode(const RowView& rows, absl::Span<const uint32_t> slots) {
  if (metric_ == Metric::kHamming) {
    const simd::DistanceKernels& k = simd::ActiveDistances();
    for (uint32_t s : slots) k.sign_bits(rows.Row(s), dim_, 1, &codes_[uint64_t{s} * code_words_]);
    return;
  }
  std::vector<float> unit;
  for (uint32_t s : slots) {
    const float* v = QuantizedRow(rows, metric_, inv_norms_, s, unit);
    uint8_t* c = reinterpret_cast<uint8_t*>(&codes_[uint64_t{s} * code_words_]);
    for (uint32_t i = 0; i < dim_; ++i) {
      const float x = scale_[i] > 0 ? std::nearbyint((v[i] - lo_[i]) / scale_[i]) : 0.0f;
      c[i] = static_cast<uint8_t>(std::clamp(x, 0.0f, 255.0f));
    }
  }
}

void Hnsw::Quantize(const RowView& rows, absl::Span<const uint32_t> slots) {
  constexpr float kInf = std::numeric_limits<float>::infinity();
  const bool trained = !lo_.empty();
  std::vector<float> lo(dim_, kInf), hi(dim_, -kInf);
  for (uint32_t i = 0; trained && i < dim_; ++i) {
    lo[i] = lo_[i];
    hi[i] = lo_[i] + 255.0f * scale_[i];
  }
  bool widen = !trained;
  std::vector<float> unit;
  for (uint32_t s : slots) {
    const float* v = QuantizedRow(rows, metric_, inv_norms_, s, unit);
    for (uint32_t i = 0; i < dim_; ++i) {
      if (v[i] < lo[i]) lo[i] = v[i], widen = true;
      if (v[i] > hi[i]) hi[i] = v[i], widen = true;
    }
  }
  if (!widen) return Encode(rows, slots);
  lo_.resize(dim_);
  scale_.resize(dim_);
  for (uint32_t i = 0; i < dim_; ++i) {
    const float margin = (hi[i] - lo[i]) * (trained ? kMargin : 0.0f);
    lo_[i] = lo[i] - margin;
    scale_[i] = (hi[i] - lo[i] + 2 * margin) / 255.0f;
  }
  EncodeAll(rows);
}

void Hnsw::EncodeAll(const RowView& rows) {
  std::vector<uint32_t> present;
  present.reserve(present_);
  for (uint64_t s = 0; s < capacity(); ++s) {
    if (levels_[s] >= 0) present.push_back(static_cast<uint32_t>(s));
  }
  Encode(rows, present);
}

void Hnsw::PrepareQuery(Probe& p, Searcher& searcher) const {
  std::vector<float>& q = searcher.prepared;
  q.resize(dim_);
  p.offset = 0;
  switch (metric_) {
    case Metric::kL2Squared:
    case Metric::kL2:
    case Metric::kManhattan:
      for (uint32_t i = 0; i < dim_; ++i) q[i] = p.v[i] - lo_[i];
      break;
    case Metric::kInnerProduct:
    case Metric::kCosine: {
      const float unit = metric_ == Metric::kCosine ? p.inv_norm : 1.0f;
      double offset = 0;
      for (uint32_t i = 0; i < dim_; ++i) {
        q[i] = p.v[i] * unit * scale_[i];
        offset += double{p.v[i]} * unit * lo_[i];
      }
      p.offset = static_cast<float>(offset);
      break;
    }
    case Metric::kHamming:
      return;
  }
  p.prepared = q.data();
}

void Hnsw::Rescore(const RowView& rows, const Probe& p, std::vector<HnswHit>& hits) const {
  const Measure measure = MeasureOf(rows);
  for (HnswHit& h : hits) h.distance = measure(p, h.slot);
  std::sort(hits.begin(), hits.end());
}

}  // namespace nendb::vec
