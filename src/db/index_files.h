// The vector indexes' files (vector/hnsw_file.h) beside a snapshot: read when
// a generation is loaded, so that opening the database (in any process) does
// not build the graphs again; written by processes that may write the
// directory once a version that is exactly its snapshot has a graph its
// generation has no file for: after a checkpoint (the graphs carry over, row
// numbers are kept) and after an open that had to build one.
//
// Writing is best effort: a failure is logged and the graph is used all the
// same (the next open builds it). A damaged file fails the open with a
// Corruption error that says to run Database::Repair, whose open builds the
// index again instead (and deletes the file).
//
// Thread-safety: the writer's and the loader's; not for concurrent use on one
// version.
#ifndef NENDB_DB_INDEX_FILES_H_
#define NENDB_DB_INDEX_FILES_H_

#include <string>

#include "absl/status/status.h"
#include "storage/version.h"

namespace nendb {

// The states of v's indexes from their files, for v just loaded from its
// snapshot; definitions without a usable file keep a null state (built by
// SyncVectorIndexes). repair: a damaged file is deleted and built again
// instead of failing.
absl::Status LoadIndexFiles(Version& v, bool repair);

// Writes the files v's generation lacks for v's graphs, if v is exactly its
// snapshot and this process may.
void KeepIndexFiles(const Version& v);

// Loads every index file of v's generation as `nendb check` does; one line
// per damaged file in report, the first damage as the status.
absl::Status CheckIndexFiles(const Version& v, std::string* report);

// Runs Hnsw::Check on v's graphs and checks that each with its pending rows
// covers its column; a line per broken index in report.
absl::Status CheckVectorIndexes(const Version& v, std::string* report);

}  // namespace nendb

#endif  // NENDB_DB_INDEX_FILES_H_
