// Opens a snapshot file by mmap: validates the header, footer, section table
// and meta section, then builds a Version whose columns point into the
// mapping. Column checksums and index bounds are verified per part the first
// time a part is used (or all at once with verify_all).
#ifndef NENDB_SNAPSHOT_READER_H_
#define NENDB_SNAPSHOT_READER_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "nendb/env.h"
#include "snapshot/writer.h"
#include "storage/version.h"

namespace nendb::snapshot {

struct Loaded {
  std::shared_ptr<Version> version;
  SnapshotInfo info;
};

// A damaged file is a Corruption error naming the file and offset.
absl::StatusOr<Loaded> Load(Env* env, const std::string& path, bool verify_all);

}  // namespace nendb::snapshot

#endif  // NENDB_SNAPSHOT_READER_H_
