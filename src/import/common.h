// Pieces shared by the node, edge and triple importers: checks of single
// cells, property columns being read, and batched bulk inserts.
//
// Plain functions and values, not synchronized.
#ifndef NENDB_IMPORT_COMMON_H_
#define NENDB_IMPORT_COMMON_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "import/columns.h"
#include "import/csv_reader.h"
#include "nendb/import.h"
#include "nendb/transaction.h"

namespace nendb::csv_import {

// Rows per bulk insert call.
inline constexpr size_t kBatchRows = size_t{1} << 20;

// A column of the file that becomes a property, while it is read.
struct PropertyInput {
  size_t index = 0;  // in the header
  std::string name;
  std::optional<ValueType> type;  // fixed by the format or the label's column
  std::string type_origin;        // why it is fixed, for messages
  std::string required_by;        // the label whose schema requires it
  RawColumn raw;
};

// The columns of the header but the given ones, as property inputs with the
// types the format declares. Fails if a column's name is not a valid
// property name.
absl::StatusOr<std::vector<PropertyInput>> PropertyInputs(const class Header& header,
                                                          const CsvFormat& format,
                                                          const std::vector<size_t>& excluded);

// Why a cell cannot be the value of the property column, or "" if it can.
std::string CellProblem(const CsvCell& cell, const PropertyInput& column);
// Why a cell cannot be a node key (what: e.g. "source key"), or "".
std::string KeyProblem(const CsvCell& cell, absl::string_view what, absl::string_view column);

// Appends the row's property cells; call after every CellProblem was "".
void AppendProperties(const CsvRecord& record, std::vector<PropertyInput>& columns);

// Typed columns with the fixed or inferred types; columns without a fixed
// type whose cells are all empty are left out.
std::vector<TypedColumn> ToTyped(std::vector<PropertyInput> inputs);
// Slices [begin, end) of every column.
std::vector<BulkColumn> SliceAll(const std::vector<TypedColumn>& columns, size_t begin, size_t end);

// The error for a bulk insert that failed after earlier batches of the same
// call went in (a bug: every row was checked first).
absl::Status PartialInsertError(absl::string_view path, const absl::Status& status,
                                uint64_t rows_inserted);

// Fills result's skipped-row fields from bad.
void CountSkipped(const BadRows& bad, ImportResult& result);

}  // namespace nendb::csv_import

#endif  // NENDB_IMPORT_COMMON_H_
