#include "storage/key_index.h"

#include <bit>

#include "util/hash.h"

namespace nendb {
namespace {

constexpr uint32_t kTombstone = 0xFFFFFFFFu;

uint32_t SlotNode(uint64_t slot) { return static_cast<uint32_t>(slot); }  // node + 1
uint32_t SlotPrint(uint64_t slot) { return static_cast<uint32_t>(slot >> 32); }

// An entry's first slot: the top bits of its hash, which the fingerprint
// holds, so a table can be regrown from its slots alone (and in slot order,
// which keeps the writes to the new table nearly sequential).
uint64_t Home(uint32_t print, uint64_t cap) {
  const int bits = std::countr_zero(cap);
  return bits == 0 ? 0 : print >> (32 - bits);
}

}  // namespace

KeyView KeyView::OfNode(const NodeTable& nodes, const StringHeap& heap, uint64_t node) {
  KeyView v;
  const uint8_t kind = nodes.flags.Get(node) & kKeyKindMask;
  v.kind = static_cast<Key::Kind>(kind);
  const uint64_t raw = nodes.key.Get(node);
  if (kind == kKeyInt) v.i = static_cast<int64_t>(raw);
  if (kind == kKeyString) v.s = heap.Get(raw);
  return v;
}

Key KeyView::ToKey() const {
  switch (kind) {
    case Key::Kind::kInt:
      return Key(i);
    case Key::Kind::kString:
      return Key(s);
    case Key::Kind::kNone:
      break;
  }
  return Key();
}

uint64_t KeyIndex::Hash(uint32_t label, const KeyView& key) {
  // Different seeds for int and string keys: 7 and "7" are different keys.
  const uint64_t seed = (uint64_t{label} << 2) | static_cast<uint64_t>(key.kind);
  if (key.kind == Key::Kind::kInt) return StableHashInt(static_cast<uint64_t>(key.i), seed);
  return StableHash(key.s.data(), key.s.size(), seed);
}

uint64_t KeyIndex::FindHashed(uint32_t label, const KeyView& key, uint64_t hash,
                              const NodeTable& nodes, const LabelSets& labels,
                              const StringHeap& heap) const {
  const uint64_t cap = slots.size();
  if (cap == 0) return kNoNode;
  const uint32_t print = static_cast<uint32_t>(hash >> 32);
  for (uint64_t i = Home(print, cap), probes = 0; probes < cap; i = (i + 1) & (cap - 1), ++probes) {
    const uint64_t s = slots.Get(i);
    const uint32_t n1 = SlotNode(s);
    if (n1 == 0) return kNoNode;
    if (n1 == kTombstone || SlotPrint(s) != print) continue;
    const uint64_t node = n1 - 1;
    if (nodes.IsLive(node) && labels.Has(label, node) &&
        KeyView::OfNode(nodes, heap, node) == key) {
      return node;
    }
  }
  return kNoNode;
}

void KeyIndex::Prefetch(uint64_t hash) const {
  const uint64_t cap = slots.size();
  if (cap != 0) __builtin_prefetch(slots.raw().At(Home(static_cast<uint32_t>(hash >> 32), cap)));
}

void KeyIndex::PrefetchCandidate(uint32_t label, uint64_t hash, const NodeTable& nodes,
                                 const LabelSets& labels) const {
  const uint64_t cap = slots.size();
  if (cap == 0) return;
  const uint32_t n1 = SlotNode(slots.Get(Home(static_cast<uint32_t>(hash >> 32), cap)));
  if (n1 == 0 || n1 == kTombstone || n1 > nodes.slots()) return;
  const uint64_t node = n1 - 1;
  __builtin_prefetch(nodes.label.raw().At(node));
  __builtin_prefetch(nodes.flags.raw().At(node));
  __builtin_prefetch(nodes.key.raw().At(node));
  if (label < labels.members.size() && node < labels.members[label].size()) {
    __builtin_prefetch(labels.members[label].words().raw().At(node >> 6));
  }
}

void KeyIndex::Place(uint32_t print, uint32_t node, const WriteCtx& ctx) {
  const uint64_t cap = slots.size();
  for (uint64_t i = Home(print, cap);; i = (i + 1) & (cap - 1)) {
    const uint32_t n1 = SlotNode(slots.Get(i));
    if (n1 == 0 || n1 == kTombstone) {
      if (n1 == kTombstone) --tombstones;
      slots.Set(i, (uint64_t{print} << 32) | (uint64_t{node} + 1), ctx);
      ++live;
      return;
    }
  }
}

void KeyIndex::Erase(uint32_t label, const KeyView& key, uint32_t node, const WriteCtx& ctx) {
  const uint64_t cap = slots.size();
  if (cap == 0) return;
  const uint32_t print = static_cast<uint32_t>(Hash(label, key) >> 32);
  for (uint64_t i = Home(print, cap), probes = 0; probes < cap; i = (i + 1) & (cap - 1), ++probes) {
    const uint64_t s = slots.Get(i);
    const uint32_t n1 = SlotNode(s);
    if (n1 == 0) return;
    if (n1 == uint64_t{node} + 1 && SlotPrint(s) == print) {
      slots.Set(i, kTombstone, ctx);
      --live;
      ++tombstones;
      return;
    }
  }
}

void KeyIndex::Reserve(uint64_t more, const WriteCtx& ctx) {
  const uint64_t cap = slots.size();
  // Keep the table at most 70% full, counting tombstones.
  if ((live + tombstones + more) * 10 <= cap * 7) return;
  const uint64_t want =
      std::min(kMaxSlots, std::max<uint64_t>(1024, std::bit_ceil((live + more) * 2)));
  KeyIndex fresh;
  fresh.owner = ctx.txn;
  fresh.slots.Resize(want, ctx);
  // Entries wrapped around the end come first in slot order but belong at the
  // end: start after the first empty slot so each run is copied in order.
  uint64_t start = 0;
  while (start < cap && SlotNode(slots.Get(start)) != 0) ++start;
  for (uint64_t k = 0; k < cap; ++k) {
    const uint64_t s = slots.Get((start + k) & (cap - 1));
    const uint32_t n1 = SlotNode(s);
    if (n1 != 0 && n1 != kTombstone) fresh.Place(SlotPrint(s), n1 - 1, ctx);
  }
  *this = std::move(fresh);
}

}  // namespace nendb
