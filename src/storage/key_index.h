// KeyIndex: O(1) lookup of a node by (label, key). An open-addressing hash
// table with linear probing, stored as a column of 64-bit slots so that it
// is saved in snapshots and mapped back without rebuilding: each slot holds
// the node id + 1 (0: empty, 0xFFFFFFFF: deleted) and the high 32 bits of the
// key's hash as a fingerprint, whose top bits also pick the entry's first
// slot. The hash is a stable XXH3 of the key seeded with the label id. A node
// with several labels has one entry per label.
//
// Ownership and thread-safety: see Cow and Column.
#ifndef NENDB_STORAGE_KEY_INDEX_H_
#define NENDB_STORAGE_KEY_INDEX_H_

#include <cstdint>

#include "absl/strings/string_view.h"
#include "nendb/types.h"
#include "nendb/value.h"
#include "storage/column.h"
#include "storage/label_sets.h"
#include "storage/node_table.h"
#include "storage/string_heap.h"

namespace nendb {

// A key as stored: kind, and the int or the string bytes.
struct KeyView {
  Key::Kind kind = Key::Kind::kNone;
  int64_t i = 0;
  absl::string_view s;

  static KeyView Of(const Key& k) {
    KeyView v;
    v.kind = k.kind();
    if (v.kind == Key::Kind::kInt) v.i = k.int64();
    if (v.kind == Key::Kind::kString) v.s = k.string();
    return v;
  }
  static KeyView OfNode(const NodeTable& nodes, const StringHeap& heap, uint64_t node);
  Key ToKey() const;
  bool operator==(const KeyView& o) const {
    return kind == o.kind && (kind == Key::Kind::kInt ? i == o.i : s == o.s);
  }
};

struct KeyIndex {
  TxnId owner = 0;
  Column<uint64_t> slots;  // capacity: 0 or a power of two
  uint64_t live = 0;
  uint64_t tombstones = 0;

  void Fork(TxnId txn) {
    owner = txn;
    slots.Fork();
  }

  static uint64_t Hash(uint32_t label, const KeyView& key);

  // The node with the label and key, or kNoNode.
  uint64_t Find(uint32_t label, const KeyView& key, const NodeTable& nodes, const LabelSets& labels,
                const StringHeap& heap) const {
    return FindHashed(label, key, Hash(label, key), nodes, labels, heap);
  }
  // Find and Insert with the key's Hash() already known.
  uint64_t FindHashed(uint32_t label, const KeyView& key, uint64_t hash, const NodeTable& nodes,
                      const LabelSets& labels, const StringHeap& heap) const;
  // Adds an entry (the key must be absent for the label). Call Reserve first.
  void Insert(uint32_t label, const KeyView& key, uint32_t node, const WriteCtx& ctx) {
    InsertHashed(Hash(label, key), node, ctx);
  }
  void InsertHashed(uint64_t hash, uint32_t node, const WriteCtx& ctx) {
    Place(static_cast<uint32_t>(hash >> 32), node, ctx);
  }
  // Asks the CPU to load the first slot of a key with this hash: bulk loops
  // hash a block of keys and prefetch them all before probing, so that the
  // cache misses overlap instead of following each other.
  void Prefetch(uint64_t hash) const;
  // Prefetches what FindHashed reads of the node in the key's home slot (a
  // slot Prefetch() asked for a while before), so that a batch of lookups
  // waits for memory twice per block rather than once per access.
  void PrefetchCandidate(uint32_t label, uint64_t hash, const NodeTable& nodes,
                         const LabelSets& labels) const;
  // Removes the entry of node under label.
  void Erase(uint32_t label, const KeyView& key, uint32_t node, const WriteCtx& ctx);
  // Makes room for `more` insertions, regrowing the table from its own slots
  // if it would get too full.
  void Reserve(uint64_t more, const WriteCtx& ctx);

  // The fingerprint picks the first slot, so the table holds at most 2^32.
  static constexpr uint64_t kMaxSlots = uint64_t{1} << 32;

 private:
  void Place(uint32_t print, uint32_t node, const WriteCtx& ctx);
};

}  // namespace nendb

#endif  // NENDB_STORAGE_KEY_INDEX_H_
