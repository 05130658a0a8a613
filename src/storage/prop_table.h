// PropTable: the properties of the nodes of one label (or the edges of one
// type), column-wise. A row belongs to one entity; each property is a typed
// column with a validity bit per row (no bit: null). Rows are allocated the
// first time an entity gets a property and reused after it goes away.
//
// Value layout per type: int64, float64 and strings (StringRef) take 8 bytes,
// bool 1 byte, a vector dim float32s.
//
// Ownership and thread-safety: see Cow and Column.
#ifndef NENDB_STORAGE_PROP_TABLE_H_
#define NENDB_STORAGE_PROP_TABLE_H_

#include <cstdint>
#include <vector>

#include "nendb/value.h"
#include "storage/column.h"
#include "storage/node_table.h"
#include "storage/string_heap.h"

namespace nendb {

struct PropColumn {
  uint32_t name = 0;  // property-name id
  ValueType type = ValueType::kNull;
  uint32_t dim = 0;
  RawColumn values;
  BitColumn valid;
  // Vector columns: the rows the table's current write transaction set,
  // cleared or freed (with repeats), which vector indexes fold in at commit.
  // Cleared by Fork.
  std::vector<uint32_t> changed;
};

// Bytes one value of the type takes in a column.
uint32_t ValueBytes(ValueType type, uint32_t dim);

struct PropTable {
  TxnId owner = 0;
  Column<uint32_t> entity;  // the row's node id or edge slot; next free row when unused
  BitColumn used;
  std::vector<PropColumn> columns;
  uint64_t live = 0;
  uint32_t free_head = kNoRow;

  uint64_t rows() const { return entity.size(); }
  int FindColumn(uint32_t name) const {
    for (size_t i = 0; i < columns.size(); ++i) {
      if (columns[i].name == name) return static_cast<int>(i);
    }
    return -1;
  }
  void Fork(TxnId txn);

  PropColumn& AddColumn(uint32_t name, ValueType type, uint32_t dim, const WriteCtx& ctx);
  uint32_t AllocRow(uint32_t entity_id, const WriteCtx& ctx);
  void FreeRow(uint32_t row, const WriteCtx& ctx);

  bool Has(const PropColumn& c, uint32_t row) const {
    return row < c.valid.size() && c.valid.Get(row);
  }
  // The value of column c at row (null if unset). Strings are read from heap.
  Value Get(const PropColumn& c, uint32_t row, const StringHeap& heap) const;
  // Stores v (of the column's type, or null) at row.
  void Set(PropColumn& c, uint32_t row, const Value& v, StringHeap& heap, const WriteCtx& ctx);
};

}  // namespace nendb

#endif  // NENDB_STORAGE_PROP_TABLE_H_
