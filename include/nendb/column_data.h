// Bulk outputs: many nodes' or edges' values of one property (or their keys,
// labels or types), read in one call for data frames and Arrow tables. The
// counterpart of nendb/batch.h: there the caller lends buffers to an insert,
// here a read fills buffers the caller then owns (a binding can hand them to
// numpy or Arrow without copying).
//
// Plain values: a ColumnData is owned by whoever holds it; not thread-safe
// to fill from several threads at once.
#ifndef NENDB_COLUMN_DATA_H_
#define NENDB_COLUMN_DATA_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "nendb/types.h"

namespace nendb {

// One value (or null) per row, in the layout of BulkColumn. Only the vector
// of the column's type is filled; null rows hold zeros (an empty string).
struct ColumnData {
  ValueType type = ValueType::kNull;  // kNull: no row has a value
  uint32_t dim = 0;                   // vectors: floats per row
  size_t rows = 0;
  std::vector<int64_t> int64s;    // rows values
  std::vector<double> float64s;   // rows values
  std::vector<uint8_t> bools;     // rows values, 0 or 1
  std::vector<float> floats;      // rows * dim values, row-major
  std::vector<uint64_t> offsets;  // strings: rows + 1 offsets into bytes
  std::string bytes;
  std::vector<uint8_t> valid;  // rows flags: 1 where the row has a value

  // Rows with a value.
  size_t CountValid() const {
    size_t n = 0;
    for (uint8_t v : valid) n += v;
    return n;
  }
};

// Names and, per row, indexes into them: the labels of nodes or the types of
// edges. A node's labels are row i's entries
// codes[offsets[i], offsets[i + 1]), its primary label first; an edge has
// exactly one type, so offsets is empty and codes has one entry per row.
struct NameCodes {
  std::vector<std::string> names;  // every label (or edge type), by index
  std::vector<uint32_t> codes;
  std::vector<uint64_t> offsets;
};

}  // namespace nendb

#endif  // NENDB_COLUMN_DATA_H_
