// Bulk inputs: columns of many nodes' or edges' values, borrowed from the
// caller (numpy arrays, Arrow buffers, std::vectors) and read during the one
// call that inserts them. Nothing here owns memory; the caller keeps the
// buffers alive and unchanged for the duration of that call.
#ifndef NENDB_BATCH_H_
#define NENDB_BATCH_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "nendb/types.h"

namespace nendb {

// n strings in Arrow's layout: string i is bytes[offsets[i], offsets[i+1]).
struct StringColumn {
  absl::Span<const uint64_t> offsets;  // n + 1 entries, non-decreasing
  absl::string_view bytes;
  size_t size() const { return offsets.empty() ? 0 : offsets.size() - 1; }
  absl::string_view at(size_t i) const {
    return bytes.substr(offsets[i], offsets[i + 1] - offsets[i]);
  }
};

// One property for every row of a batch.
struct BulkColumn {
  std::string name;
  ValueType type = ValueType::kNull;
  // Exactly one of these holds the values, by type: int64, float64, bool
  // (one byte per row, 0 or 1), vector (rows * dim floats, row-major), string.
  absl::Span<const int64_t> int64s;
  absl::Span<const double> float64s;
  absl::Span<const uint8_t> bools;
  absl::Span<const float> floats;
  uint32_t dim = 0;
  StringColumn strings;
  // Optional: 1 where the row has a value, 0 for null. Empty means all valid.
  absl::Span<const uint8_t> valid;

  static BulkColumn Int64(std::string name, absl::Span<const int64_t> v);
  static BulkColumn Float64(std::string name, absl::Span<const double> v);
  static BulkColumn Bool(std::string name, absl::Span<const uint8_t> v);
  static BulkColumn Vector(std::string name, absl::Span<const float> v, uint32_t dim);
  static BulkColumn String(std::string name, StringColumn v);
  size_t rows() const;  // number of rows the values describe
};

// Keys for every row of a node batch: none, int64 or strings.
struct BulkKeys {
  absl::Span<const int64_t> ints;
  StringColumn strings;
  bool empty() const { return ints.empty() && strings.size() == 0; }
};

struct NodeBatch {
  std::vector<std::string> labels;  // every node gets all of them; first is primary
  size_t count = 0;
  BulkKeys keys;  // empty or count keys
  std::vector<BulkColumn> properties;
};

struct EdgeBatch {
  absl::Span<const NodeId> sources;
  absl::Span<const NodeId> targets;
  std::string type;
  absl::Span<const double> weights;  // empty means 1.0 for all
  std::vector<BulkColumn> properties;
};

}  // namespace nendb

#endif  // NENDB_BATCH_H_
