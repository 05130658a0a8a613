// Import of CSV files into a write transaction: nodes, edges and
// knowledge-graph triples. Each call reads its file once, checks every row
// and inserts in bulk (batches of about a million rows); a failed or
// cancelled call leaves the transaction as it was.
//
// Parsing (libcsv): the first record is the header (optional for triples);
// cells may be quoted ("a, b", "say ""hi""", embedded newlines); LF or CRLF
// line ends; a UTF-8 byte order mark is skipped; blank lines are skipped;
// unquoted cells are trimmed of spaces and tabs. An unquoted empty cell is
// null; a quoted empty cell ("") is the empty string in a string column and
// null in any other.
//
// Types: a column is typed by CsvFormat::types, else by the type the label
// already stores for it (nodes), else inferred from the whole column: int64
// if every non-empty cell is an integer, else float64 if every one is a
// number, else bool if every one is true/false (any case), else string. A
// column whose cells are all empty and that has no type is not stored.
//
// Bad rows: a wrong number of cells, a cell that does not parse as its
// column's declared type, an empty, oversized or non-UTF-8 key, a key that
// repeats or already exists, a missing source or target node, an invalid or
// non-finite weight, an invalid edge type, malformed quoting. Each is an
// InvalidArgument error "<file>:<line>: <what>" (line: where the record
// starts), or with skip_bad_rows is skipped and counted. A missing file is
// NotFound naming it; a header without a named column is InvalidArgument
// naming the column and listing the header.
//
// Memory: the cells of the whole file are held (in column buffers) until
// they are inserted. Stateless functions; the transaction is used by the
// calling thread only.
#ifndef NENDB_IMPORT_H_
#define NENDB_IMPORT_H_

#include <cstdint>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "nendb/transaction.h"
#include "nendb/types.h"

namespace nendb {

// Imports call their ProgressFn (nendb/types.h) after every megabyte read
// with the bytes read so far and the file size (done == total once the whole
// file is read, before anything is inserted); returning false cancels the
// import (the call then fails with Cancelled and changes nothing).

struct CsvFormat {
  char delimiter = ',';
  char quote = '"';
  bool skip_bad_rows = false;
  // Types for named columns; other columns are inferred.
  std::vector<std::pair<std::string, ValueType>> types;
};

// One node per row. The header names the columns; every column but the key
// becomes a property. Keys are int64 if every key cell is an integer (or the
// key column is declared int64), else strings.
struct NodeCsv {
  std::string path;
  std::string label;
  std::string key_column;  // empty: nodes without keys
  CsvFormat format;
};

// One edge per row. Source and target cells are keys of nodes with the given
// labels (looked up as int64 keys when the cell is an integer, else or if
// not found as string keys; a declared type for the column forces one kind);
// the remaining columns (but type and weight) become properties. An empty
// weight cell means 1.0. With type_column, rows are inserted grouped by type
// (edge ids follow file order within a type).
struct EdgeCsv {
  std::string path;
  std::string source_column = "source";
  std::string target_column = "target";
  std::string source_label;
  std::string target_label;
  std::string type;         // a fixed edge type, or
  std::string type_column;  // the column holding each row's type
  std::string weight_column;
  CsvFormat format;
};

// subject,predicate,object rows (an optional header row with those names is
// skipped). Subjects and objects become nodes of the label keyed by their
// full name (one node per distinct name, also across calls); predicates
// become edge types.
struct TriplesCsv {
  std::string path;
  std::string label = "Entity";
  CsvFormat format;
};

struct ImportResult {
  uint64_t rows = 0;  // data rows read
  uint64_t nodes_added = 0;
  uint64_t edges_added = 0;
  uint64_t rows_skipped = 0;         // with skip_bad_rows
  std::vector<std::string> skipped;  // the first 10 reasons, "file:line: why"
};

absl::StatusOr<ImportResult> ImportNodesCsv(WriteTransaction& tx, const NodeCsv& spec,
                                            const ProgressFn& progress = {});
absl::StatusOr<ImportResult> ImportEdgesCsv(WriteTransaction& tx, const EdgeCsv& spec,
                                            const ProgressFn& progress = {});
absl::StatusOr<ImportResult> ImportTriples(WriteTransaction& tx, const TriplesCsv& spec,
                                           const ProgressFn& progress = {});

}  // namespace nendb

#endif  // NENDB_IMPORT_H_
