// Helpers for the import tests: fixture paths, scratch CSV files and short
// ways to run an import in its own transaction.
#ifndef NENDB_TESTS_IMPORT_IMPORT_TEST_UTIL_H_
#define NENDB_TESTS_IMPORT_IMPORT_TEST_UTIL_H_

#include <fstream>
#include <string>

#include "nendb/database.h"
#include "nendb/import.h"
#include "test_util.h"

namespace nendb::testing {

inline std::string TestData(const std::string& name) {
  return std::string(NENDB_TEST_DATA) + "/" + name;
}
inline std::string Example(const std::string& name) {
  return std::string(NENDB_EXAMPLE_DATA) + "/" + name;
}

// A CSV file with the given contents in a scratch directory.
inline std::string WriteCsv(const ScratchDir& dir, const std::string& name,
                            const std::string& contents) {
  const std::string path = dir.Sub(name);
  std::ofstream(path, std::ios::binary) << contents;
  return path;
}

inline std::unique_ptr<Database> MemoryDb() { return Database::Open(":memory:").value(); }

// Runs the import in a new write transaction, committed if it succeeds.
template <typename Spec, typename Fn>
absl::StatusOr<ImportResult> ImportAndCommit(Database& db, const Spec& spec, Fn import,
                                             const ProgressFn& progress = {}) {
  auto tx = db.BeginWrite();
  if (!tx.ok()) return tx.status();
  absl::StatusOr<ImportResult> r = import(**tx, spec, progress);
  if (!r.ok()) return r;
  if (absl::Status s = (*tx)->Commit(); !s.ok()) return s;
  return r;
}

inline absl::StatusOr<ImportResult> Nodes(Database& db, const NodeCsv& spec) {
  return ImportAndCommit(db, spec, ImportNodesCsv);
}
inline absl::StatusOr<ImportResult> Edges(Database& db, const EdgeCsv& spec) {
  return ImportAndCommit(db, spec, ImportEdgesCsv);
}
inline absl::StatusOr<ImportResult> Triples(Database& db, const TriplesCsv& spec) {
  return ImportAndCommit(db, spec, ImportTriples);
}

inline Value Prop(const ReadTransaction& rx, const std::string& label, const Key& key,
                  const std::string& name) {
  auto id = rx.FindNode(label, key);
  EXPECT_TRUE(id.ok()) << id.status();
  if (!id.ok()) return Value();
  auto v = rx.GetProperty(*id, name);
  EXPECT_TRUE(v.ok()) << v.status();
  return v.ok() ? *v : Value();
}

}  // namespace nendb::testing

#endif  // NENDB_TESTS_IMPORT_IMPORT_TEST_UTIL_H_
