// EdgeTable: one row per edge slot. EdgeId = generation << 32 | slot.
//
// Columns: source, target, type (kFreeSlot marks a dead slot), generation,
// row in the type's property table (or the next slot of a free chain) and
// weight. A deleted edge's slot is "pending" until the adjacency no longer
// lists it (the next adjacency rebuild or checkpoint), then "free" for reuse,
// so a stale adjacency entry can never point at a newer edge.
//
// Ownership and thread-safety: see Cow and Column.
#ifndef NENDB_STORAGE_EDGE_TABLE_H_
#define NENDB_STORAGE_EDGE_TABLE_H_

#include <cstdint>
#include <vector>

#include "nendb/types.h"
#include "storage/column.h"
#include "storage/node_table.h"

namespace nendb {

inline constexpr EdgeId MakeEdgeId(uint32_t slot, uint32_t gen) {
  return (uint64_t{gen} << 32) | slot;
}
inline constexpr uint32_t EdgeSlot(EdgeId id) { return static_cast<uint32_t>(id); }
inline constexpr uint32_t EdgeGen(EdgeId id) { return static_cast<uint32_t>(id >> 32); }

struct EdgeTable {
  TxnId owner = 0;
  Column<uint32_t> src;
  Column<uint32_t> dst;
  Column<uint32_t> type;
  Column<uint32_t> gen;
  Column<uint32_t> row;
  Column<double> weight;
  uint64_t live = 0;
  std::vector<uint64_t> type_counts;  // live edges by type id
  uint32_t free_head = kNoRow;        // reusable slots
  uint64_t free_count = 0;
  uint32_t pending_head = kNoRow;  // dead slots still listed by the adjacency
  uint64_t pending_count = 0;
  // What the adjacency compaction policy looks at: edges added since pending
  // slots were last freed, and the live edges then. Part of the logical
  // state (slot reuse follows them), so a replay reproduces them exactly
  // even when it builds its adjacency at other times.
  uint64_t added_since_rebuild = 0;
  uint64_t live_at_rebuild = 0;

  uint64_t slots() const { return type.size(); }
  bool IsLiveSlot(uint64_t slot) const { return slot < slots() && type.Get(slot) != kFreeSlot; }
  bool IsLive(EdgeId id) const {
    return IsLiveSlot(EdgeSlot(id)) && gen.Get(EdgeSlot(id)) == EdgeGen(id);
  }
  void CountType(uint32_t type, int64_t delta) {
    if (type >= type_counts.size()) type_counts.resize(type + 1);
    type_counts[type] += delta;
  }
  void Fork(TxnId txn) {
    owner = txn;
    src.Fork();
    dst.Fork();
    type.Fork();
    gen.Fork();
    row.Fork();
    weight.Fork();
  }
};

}  // namespace nendb

#endif  // NENDB_STORAGE_EDGE_TABLE_H_
