#include "vector/exact.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <queue>
#include <utility>

#include "absl/strings/str_cat.h"
#include "simd/distance.h"
#include "util/thread_pool.h"

namespace nendb::vec {
namespace {

constexpr uint64_t kBlock = 256;  // rows whose distances are computed at once
constexpr float kInf = std::numeric_limits<float>::infinity();

using Hit = std::pair<float, uint64_t>;  // distance, row: ordered closest first

// The k closest hits seen: a max-heap whose top is the worst kept.
class TopK {
 public:
  explicit TopK(uint32_t k) : k_(k) {}
  void Offer(float d, uint64_t row) {
    if (std::isnan(d)) return;
    if (heap_.size() < k_) {
      heap_.push({d, row});
    } else if (Hit{d, row} < heap_.top()) {
      heap_.pop();
      heap_.push({d, row});
    }
  }
  void Merge(TopK& other) {
    while (!other.heap_.empty()) {
      Offer(other.heap_.top().first, other.heap_.top().second);
      other.heap_.pop();
    }
  }
  // Closest first, padded to k.
  void Write(uint64_t* rows, float* distances) {
    std::vector<Hit> hits;
    while (!heap_.empty()) {
      hits.push_back(heap_.top());
      heap_.pop();
    }
    std::reverse(hits.begin(), hits.end());
    for (uint32_t j = 0; j < k_; ++j) {
      rows[j] = j < hits.size() ? hits[j].second : kNoRow;
      distances[j] = j < hits.size() ? hits[j].first : kInf;
    }
  }

 private:
  uint32_t k_;
  std::priority_queue<Hit> heap_;
};

// Whether row r of the column (not of the run) may be returned.
bool Allowed(const Rows& rows, uint64_t r) {
  return rows.allowed == nullptr || (rows.allowed[r >> 6] >> (r & 63)) & 1;
}

uint64_t CodeWords(uint32_t dim) { return (uint64_t{dim} + 63) / 64; }

// A query as Scan measures it: its vector, its norm (cosine) and its binary
// code (Hamming).
struct Query {
  const float* v;
  float norm;
  const uint64_t* code;
};

// Distances of query q to the run's rows [begin, end), at most kBlock of
// them, offered to top; block_codes: the rows' binary codes for Hamming.
void Scan(const simd::DistanceKernels& k, const Rows& rows, const Query& q, Metric metric,
          uint64_t begin, uint64_t end, const uint64_t* block_codes, TopK& top) {
  float d[kBlock], norms[kBlock];
  uint32_t bits[kBlock];
  const uint64_t n = end - begin;
  const float* block = rows.data + begin * rows.dim;
  switch (metric) {
    case Metric::kL2Squared:
    case Metric::kL2:
      k.l2_squared(q.v, block, rows.dim, n, d);
      break;
    case Metric::kInnerProduct:
      k.dot(q.v, block, rows.dim, n, d);
      for (uint64_t i = 0; i < n; ++i) d[i] = 1.0f - d[i];
      break;
    case Metric::kCosine:
      k.dot_and_norm(q.v, block, rows.dim, n, d, norms);
      for (uint64_t i = 0; i < n; ++i) {
        d[i] = norms[i] == 0 ? 1.0f : 1.0f - d[i] / (q.norm * std::sqrt(norms[i]));
      }
      break;
    case Metric::kManhattan:
      k.manhattan(q.v, block, rows.dim, n, d);
      break;
    case Metric::kHamming:
      k.hamming(q.code, block_codes, CodeWords(rows.dim), n, bits);
      for (uint64_t i = 0; i < n; ++i) d[i] = static_cast<float>(bits[i]);
      break;
  }
  for (uint64_t i = 0; i < n; ++i) {
    const uint64_t row = rows.first + begin + i;
    if (Allowed(rows, row)) top.Offer(d[i], row);
  }
}

absl::Status CheckQueries(absl::Span<const Rows> runs, uint32_t dim, const float* queries,
                          uint64_t nq, uint32_t k, Metric metric, std::vector<float>* norms) {
  if (k == 0) return absl::InvalidArgumentError("k must be at least 1");
  if (dim == 0) return absl::InvalidArgumentError("vectors of dimension 0 cannot be searched");
  for (const Rows& r : runs) {
    if (r.dim != dim) return absl::InvalidArgumentError("runs of rows of different dimensions");
  }
  return CheckQueryVectors(queries, nq, dim, metric, norms);
}

}  // namespace

absl::Status CheckQueryVectors(const float* queries, uint64_t nq, uint32_t dim, Metric metric,
                               std::vector<float>* norms) {
  if (norms != nullptr) norms->resize(nq);
  for (uint64_t q = 0; q < nq; ++q) {
    double sum = 0;
    for (uint32_t i = 0; i < dim; ++i) {
      const float x = queries[q * dim + i];
      if (!std::isfinite(x)) {
        return absl::InvalidArgumentError(
            absl::StrCat("query ", q, " has a component that is NaN or infinite (", i, ")"));
      }
      sum += double{x} * x;
    }
    if (norms != nullptr) (*norms)[q] = static_cast<float>(std::sqrt(sum));
    if (metric == Metric::kCosine && sum == 0) {
      return absl::InvalidArgumentError(
          absl::StrCat("query ", q, " is the zero vector, which has no cosine distance"));
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<Neighbors> ExactKnn(absl::Span<const Rows> runs, const float* queries, uint64_t nq,
                                   uint32_t k, Metric metric, int threads) {
  const uint32_t dim = runs.empty() ? 1 : runs[0].dim;
  std::vector<float> norms;
  if (absl::Status s = CheckQueries(runs, dim, queries, nq, k, metric, &norms); !s.ok()) return s;
  const simd::DistanceKernels& kernels = simd::ActiveDistances();
  ThreadPool& pool = ThreadPool::Shared();
  threads = pool.Resolve(threads);
  // Pieces of the runs, each scanned by one thread for every query, a block
  // of rows at a time: the block stays in cache while the queries pass over
  // it, so the rows cross the memory bus once per call, not once per query.
  struct Piece {
    size_t run;
    uint64_t begin, end;
  };
  std::vector<Piece> pieces;
  for (size_t i = 0; i < runs.size(); ++i) {
    for (uint64_t b = 0; b < runs[i].count; b += 16 * kBlock) {
      pieces.push_back({i, b, std::min(runs[i].count, b + 16 * kBlock)});
    }
  }
  // Hamming compares binary codes: the queries' made once, each block's
  // once for all the queries.
  const bool codes = metric == Metric::kHamming;
  const uint64_t words = CodeWords(dim);
  std::vector<uint64_t> query_codes(codes ? nq * words : 0);
  if (codes) kernels.sign_bits(queries, dim, nq, query_codes.data());
  // A heap per query per thread.
  std::vector<std::vector<TopK>> tops(threads, std::vector<TopK>(nq, TopK(k)));
  pool.ParallelFor(threads, pieces.size(), 1, [&](uint64_t begin, uint64_t end, int t) {
    std::vector<uint64_t> block_codes(codes ? kBlock * words : 0);
    for (uint64_t p = begin; p < end; ++p) {
      const Piece& piece = pieces[p];
      const Rows& run = runs[piece.run];
      for (uint64_t b = piece.begin; b < piece.end; b += kBlock) {
        const uint64_t e = std::min(piece.end, b + kBlock);
        if (codes) kernels.sign_bits(run.data + b * dim, dim, e - b, block_codes.data());
        for (uint64_t q = 0; q < nq; ++q) {
          const Query query{queries + q * dim, norms[q],
                            codes ? query_codes.data() + q * words : nullptr};
          Scan(kernels, run, query, metric, b, e, block_codes.data(), tops[t][q]);
        }
      }
    }
  });
  Neighbors out;
  out.rows.resize(nq * k);
  out.distances.resize(nq * k);
  pool.ParallelFor(threads, nq, 1, [&](uint64_t begin, uint64_t end, int) {
    for (uint64_t q = begin; q < end; ++q) {
      for (int t = 1; t < threads; ++t) tops[0][q].Merge(tops[t][q]);
      tops[0][q].Write(out.rows.data() + q * k, out.distances.data() + q * k);
      if (metric == Metric::kL2) {
        for (uint32_t j = 0; j < k; ++j) {
          out.distances[q * k + j] = std::sqrt(out.distances[q * k + j]);
        }
      }
    }
  });
  return out;
}

absl::Status VerifyKnn(absl::Span<const Rows> runs, const float* queries, uint64_t nq, uint32_t k,
                       Metric metric, const Neighbors& found, double tolerance) {
  const uint32_t dim = runs.empty() ? 1 : runs[0].dim;
  // The run holding row r of the column, or nullptr.
  auto run_of = [&](uint64_t r) -> const Rows* {
    for (const Rows& run : runs) {
      if (r >= run.first && r - run.first < run.count) return &run;
    }
    return nullptr;
  };
  auto distance = [&](const float* q, const Rows& run, uint64_t r) {
    const float* x = run.data + (r - run.first) * dim;
    double l2 = 0, dot = 0, qq = 0, xx = 0, l1 = 0, bits = 0;
    for (uint32_t i = 0; i < dim; ++i) {
      bits += (q[i] > 0) != (x[i] > 0);
      l2 += (double{q[i]} - x[i]) * (double{q[i]} - x[i]);
      dot += double{q[i]} * x[i];
      qq += double{q[i]} * q[i];
      xx += double{x[i]} * x[i];
      l1 += std::fabs(double{q[i]} - x[i]);
    }
    switch (metric) {
      case Metric::kL2Squared:
        return l2;
      case Metric::kL2:
        return std::sqrt(l2);
      case Metric::kInnerProduct:
        return 1 - dot;
      case Metric::kCosine:
        return xx == 0 ? 1.0 : 1 - dot / std::sqrt(qq * xx);
      case Metric::kManhattan:
        return l1;
      case Metric::kHamming:
        return bits;
    }
    return 0.0;
  };
  for (uint64_t q = 0; q < nq; ++q) {
    const float* query = queries + q * dim;
    double last = -std::numeric_limits<double>::infinity(), kth = last;
    uint64_t listed = 0;
    for (uint32_t j = 0; j < k; ++j) {
      const uint64_t r = found.rows[q * k + j];
      if (r == kNoRow) break;
      ++listed;
      const Rows* run = run_of(r);
      const double want = run == nullptr ? NAN : distance(query, *run, r);
      if (run == nullptr || !Allowed(*run, r) ||
          !(std::fabs(found.distances[q * k + j] - want) <= tolerance * (1 + std::fabs(want)))) {
        return absl::InternalError(absl::StrCat("query ", q, " hit ", j, ": row ", r, " at ",
                                                found.distances[q * k + j], ", recomputed ", want));
      }
      if (want < last - tolerance * (1 + std::fabs(last))) {
        return absl::InternalError(absl::StrCat("query ", q, ": hits out of order at ", j));
      }
      last = kth = want;
    }
    uint64_t closer = 0, allowed = 0;
    for (const Rows& run : runs) {
      for (uint64_t r = run.first; r < run.first + run.count; ++r) {
        if (!Allowed(run, r)) continue;
        const double d = distance(query, run, r);
        if (std::isnan(d)) continue;
        ++allowed;
        closer += d < kth - tolerance * (1 + std::fabs(kth));
      }
    }
    if (listed != std::min<uint64_t>(k, allowed) || (listed == k && closer >= k)) {
      return absl::InternalError(absl::StrCat("query ", q, ": ", listed, " hits of ", allowed,
                                              " allowed rows, ", closer, " closer than the last"));
    }
  }
  return absl::OkStatus();
}

}  // namespace nendb::vec
