// Import of CSV files into a write transaction: nodes, edges and
// knowledge-graph triples. Each call reads its file, checks every row and
// inserts in bulk; a failed call leaves the transaction as it was.
//
// Cells are typed by the given column types or inferred from the whole
// column: int64 if every non-empty cell is an integer, else float64 if every
// one is a number, else bool if every one is true/false, else string. Empty
// cells are null. A malformed row is an error naming the file and line, or,
// with skip_bad_rows, is skipped and counted.
//
// Stateless functions; the transaction is used by the calling thread only.
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

// Called now and then with bytes read so far and the file size; return false
// to cancel the import (the call then fails with Cancelled).
using ProgressFn = std::function<bool(uint64_t done, uint64_t total)>;

struct CsvFormat {
  char delimiter = ',';
  char quote = '"';
  bool skip_bad_rows = false;
  // Types for named columns; other columns are inferred.
  std::vector<std::pair<std::string, ValueType>> types;
};

// One node per row. The header names the columns; every column but the key
// becomes a property.
struct NodeCsv {
  std::string path;
  std::string label;
  std::string key_column;  // empty: nodes without keys
  CsvFormat format;
};

// One edge per row. Source and target cells are keys of nodes with the given
// labels; the remaining columns (but type and weight) become properties.
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
  uint64_t rows = 0;          // data rows read
  uint64_t nodes_added = 0;
  uint64_t edges_added = 0;
  uint64_t rows_skipped = 0;  // with skip_bad_rows
  std::vector<std::string> skipped;  // the first few reasons, "file:line: why"
};

absl::StatusOr<ImportResult> ImportNodesCsv(WriteTransaction& tx, const NodeCsv& spec,
                                            const ProgressFn& progress = {});
absl::StatusOr<ImportResult> ImportEdgesCsv(WriteTransaction& tx, const EdgeCsv& spec,
                                            const ProgressFn& progress = {});
absl::StatusOr<ImportResult> ImportTriples(WriteTransaction& tx, const TriplesCsv& spec,
                                           const ProgressFn& progress = {});

}  // namespace nendb

#endif  // NENDB_IMPORT_H_
