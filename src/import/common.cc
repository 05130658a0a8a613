// Implements common.h.
#include "import/common.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "import/header.h"
#include "nendb/types.h"
#include "util/utf8.h"

namespace nendb::csv_import {

absl::StatusOr<std::vector<PropertyInput>> PropertyInputs(const Header& header,
                                                          const CsvFormat& format,
                                                          const std::vector<size_t>& excluded) {
  std::vector<PropertyInput> out;
  for (size_t i = 0; i < header.size(); ++i) {
    if (std::find(excluded.begin(), excluded.end(), i) != excluded.end()) continue;
    if (absl::Status s = header.CheckPropertyName(i); !s.ok()) return s;
    PropertyInput in;
    in.index = i;
    in.name = header.name(i);
    in.type = DeclaredType(format, in.name);
    if (in.type) in.type_origin = "as declared";
    out.push_back(std::move(in));
  }
  return out;
}

std::string CellProblem(const CsvCell& cell, const PropertyInput& column) {
  if (cell.empty()) {
    const bool missing = cell.null || column.type != ValueType::kString;
    if (!column.required_by.empty() && missing) {
      return absl::StrCat("column \"", column.name, "\" is empty, but label \"", column.required_by,
                          "\" requires a value");
    }
    return "";
  }
  if (cell.text.size() > kMaxStringBytes) {
    return absl::StrCat("column \"", column.name, "\" holds ", cell.text.size(),
                        " bytes; the limit is ", kMaxStringBytes);
  }
  if (!IsValidUtf8(cell.text))
    return absl::StrCat("column \"", column.name, "\" is not valid UTF-8");
  if (column.type && !Parses(cell.text, *column.type)) {
    return absl::StrCat("column \"", column.name, "\": ", NotA(cell.text, *column.type), " (",
                        column.type_origin, ")");
  }
  return "";
}

std::string KeyProblem(const CsvCell& cell, absl::string_view what, absl::string_view column) {
  if (cell.empty()) return absl::StrCat("the ", what, " in column \"", column, "\" is empty");
  if (cell.text.size() > kMaxKeyBytes) {
    return absl::StrCat("the ", what, " in column \"", column, "\" is ", cell.text.size(),
                        " bytes; the limit is ", kMaxKeyBytes);
  }
  if (!IsValidUtf8(cell.text)) {
    return absl::StrCat("the ", what, " in column \"", column, "\" is not valid UTF-8");
  }
  return "";
}

void AppendProperties(const CsvRecord& record, std::vector<PropertyInput>& columns) {
  for (PropertyInput& c : columns) {
    const CsvCell& cell = record.cells[c.index];
    c.raw.Append(cell.text, cell.null);
  }
}

std::vector<TypedColumn> ToTyped(std::vector<PropertyInput> inputs) {
  std::vector<TypedColumn> out;
  for (PropertyInput& in : inputs) {
    const ValueType type = in.type ? *in.type : InferType(in.raw);
    if (type == ValueType::kNull) continue;
    out.push_back(TypedColumn::Convert(std::move(in.name), type, std::move(in.raw)));
  }
  return out;
}

std::vector<BulkColumn> SliceAll(const std::vector<TypedColumn>& columns, size_t begin,
                                 size_t end) {
  std::vector<BulkColumn> out;
  out.reserve(columns.size());
  for (const TypedColumn& c : columns) out.push_back(c.Slice(begin, end));
  return out;
}

absl::Status PartialInsertError(absl::string_view path, const absl::Status& status,
                                uint64_t rows_inserted) {
  return absl::InternalError(
      absl::StrCat(path, ": a bulk insert failed after ", rows_inserted,
                   " rows of this file went in, although every row was checked "
                   "first (a bug in nendb; "
                   "please report it). Roll the transaction back. The error: ",
                   status.message()));
}

void CountSkipped(const BadRows& bad, ImportResult& result) {
  result.rows_skipped = bad.count();
  result.skipped = bad.reasons();
  result.rows += bad.count();
}

}  // namespace nendb::csv_import
