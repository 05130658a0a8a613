#include "vector/hnsw.h"

#include <cmath>
#include <thread>

#include "absl/strings/str_cat.h"
#include "storage/catalog.h"
#include "util/hash.h"
#include "util/thread_pool.h"
#include "vector/hnsw_search.h"

namespace nendb::vec {
namespace {

constexpr uint32_t kLockStripes = 1 << 16;

bool Finite(const float* v, uint32_t dim) {
  for (uint32_t i = 0; i < dim; ++i) {
    if (!std::isfinite(v[i])) return false;
  }
  return true;
}

// How much of a row or code a search prefetches before measuring it: whole
// rows of up to 128 floats (one cache line was 10-25% slower at 100k x 128, see
// bench/hnsw_bench.cc); the hardware prefetcher streams the rest of longer rows.
constexpr uint32_t kPrefetchBytes = 512;

bool IsAllowed(const uint64_t* allowed, uint32_t slot) {
  return allowed == nullptr || ((allowed[slot >> 6] >> (slot & 63)) & 1);
}

}  // namespace

Hnsw::Hnsw(Metric metric, uint32_t dim, const HnswParams& params)
    : metric_(metric),
      dim_(dim),
      params_(params),
      level_scale_(1.0 / std::log(params.m)),
      stride0_(1 + 2 * params.m),
      stride_(1 + params.m),
      code_words_(metric == Metric::kHamming                   ? (dim + 63) / 64
                  : params.quantization == Quantization::kInt8 ? (dim + 7) / 8
                                                               : 0),
      locks_(new std::atomic<uint8_t>[kLockStripes]) {
  for (uint32_t i = 0; i < kLockStripes; ++i) locks_[i].store(0, std::memory_order_relaxed);
}

Hnsw::Hnsw(const Hnsw& o) : Hnsw(o.metric_, o.dim_, o.params_) {
  levels_ = o.levels_;
  links0_ = o.links0_;
  upper_at_ = o.upper_at_;
  upper_ = o.upper_;
  upper_free_ = o.upper_free_;
  inv_norms_ = o.inv_norms_;
  codes_ = o.codes_;
  lo_ = o.lo_;
  scale_ = o.scale_;
  entry_ = o.entry_;
  top_level_ = o.top_level_;
  present_ = o.present_;
}

Hnsw::~Hnsw() = default;

absl::StatusOr<std::unique_ptr<Hnsw>> Hnsw::Create(Metric metric, uint32_t dim,
                                                   const HnswParams& params) {
  if (dim == 0) return absl::InvalidArgumentError("an HNSW index needs vectors of dimension >= 1");
  if (params.m < kMinIndexM || params.m > kMaxIndexM || params.ef_construction < params.m ||
      params.ef_construction > kMaxIndexEf) {
    return absl::InvalidArgumentError(absl::StrCat("HNSW parameters M = ", params.m,
                                                   ", ef_construction = ", params.ef_construction,
                                                   " are out of range"));
  }
  if (metric == Metric::kHamming && params.quantization != Quantization::kNone) {
    return absl::InvalidArgumentError(
        "Hamming distances compare binary codes already; int8 quantization is for the other "
        "metrics");
  }
  return std::unique_ptr<Hnsw>(new Hnsw(metric, dim, params));
}

absl::Span<const uint32_t> Hnsw::Links(uint32_t slot, int level) const {
  const uint32_t* l = LinksAt(slot, level);
  return absl::MakeConstSpan(l + 1, l[0]);
}

uint64_t Hnsw::MemoryBytes() const {
  return levels_.size() + 8 * codes_.size() +
         4 * (links0_.size() + upper_at_.size() + upper_.size() + inv_norms_.size() + lo_.size() +
              scale_.size());
}

void Hnsw::Lock(uint32_t slot) const {
  std::atomic<uint8_t>& l = locks_[slot & (kLockStripes - 1)];
  while (l.exchange(1, std::memory_order_acquire) != 0) {
    while (l.load(std::memory_order_relaxed) != 0) std::this_thread::yield();
  }
}

void Hnsw::Unlock(uint32_t slot) const {
  locks_[slot & (kLockStripes - 1)].store(0, std::memory_order_release);
}

std::unique_ptr<Hnsw::Searcher> Hnsw::TakeSearcher() const {
  {
    absl::MutexLock lock(&pool_mu_);
    if (!pool_.empty()) {
      std::unique_ptr<Searcher> s = std::move(pool_.back());
      pool_.pop_back();
      return s;
    }
  }
  return std::make_unique<Searcher>(capacity());
}

void Hnsw::ReturnSearcher(std::unique_ptr<Searcher> s) const {
  absl::MutexLock lock(&pool_mu_);
  pool_.push_back(std::move(s));
}

int Hnsw::RandomLevel(uint32_t slot) const {
  uint64_t h = StableHashInt(slot, params_.seed);
  double u = (static_cast<double>(h >> 11) + 0.5) / 9007199254740992.0;  // (0, 1)
  return std::min(kMaxLevel, static_cast<int>(-std::log(u) * level_scale_));
}

void Hnsw::Grow(uint64_t slots) {
  if (slots <= levels_.size()) return;
  levels_.resize(slots, -1);
  links0_.resize(slots * stride0_, 0);
  upper_at_.resize(slots, kNone);
  if (metric_ == Metric::kCosine) inv_norms_.resize(slots, 0.0f);
  codes_.resize(slots * code_words_, 0);
}

Measure Hnsw::MeasureOf(const RowView& rows) const {
  return Measure(metric_, rows, inv_norms_.data(), codes_.data(), code_words_, scale_.data());
}

Probe Hnsw::ProbeOf(const RowView& rows, uint32_t slot) const {
  Probe p{rows.Row(slot)};
  if (metric_ == Metric::kCosine) p.inv_norm = inv_norms_[slot];
  if (metric_ == Metric::kHamming) p.code = &codes_[uint64_t{slot} * code_words_];
  return p;
}

float Hnsw::Distance(const RowView& rows, uint32_t a, uint32_t b) const {
  return MeasureOf(rows)(ProbeOf(rows, a), b);
}

void Hnsw::TakeUnvisited(uint32_t slot, int level, bool locked, Searcher& searcher) const {
  const uint32_t* l = LinksAt(slot, level);
  searcher.links.clear();
  if (locked) Lock(slot);
  for (uint32_t i = 1; i <= l[0]; ++i) {
    if (searcher.Visit(l[i])) searcher.links.push_back(l[i]);
  }
  if (locked) Unlock(slot);
}

void Hnsw::Prefetch(const void* data, uint32_t bytes) const {
  const char* p = static_cast<const char*>(data);
  bytes = std::min(bytes, kPrefetchBytes);
  for (uint32_t at = 0; at < bytes; at += 64) __builtin_prefetch(p + at);
}

void Hnsw::CopyLinks(uint32_t slot, int level, bool locked, Searcher& searcher) const {
  const uint32_t* l = LinksAt(slot, level);
  if (locked) Lock(slot);
  searcher.links.assign(l + 1, l + 1 + l[0]);
  if (locked) Unlock(slot);
}

uint32_t Hnsw::Descend(const RowView& rows, const Probe& p, uint32_t from, int top, int down_to,
                       bool locked, Searcher& searcher) const {
  const Measure measure = MeasureOf(rows);
  uint32_t cur = from;
  float d = measure(p, cur);
  for (int level = top; level > down_to; --level) {
    for (bool changed = true; changed;) {
      changed = false;
      CopyLinks(cur, level, locked, searcher);
      for (uint32_t n : searcher.links) {
        float dn = measure(p, n);
        if (dn < d) {
          d = dn;
          cur = n;
          changed = true;
        }
      }
    }
  }
  return cur;
}

void Hnsw::SearchLevel(const RowView& rows, const Probe& p, uint32_t from, uint32_t ef, int level,
                       const uint64_t* allowed, bool locked, Searcher& searcher) const {
  const Measure measure = MeasureOf(rows);
  auto& cand = searcher.candidates;
  auto& res = searcher.results;
  cand.clear();
  res.clear();
  searcher.Reset(capacity());
  std::greater<HnswHit> min_first;
  searcher.Visit(from);
  float d = measure(p, from);
  cand.push_back({d, from});
  if (IsAllowed(allowed, from)) res.push_back({d, from});
  while (!cand.empty()) {
    HnswHit c = cand.front();
    if (res.size() >= ef && c.distance > res.front().distance) break;
    std::pop_heap(cand.begin(), cand.end(), min_first);
    cand.pop_back();
    // The unvisited neighbours' rows (or codes) are all prefetched before
    // the first is measured, so that their cache misses overlap.
    TakeUnvisited(c.slot, level, locked, searcher);
    const auto& fresh = searcher.links;
    const uint32_t bytes = measure.Bytes(p);
    for (uint32_t n : fresh) Prefetch(measure.Data(p, n), bytes);
    for (uint32_t n : fresh) {
      float dn = measure(p, n);
      if (res.size() < ef || dn < res.front().distance) {
        cand.push_back({dn, n});
        std::push_heap(cand.begin(), cand.end(), min_first);
        if (IsAllowed(allowed, n)) {
          res.push_back({dn, n});
          std::push_heap(res.begin(), res.end());
          if (res.size() > ef) {
            std::pop_heap(res.begin(), res.end());
            res.pop_back();
          }
        }
      }
    }
  }
}

std::vector<HnswHit> Hnsw::Search(const RowView& rows, const float* query, uint32_t k, uint32_t ef,
                                  const uint64_t* allowed) const {
  std::vector<HnswHit> hits;
  if (entry_ == kNone || k == 0) return hits;
  std::unique_ptr<Searcher> searcher = TakeSearcher();
  Probe p{query};
  if (metric_ == Metric::kCosine) p.inv_norm = InverseNorm(query, dim_);
  if (metric_ == Metric::kHamming) {
    searcher->code.resize(code_words_);
    simd::ActiveDistances().sign_bits(query, dim_, 1, searcher->code.data());
    p.code = searcher->code.data();
  }
  const Probe exact = p;
  if (quantized()) PrepareQuery(p, *searcher);
  uint32_t from = Descend(rows, p, entry_, top_level_, 0, false, *searcher);
  SearchLevel(rows, p, from, std::max(ef, k), 0, allowed, false, *searcher);
  hits = std::move(searcher->results);
  searcher->results = {};
  ReturnSearcher(std::move(searcher));
  if (quantized()) {
    Rescore(rows, exact, hits);
  } else {
    std::sort(hits.begin(), hits.end());
  }
  if (hits.size() > k) hits.resize(k);
  if (metric_ == Metric::kL2) {
    for (HnswHit& h : hits) h.distance = std::sqrt(h.distance);
  }
  return hits;
}

void Hnsw::SelectNeighbors(const RowView& rows, std::vector<HnswHit>& candidates, uint32_t max,
                           std::vector<HnswHit>* out) const {
  out->clear();
  std::sort(candidates.begin(), candidates.end());
  for (const HnswHit& c : candidates) {
    if (out->size() >= max) break;
    bool diverse = true;
    for (const HnswHit& s : *out) {
      // A copy of a chosen neighbour (distance 0, which the paper's strict
      // test keeps when c is a copy of the slot too) is no new direction:
      // kept, a group of more than 2M equal vectors (common with short
      // binary codes) would fill its lists with each other and become an
      // island no search leaves or enters.
      const float d = Distance(rows, c.slot, s.slot);
      if (d < c.distance || d == 0) {
        diverse = false;
        break;
      }
    }
    if (diverse) out->push_back(c);
  }
}

void Hnsw::AddBacklink(const RowView& rows, uint32_t to, uint32_t from, int level,
                       Searcher& searcher) {
  uint32_t* l = LinksAt(to, level);
  uint32_t max = MaxLinks(level);
  Lock(to);
  if (l[0] < max) {
    l[1 + l[0]++] = from;
    Unlock(to);
    return;
  }
  auto& cand = searcher.scratch;
  cand.clear();
  for (uint32_t i = 0; i <= l[0]; ++i) {
    uint32_t n = i < l[0] ? l[1 + i] : from;
    cand.push_back({Distance(rows, to, n), n});
  }
  std::vector<HnswHit> kept;
  SelectNeighbors(rows, cand, max, &kept);
  l[0] = static_cast<uint32_t>(kept.size());
  for (size_t i = 0; i < kept.size(); ++i) l[1 + i] = kept[i].slot;
  Unlock(to);
}

void Hnsw::InsertOne(const RowView& rows, uint32_t slot, Searcher& searcher) {
  int level = levels_[slot];
  uint32_t entry;
  int top;
  {
    absl::MutexLock lock(&entry_mu_);
    entry = entry_;
    top = top_level_;
  }
  Probe p = ProbeOf(rows, slot);
  uint32_t cur = entry;
  if (top > level) cur = Descend(rows, p, entry, top, level, true, searcher);
  std::vector<HnswHit> chosen;
  for (int l = std::min(level, top); l >= 0; --l) {
    SearchLevel(rows, p, cur, params_.ef_construction, l, nullptr, true, searcher);
    std::vector<HnswHit> found = searcher.results;
    std::erase_if(found, [slot](const HnswHit& h) { return h.slot == slot; });
    if (found.empty()) continue;
    SelectNeighbors(rows, found, params_.m, &chosen);
    uint32_t* own = LinksAt(slot, l);
    Lock(slot);
    own[0] = static_cast<uint32_t>(chosen.size());
    for (size_t i = 0; i < chosen.size(); ++i) own[1 + i] = chosen[i].slot;
    Unlock(slot);
    for (const HnswHit& n : chosen) AddBacklink(rows, n.slot, slot, l, searcher);
    cur = found.front().slot;  // sorted by SelectNeighbors
  }
  if (level > top) {
    absl::MutexLock lock(&entry_mu_);
    if (level > top_level_) {
      top_level_ = level;
      entry_ = slot;
    }
  }
}

absl::Status Hnsw::Insert(const RowView& rows, absl::Span<const uint32_t> slots, int threads) {
  uint64_t bound = capacity();
  for (uint32_t s : slots) {
    if (s >= rows.rows()) {
      return absl::InvalidArgumentError(
          absl::StrCat("slot ", s, " is past the column's ", rows.rows(), " rows"));
    }
    if (Contains(s)) return absl::InvalidArgumentError(absl::StrCat("slot ", s, " is present"));
    bound = std::max<uint64_t>(bound, uint64_t{s} + 1);
  }
  Grow(bound);
  std::vector<uint32_t> todo;
  todo.reserve(slots.size());
  for (uint32_t s : slots) {
    const float* v = rows.Row(s);
    if (levels_[s] >= 0 || !Finite(v, dim_)) continue;  // a duplicate, or NaN/inf
    int level = RandomLevel(s);
    levels_[s] = static_cast<int8_t>(level);
    if (level > 0) {
      if (upper_free_.size() <= size_t(level)) upper_free_.resize(level + 1);
      std::vector<uint32_t>& free = upper_free_[level];
      if (!free.empty()) {
        upper_at_[s] = free.back();
        free.pop_back();
      } else {
        upper_at_[s] = static_cast<uint32_t>(upper_.size());
        upper_.resize(upper_.size() + uint64_t(level) * stride_, 0);
      }
      for (int l = 1; l <= level; ++l) LinksAt(s, l)[0] = 0;
    }
    LinksAt(s, 0)[0] = 0;
    if (metric_ == Metric::kCosine) inv_norms_[s] = InverseNorm(v, dim_);
    todo.push_back(s);
  }
  if (todo.empty()) return absl::OkStatus();
  present_ += todo.size();
  if (quantized()) {
    Quantize(rows, todo);
  } else if (code_words_ > 0) {
    Encode(rows, todo);
  }
  size_t first = 0;
  if (entry_ == kNone) {
    entry_ = todo[0];
    top_level_ = levels_[todo[0]];
    first = 1;
  }
  ThreadPool::Shared().ParallelFor(threads, todo.size() - first, 16,
                                   [&](uint64_t begin, uint64_t end, int) {
                                     std::unique_ptr<Searcher> s = TakeSearcher();
                                     for (uint64_t i = begin; i < end; ++i) {
                                       InsertOne(rows, todo[first + i], *s);
                                     }
                                     ReturnSearcher(std::move(s));
                                   });
  LinkUnreachable(rows, todo, threads);
  return absl::OkStatus();
}

}  // namespace nendb::vec
