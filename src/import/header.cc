// Implements header.h.
#include "import/header.h"

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "storage/catalog.h"

namespace nendb::csv_import {

absl::StatusOr<Header> Header::Parse(const std::string& path, const CsvRecord& record) {
  Header h;
  h.path_ = path;
  h.line_ = record.line;
  absl::flat_hash_set<absl::string_view> seen;
  for (const CsvCell& c : record.cells) h.names_.emplace_back(c.text);
  for (const std::string& name : h.names_) {
    if (!name.empty() && !seen.insert(name).second) {
      return FileError(path, record.line,
                       absl::StrCat("the header names column \"", name, "\" twice"));
    }
  }
  return h;
}

std::optional<size_t> Header::Index(absl::string_view name) const {
  for (size_t i = 0; i < names_.size(); ++i) {
    if (names_[i] == name) return i;
  }
  return std::nullopt;
}

absl::StatusOr<size_t> Header::Find(absl::string_view name, absl::string_view role) const {
  if (auto i = Index(name)) return *i;
  return FileError(path_, absl::StrCat("the header has no ", role, " \"", name,
                                       "\"; its columns are: ", absl::StrJoin(names_, ", ")));
}

absl::Status Header::CheckPropertyName(size_t i) const {
  if (absl::Status s = ValidateName("a property name", names_[i]); !s.ok()) {
    return FileError(path_, line_, absl::StrCat("column ", i + 1, " of the header: ", s.message()));
  }
  return absl::OkStatus();
}

absl::Status Header::CheckTypes(const CsvFormat& format) const {
  for (const auto& [column, type] : format.types) {
    if (!Index(column)) {
      return FileError(path_, absl::StrCat("a type is given for column \"", column,
                                           "\", which the header lacks; its columns are: ",
                                           absl::StrJoin(names_, ", ")));
    }
    if (type == ValueType::kNull || type == ValueType::kVector) {
      return FileError(
          path_, absl::StrCat("column \"", column, "\" cannot be imported as ", ValueTypeName(type),
                              "; use int64, float64, bool or string"));
    }
  }
  return absl::OkStatus();
}

std::optional<ValueType> DeclaredType(const CsvFormat& format, absl::string_view column) {
  for (const auto& [name, type] : format.types) {
    if (name == column) return type;
  }
  return std::nullopt;
}

}  // namespace nendb::csv_import
