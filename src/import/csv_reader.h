// Streaming CSV reading for the importers: feeds a file through libcsv in
// large chunks and hands each record, with the line it starts on, to a
// callback. Handles a UTF-8 byte order mark, CRLF line ends, quoted cells
// with embedded delimiters and newlines, and malformed quoting (reported as
// a bad row; reading resumes on the next line).
//
// Cells: unquoted cells are trimmed of surrounding spaces and tabs (libcsv's
// behaviour); an unquoted empty cell is null, a quoted empty cell ("") is the
// empty string. Blank lines are skipped.
//
// Not thread-safe; one reader per file and thread.
#ifndef NENDB_IMPORT_CSV_READER_H_
#define NENDB_IMPORT_CSV_READER_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "nendb/import.h"

namespace nendb::csv_import {

struct CsvCell {
  absl::string_view text;
  bool null = false;  // an unquoted empty cell
  // Empty text, quoted or not: a missing value for every type but string.
  bool empty() const { return text.empty(); }
};

struct CsvRecord {
  uint64_t line = 0;  // 1-based line of the file the record starts on
  absl::Span<const CsvCell> cells;
};

// Bad rows of one import: with skip_bad_rows they are counted and the first
// few reasons kept; without, the first one is an InvalidArgument error
// "<path>:<line>: <what>".
class BadRows {
 public:
  static constexpr size_t kMaxReasons = 10;

  BadRows(std::string path, bool skip) : path_(std::move(path)), skip_(skip) {}

  // OK if the row is to be skipped, else the error to return.
  absl::Status Report(uint64_t line, absl::string_view what);
  uint64_t count() const { return count_; }
  const std::vector<std::string>& reasons() const { return reasons_; }

 private:
  std::string path_;
  bool skip_;
  uint64_t count_ = 0;
  std::vector<std::string> reasons_;
};

// Calls on_record for every record of the file, the header included, and
// progress after every chunk read. Returns NotFound for a missing file, an IO
// error, Cancelled when progress returns false, the first error on_record or
// bad returns, or OK. A malformed record is reported to bad (and not passed
// to on_record) unless it is the first record, which is always an error.
absl::Status ReadCsv(const std::string& path, const CsvFormat& format, const ProgressFn& progress,
                     BadRows& bad, absl::FunctionRef<absl::Status(const CsvRecord&)> on_record);

// Error helpers naming the file (and line): "<path>:<line>: <what>".
absl::Status FileError(absl::string_view path, uint64_t line, absl::string_view what);
absl::Status FileError(absl::string_view path, absl::string_view what);
// The status with "<prefix>: " before its message; code and payloads kept.
absl::Status Annotate(const absl::Status& status, absl::string_view prefix);

}  // namespace nendb::csv_import

#endif  // NENDB_IMPORT_CSV_READER_H_
