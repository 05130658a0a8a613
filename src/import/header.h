// The header row of a CSV file: column names, lookups that name the file and
// list the header when a column is missing, and the declared column types.
//
// A plain value.
#ifndef NENDB_IMPORT_HEADER_H_
#define NENDB_IMPORT_HEADER_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "import/csv_reader.h"
#include "nendb/import.h"

namespace nendb::csv_import {

class Header {
 public:
  // The header record's names; they must be distinct.
  static absl::StatusOr<Header> Parse(const std::string& path, const CsvRecord& record);

  size_t size() const { return names_.size(); }
  const std::string& name(size_t i) const { return names_[i]; }
  std::optional<size_t> Index(absl::string_view name) const;
  // The column's index, or InvalidArgument naming the file, the column (as
  // the role, e.g. "key column") and the header's columns.
  absl::StatusOr<size_t> Find(absl::string_view name, absl::string_view role) const;
  // Checks that a column becoming a property has a valid property name.
  absl::Status CheckPropertyName(size_t i) const;
  // Checks that every column named in the format's types is in the header.
  absl::Status CheckTypes(const CsvFormat& format) const;

 private:
  std::string path_;
  uint64_t line_ = 1;
  std::vector<std::string> names_;
};

// The type the format declares for the column, if any.
std::optional<ValueType> DeclaredType(const CsvFormat& format, absl::string_view column);

}  // namespace nendb::csv_import

#endif  // NENDB_IMPORT_HEADER_H_
