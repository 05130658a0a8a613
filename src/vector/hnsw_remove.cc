// Hnsw::Remove: deletion without tombstones. Every node that linked to a
// removed one chooses its links again, by the insertion heuristic, among the
// links it keeps and the links of the removed nodes it lost (their
// neighbourhood is where the paths through them led), as hnswlib's
// repairConnectionsForUpdate does for a changed element.
#include <vector>

#include "util/thread_pool.h"
#include "vector/hnsw.h"
#include "vector/hnsw_search.h"

namespace nendb::vec {

void Hnsw::RelinkAfterRemoval(const RowView& rows, uint32_t slot, int level,
                              const std::vector<uint8_t>& removed, Searcher& searcher) {
  uint32_t* own = LinksAt(slot, level);
  bool lost = false;
  for (uint32_t i = 0; i < own[0] && !lost; ++i) lost = removed[own[1 + i]] != 0;
  if (!lost) return;
  searcher.Reset(capacity());
  searcher.Visit(slot);
  std::vector<HnswHit>& cand = searcher.scratch;
  cand.clear();
  auto offer = [&](uint32_t n) {
    if (!removed[n] && searcher.Visit(n)) cand.push_back({Distance(rows, slot, n), n});
  };
  for (uint32_t i = 0; i < own[0]; ++i) {
    uint32_t n = own[1 + i];
    if (!removed[n]) {
      offer(n);
      continue;
    }
    const uint32_t* theirs = LinksAt(n, level);
    for (uint32_t j = 0; j < theirs[0]; ++j) offer(theirs[1 + j]);
  }
  std::vector<HnswHit> kept;
  SelectNeighbors(rows, cand, MaxLinks(level), &kept);
  own[0] = static_cast<uint32_t>(kept.size());
  for (size_t i = 0; i < kept.size(); ++i) own[1 + i] = kept[i].slot;
}

// Makes `to` link to `slot` at level 0: appended if there is room, else in
// place of to's farthest link.
void Hnsw::ForceLink(const RowView& rows, uint32_t to, uint32_t slot) {
  uint32_t* theirs = LinksAt(to, 0);
  for (uint32_t i = 0; i < theirs[0]; ++i) {
    if (theirs[1 + i] == slot) return;
  }
  if (theirs[0] < MaxLinks(0)) {
    theirs[1 + theirs[0]++] = slot;
    return;
  }
  uint32_t worst = 0;
  float worst_d = -1;
  for (uint32_t i = 0; i < theirs[0]; ++i) {
    const float d = Distance(rows, to, theirs[1 + i]);
    if (d > worst_d) worst_d = d, worst = i;
  }
  theirs[1 + worst] = slot;
}

void Hnsw::LinkUnreachable(const RowView& rows, absl::Span<const uint32_t> slots, int threads) {
  if (present_ < 2) return;
  std::vector<uint8_t> linked(capacity(), 0);
  for (uint64_t slot = 0; slot < capacity(); ++slot) {
    if (levels_[slot] < 0) continue;
    const uint32_t* l = LinksAt(uint32_t(slot), 0);
    for (uint32_t i = 0; i < l[0]; ++i) linked[l[1 + i]] = 1;
  }
  std::vector<uint32_t> check(slots.begin(), slots.end());
  for (uint64_t slot = 0; slot < capacity(); ++slot) {
    if (levels_[slot] >= 0 && !linked[slot]) check.push_back(uint32_t(slot));
  }
  // Searches for each vector (in parallel, nothing changes meanwhile); a
  // slot its own search misses gets a link from where the search landed.
  std::vector<uint32_t> landed(check.size(), kNone);
  ThreadPool::Shared().ParallelFor(
      threads, check.size(), 256, [&](uint64_t begin, uint64_t end, int) {
        for (uint64_t i = begin; i < end; ++i) {
          const uint32_t s = check[i];
          if (!Contains(s) || s == entry_) continue;
          std::vector<HnswHit> found = Search(rows, rows.Row(s), 1, 2 * params_.m, nullptr);
          if (!found.empty() && found[0].slot != s) {
            landed[i] = found[0].slot;
          }
        }
      });
  for (size_t i = 0; i < check.size(); ++i) {
    if (landed[i] != kNone) ForceLink(rows, landed[i], check[i]);
  }
}

void Hnsw::Remove(const RowView& rows, absl::Span<const uint32_t> slots, int threads) {
  std::vector<uint8_t> removed(capacity(), 0);
  uint64_t count = 0;
  for (uint32_t s : slots) {
    if (Contains(s) && !removed[s]) {
      removed[s] = 1;
      ++count;
    }
  }
  if (count == 0) return;
  // Each staying slot writes only its own links and reads those of removed
  // slots, which this phase never changes: no locks needed.
  ThreadPool::Shared().ParallelFor(threads, capacity(), 4096,
                                   [&](uint64_t begin, uint64_t end, int) {
                                     std::unique_ptr<Searcher> s = TakeSearcher();
                                     for (uint64_t slot = begin; slot < end; ++slot) {
                                       if (levels_[slot] < 0 || removed[slot]) continue;
                                       for (int l = 0; l <= levels_[slot]; ++l) {
                                         RelinkAfterRemoval(rows, uint32_t(slot), l, removed, *s);
                                       }
                                     }
                                     ReturnSearcher(std::move(s));
                                   });
  for (uint64_t slot = 0; slot < capacity(); ++slot) {
    if (!removed[slot]) continue;
    int level = levels_[slot];
    if (level > 0) {
      // A graph read from a file has no free lists yet.
      if (upper_free_.size() <= size_t(level)) upper_free_.resize(level + 1);
      upper_free_[level].push_back(upper_at_[slot]);
    }
    upper_at_[slot] = kNone;
    levels_[slot] = -1;
    links0_[slot * stride0_] = 0;
  }
  present_ -= count;
  if (entry_ != kNone && removed[entry_]) {
    entry_ = kNone;
    top_level_ = -1;
    for (uint64_t slot = 0; slot < capacity(); ++slot) {
      if (levels_[slot] > top_level_) {
        top_level_ = levels_[slot];
        entry_ = uint32_t(slot);
      }
    }
  }
  LinkUnreachable(rows, {}, threads);
}

}  // namespace nendb::vec
