// Names of the files in a database directory:
//   LOCK                      byte locks of the processes (docs/format/coordination.md)
//   SHM                       their shared memory (same)
//   snapshot-<gen>.nds        snapshot generation <gen> (docs/format/snapshot.md)
//   wal-<gen>.log             commits after snapshot <gen> (docs/format/wal.md)
//   graph-<gen>-<hash>.ngr    a projection of snapshot <gen> (docs/format/graph.md)
//   index-<gen>-<hash>.nvi    a vector index of snapshot <gen> (docs/format/index.md)
//   *.tmp                     a file being created; deleted if found at open
#ifndef NENDB_DB_FILES_H_
#define NENDB_DB_FILES_H_

#include <cstdint>
#include <string>

#include "absl/strings/string_view.h"

namespace nendb {

struct SnapshotHome;
struct Version;

inline constexpr char kLockName[] = "LOCK";
inline constexpr char kShmName[] = "SHM";

std::string SnapshotName(uint64_t generation);
std::string LogName(uint64_t generation);
// The generation a snapshot or log file name carries, or 0 if it is neither.
uint64_t ParseSnapshotName(absl::string_view name);
uint64_t ParseLogName(absl::string_view name);
// The projection file of a generation for a projection's cache key (any
// bytes; hashed into the name).
std::string GraphFileName(uint64_t generation, absl::string_view key);
// The generation of a projection file or of a temporary file becoming one,
// or 0 if the name is neither; *tmp says which.
uint64_t ParseGraphFileName(absl::string_view name, bool* tmp);
// The same for the vector index files, by the index definition's key.
std::string IndexFileName(uint64_t generation, absl::string_view key);
uint64_t ParseIndexFileName(absl::string_view name, bool* tmp);

// A suffix that makes the temporary name of a projection or index file
// being written unique among the threads and processes writing at once.
std::string DerivedTmpSuffix(const SnapshotHome& home);

// Whether v is exactly the snapshot it was loaded from (no commits since), so
// that the projection and index files of its generation describe it.
bool AtSnapshot(const Version& v);

}  // namespace nendb

#endif  // NENDB_DB_FILES_H_
