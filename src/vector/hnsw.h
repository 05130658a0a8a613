// Hnsw: a Hierarchical Navigable Small World graph over the rows of one
// vector column (Yu. A. Malkov and D. A. Yashunin, "Efficient and robust
// approximate nearest neighbor search using Hierarchical Navigable Small
// World graphs", IEEE TPAMI 42(4), 2020). A node is a row number ("slot");
// each node has a random top level (geometric, mean 1 / ln M), at most M
// links per level above 0 and 2M at level 0, chosen by the paper's
// diversity heuristic (Algorithm 4). A search descends greedily from the
// entry point through the upper levels, then runs a best-first search of
// width ef at level 0.
//
// The graph does not own the vectors: every call takes a RowView of the
// column, which must hold the vectors the present slots were inserted with
// (the database folds changed rows in with Remove then Insert). Cosine keeps
// the inverse norm of every slot so a distance is one dot product.
//
// Codes: Hamming compares binary codes (a bit per component, set when it is
// positive), which the graph keeps per slot and measures with, building and
// searching. With Quantization::kInt8 the graph also keeps a byte per
// component (scalar quantization: lo[i] + scale[i] * code, the range per
// dimension widened as rows beyond it arrive, all codes then made again; of
// the unit vectors for cosine): a search measures those, a quarter of the
// memory traffic of the floats, and rescores the ef slots it found by their
// rows, so the distances returned are exact; building measures the rows.
//
// Insert and Remove are the maintenance of the paper's Algorithm 1 plus
// deletion: a removed slot leaves the graph at once (no tombstone) and every
// node that linked to it picks replacements among its links and the removed
// node's links by the same heuristic, so the slot can be reused by a later
// Insert. Both run on several threads (a spin lock per slot guards its
// links while they change).
//
// Thread-safety: Search and the const accessors may run concurrently with
// each other; Insert and Remove need the graph to themselves.
#ifndef NENDB_VECTOR_HNSW_H_
#define NENDB_VECTOR_HNSW_H_

#include <atomic>
#include <cstdint>
#include <memory>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/types/span.h"
#include "vector/exact.h"

namespace nendb::vec {

// The rows of a column by number: chunks of 2^shift rows of dim floats each
// (how a property column lies in memory), or one flat array.
class RowView {
 public:
  RowView() = default;
  RowView(std::vector<const float*> chunks, uint32_t shift, uint32_t dim, uint64_t rows)
      : chunks_(std::move(chunks)),
        shift_(shift),
        mask_((uint64_t{1} << shift) - 1),
        dim_(dim),
        rows_(rows) {}
  static RowView Flat(const float* data, uint64_t rows, uint32_t dim) {
    return RowView({data}, 63, dim, rows);
  }
  const float* Row(uint64_t r) const { return chunks_[r >> shift_] + (r & mask_) * dim_; }
  uint32_t dim() const { return dim_; }
  uint64_t rows() const { return rows_; }

 private:
  std::vector<const float*> chunks_;
  uint32_t shift_ = 0;
  uint64_t mask_ = 0;
  uint32_t dim_ = 0;
  uint64_t rows_ = 0;
};

struct Probe;
class Measure;

enum class Quantization : uint8_t { kNone, kInt8 };

struct HnswParams {
  uint32_t m = 16;                                  // links per node above level 0 (2m at level 0)
  uint32_t ef_construction = 200;                   // search width while inserting
  uint64_t seed = 0x6e656e6462;                     // the levels are a hash of (seed, slot)
  Quantization quantization = Quantization::kNone;  // not with Hamming
};

struct HnswHit {
  float distance;
  uint32_t slot;
  bool operator<(const HnswHit& o) const {
    return distance < o.distance || (distance == o.distance && slot < o.slot);
  }
  bool operator>(const HnswHit& o) const { return o < *this; }
};

class Hnsw {
 public:
  static constexpr uint32_t kNone = ~uint32_t{0};
  static constexpr int kMaxLevel = 31;

  // InvalidArgument for parameters out of range (storage/catalog.h), dim 0
  // or int8 quantization with Hamming.
  static absl::StatusOr<std::unique_ptr<Hnsw>> Create(Metric metric, uint32_t dim,
                                                      const HnswParams& params);
  Hnsw(const Hnsw& other);  // a deep copy, for a new version to change
  Hnsw& operator=(const Hnsw&) = delete;
  ~Hnsw();

  Metric metric() const { return metric_; }
  uint32_t dim() const { return dim_; }
  const HnswParams& params() const { return params_; }
  uint64_t size() const { return present_; }  // slots in the graph
  uint64_t capacity() const { return levels_.size(); }
  bool Contains(uint64_t slot) const { return slot < levels_.size() && levels_[slot] >= 0; }

  // Adds slots not in the graph (rows of `rows`, which must cover them) on
  // up to `threads` threads; rows with a non-finite component are left out.
  // InvalidArgument for a slot already present or past rows.rows().
  absl::Status Insert(const RowView& rows, absl::Span<const uint32_t> slots, int threads);
  // Takes slots out of the graph (absent ones are ignored) and relinks their
  // neighbours; `rows` must still hold the vectors of every present slot.
  void Remove(const RowView& rows, absl::Span<const uint32_t> slots, int threads);

  // The k nearest present slots to `query` (dim floats) whose bit is set in
  // `allowed` (bit s of word s / 64; nullptr: every slot), nearest first,
  // found by a search of width max(ef, k). Fewer than k only when the
  // search cannot reach k allowed slots. Distances are the metric's (L2 is
  // the root of squared L2).
  std::vector<HnswHit> Search(const RowView& rows, const float* query, uint32_t k, uint32_t ef,
                              const uint64_t* allowed) const;

  // The links of slot at level (count then ids), for files and checks.
  absl::Span<const uint32_t> Links(uint32_t slot, int level) const;
  int Level(uint32_t slot) const { return levels_[slot]; }
  uint32_t entry() const { return entry_; }
  // Every invariant: links of present slots within bounds, to present slots
  // of at least that level, none to itself or twice; the entry point a
  // slot of the top level; the count of present slots.
  absl::Status Check() const;
  // Bytes of the graph's arrays.
  uint64_t MemoryBytes() const;
  // The int8 quantizer's ranges: lo and scale per dimension (empty until the
  // first vector arrives, and without quantization).
  absl::Span<const float> quantizer_lo() const { return lo_; }
  absl::Span<const float> quantizer_scale() const { return scale_; }

 private:
  class Searcher;
  friend struct HnswFile;  // writes and reads the arrays (vector/hnsw_file.h)
  Hnsw(Metric metric, uint32_t dim, const HnswParams& params);

  uint32_t* LinksAt(uint32_t slot, int level) {
    return level == 0 ? &links0_[uint64_t{slot} * stride0_]
                      : &upper_[upper_at_[slot] + uint64_t(level - 1) * stride_];
  }
  const uint32_t* LinksAt(uint32_t slot, int level) const {
    return const_cast<Hnsw*>(this)->LinksAt(slot, level);
  }
  std::unique_ptr<Searcher> TakeSearcher() const;
  void ReturnSearcher(std::unique_ptr<Searcher> s) const;
  // The slot nearest to p found by greedy descent from `from` through the
  // levels top .. down_to + 1.
  uint32_t Descend(const RowView& rows, const Probe& p, uint32_t from, int top, int down_to,
                   bool locked, Searcher& searcher) const;
  // The best-first search of one level from `from`: searcher.results holds
  // the ef nearest allowed slots found (a max-heap).
  void SearchLevel(const RowView& rows, const Probe& p, uint32_t from, uint32_t ef, int level,
                   const uint64_t* allowed, bool locked, Searcher& searcher) const;
  // Copies slot's links at level into searcher.links (under its lock if locked).
  void CopyLinks(uint32_t slot, int level, bool locked, Searcher& searcher) const;
  // The same for the links not visited yet by this search, marking them.
  void TakeUnvisited(uint32_t slot, int level, bool locked, Searcher& searcher) const;
  // Asks for the first `bytes` (at most kPrefetchBytes) of a row or code.
  void Prefetch(const void* data, uint32_t bytes) const;
  float Distance(const RowView& rows, uint32_t a, uint32_t b) const;
  Probe ProbeOf(const RowView& rows, uint32_t slot) const;
  uint32_t MaxLinks(int level) const { return level == 0 ? 2 * params_.m : params_.m; }
  bool quantized() const { return params_.quantization == Quantization::kInt8; }
  Measure MeasureOf(const RowView& rows) const;
  // Writes the slots' codes (binary, or int8 by the present ranges).
  void Encode(const RowView& rows, absl::Span<const uint32_t> slots);
  void EncodeAll(const RowView& rows);  // every present slot's
  // Widens the int8 ranges to cover the rows of slots, with a margin, and
  // then encodes every present slot again; encodes just `slots` otherwise.
  void Quantize(const RowView& rows, absl::Span<const uint32_t> slots);
  // The query as the int8 codes are measured from, in searcher scratch.
  void PrepareQuery(Probe& p, Searcher& searcher) const;
  // The exact distances of the hits, nearest first.
  void Rescore(const RowView& rows, const Probe& p, std::vector<HnswHit>& hits) const;
  int RandomLevel(uint32_t slot) const;
  void Grow(uint64_t slots);
  void InsertOne(const RowView& rows, uint32_t slot, Searcher& searcher);
  // Sets slot's links at level to the heuristic's choice among candidates
  // (sorted by distance to slot), at most `max` of them.
  void SelectNeighbors(const RowView& rows, std::vector<HnswHit>& candidates, uint32_t max,
                       std::vector<HnswHit>* out) const;
  void AddBacklink(const RowView& rows, uint32_t to, uint32_t from, int level, Searcher& searcher);
  void RelinkAfterRemoval(const RowView& rows, uint32_t slot, int level,
                          const std::vector<uint8_t>& removed, Searcher& searcher);
  // Gives each of `slots`, and every slot nothing links to at level 0, that
  // a search for its own vector misses a link from where that search lands:
  // the diversity heuristic can prune an outlier out of the lists on the
  // way to it, and a slot no search reaches is never found.
  void LinkUnreachable(const RowView& rows, absl::Span<const uint32_t> slots, int threads);
  void ForceLink(const RowView& rows, uint32_t to, uint32_t slot);
  void Lock(uint32_t slot) const;
  void Unlock(uint32_t slot) const;

  Metric metric_;
  uint32_t dim_;
  HnswParams params_;
  double level_scale_;          // 1 / ln m
  uint32_t stride0_;            // 1 + 2m words per slot at level 0
  uint32_t stride_;             // 1 + m words per upper level
  std::vector<int8_t> levels_;  // -1: not in the graph
  std::vector<uint32_t> links0_;
  std::vector<uint32_t> upper_at_;  // first word of the slot's level-1 links in upper_
  std::vector<uint32_t> upper_;
  std::vector<std::vector<uint32_t>> upper_free_;  // freed blocks by number of levels
  std::vector<float> inv_norms_;                   // cosine only
  uint32_t code_words_;                            // per slot: Hamming bits or int8 bytes
  std::vector<uint64_t> codes_;
  std::vector<float> lo_, scale_;  // the int8 ranges
  uint32_t entry_ = kNone;
  int top_level_ = -1;
  uint64_t present_ = 0;
  std::unique_ptr<std::atomic<uint8_t>[]> locks_;  // striped spin locks
  mutable absl::Mutex entry_mu_;                   // entry_ and top_level_ while inserting
  mutable absl::Mutex pool_mu_;
  mutable std::vector<std::unique_ptr<Searcher>> pool_ ABSL_GUARDED_BY(pool_mu_);
};

}  // namespace nendb::vec

#endif  // NENDB_VECTOR_HNSW_H_
