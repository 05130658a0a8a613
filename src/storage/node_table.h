// NodeTable: one row per node slot, indexed by NodeId.
//
// Columns: primary label (kFreeSlot marks a free slot), row in the primary
// label's property table, generation (bumped on delete), flags (key kind,
// extra labels) and the key (int64 bits or a StringRef). Free slots form a
// chain through the row column and are reused by later single inserts.
//
// Ownership and thread-safety: see Cow and Column.
#ifndef NENDB_STORAGE_NODE_TABLE_H_
#define NENDB_STORAGE_NODE_TABLE_H_

#include <cstdint>

#include "storage/arena.h"
#include "storage/column.h"

namespace nendb {

inline constexpr uint32_t kFreeSlot = 0xFFFFFFFFu;  // label/type of a free slot
inline constexpr uint32_t kNoRow = 0xFFFFFFFFu;     // no property row; end of a chain

enum NodeFlag : uint8_t {
  kKeyNone = 0,
  kKeyInt = 1,
  kKeyString = 2,
  kKeyKindMask = 3,
  kHasExtraLabels = 4,  // labels beyond the primary one
};

struct NodeTable {
  TxnId owner = 0;
  Column<uint32_t> label;
  Column<uint32_t> row;
  Column<uint32_t> gen;
  Column<uint8_t> flags;
  Column<uint64_t> key;
  uint64_t live = 0;
  uint32_t free_head = kNoRow;
  uint64_t free_count = 0;

  uint64_t slots() const { return label.size(); }
  bool IsLive(uint64_t id) const { return id < slots() && label.Get(id) != kFreeSlot; }
  void Fork(TxnId txn) {
    owner = txn;
    label.Fork();
    row.Fork();
    gen.Fork();
    flags.Fork();
    key.Fork();
  }
};

}  // namespace nendb

#endif  // NENDB_STORAGE_NODE_TABLE_H_
