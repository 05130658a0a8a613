// Column buffers for the CSV importers: the text of a column's cells as read
// (RawColumn), the parsing and inference of cell types, and the typed values
// (TypedColumn) that the bulk inserts borrow batch by batch.
//
// Plain values, not synchronized.
#ifndef NENDB_IMPORT_COLUMNS_H_
#define NENDB_IMPORT_COLUMNS_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "nendb/batch.h"
#include "nendb/types.h"

namespace nendb::csv_import {

// Cell parsers; each accepts the whole text or nothing.
bool ParseInt64(absl::string_view s, int64_t* out);  // [+-]digits
bool ParseFloat64(absl::string_view s,
                  double* out);                  // decimal or exponent form, inf, nan
bool ParseBool(absl::string_view s, bool* out);  // true/false, any case
// Whether a non-empty cell parses as the type (any text is a string).
bool Parses(absl::string_view s, ValueType type);
// For messages: a cell's text quoted, escaped and cut to a readable length;
// and e.g. "\"x1\" is not an int64".
std::string Quote(absl::string_view cell);
std::string NotA(absl::string_view cell, ValueType type);

// The cells of one column in Arrow's string layout, with a validity flag per
// cell: 0 for null (an unquoted empty cell).
class RawColumn {
 public:
  RawColumn() : offsets_{0} {}

  void Append(absl::string_view text, bool null) {
    bytes_.append(text.data(), text.size());
    offsets_.push_back(bytes_.size());
    valid_.push_back(null ? 0 : 1);
  }
  size_t size() const { return valid_.size(); }
  bool null(size_t i) const { return valid_[i] == 0; }
  absl::string_view at(size_t i) const {
    return absl::string_view(bytes_).substr(offsets_[i], offsets_[i + 1] - offsets_[i]);
  }
  // Keeps the rows whose keep flag is 1.
  void Filter(absl::Span<const uint8_t> keep);
  StringColumn strings() const { return StringColumn{offsets_, bytes_}; }
  absl::Span<const uint8_t> valid() const { return valid_; }

 private:
  friend class TypedColumn;
  std::string bytes_;
  std::vector<uint64_t> offsets_;
  std::vector<uint8_t> valid_;
};

// The type of a column from its non-empty cells: int64 if all are integers,
// else float64 if all are numbers, else bool if all are true/false, else
// string; kNull if every cell is empty.
ValueType InferType(const RawColumn& column);

// A column of one type. Strings keep the raw layout; for other types an
// empty cell is null.
class TypedColumn {
 public:
  // Converts the cells, which must parse as the type (checked while reading).
  static TypedColumn Convert(std::string name, ValueType type, RawColumn raw);

  const std::string& name() const { return name_; }
  ValueType type() const { return type_; }
  size_t size() const { return valid_.size(); }
  // Rows [begin, end) as a bulk column borrowing this column's storage.
  BulkColumn Slice(size_t begin, size_t end) const;
  // A new column of the given rows, in that order.
  TypedColumn Gather(absl::Span<const uint32_t> rows) const;

 private:
  std::string name_;
  ValueType type_ = ValueType::kNull;
  std::vector<int64_t> ints_;
  std::vector<double> floats_;
  std::vector<uint8_t> bools_;
  std::string bytes_;
  std::vector<uint64_t> offsets_;
  std::vector<uint8_t> valid_;
  bool all_valid_ = true;
};

}  // namespace nendb::csv_import

#endif  // NENDB_IMPORT_COLUMNS_H_
