// Writes a Version as an immutable snapshot file: to `name`.tmp, synced, then
// renamed to `name` and the directory synced, so a crash leaves either the
// old state or the complete new file.
//
// The version must be compact (no adjacency delta, no pending edge slots);
// strings are compacted on the way out.
#ifndef NENDB_SNAPSHOT_WRITER_H_
#define NENDB_SNAPSHOT_WRITER_H_

#include <array>
#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "nendb/env.h"
#include "storage/version.h"

namespace nendb::snapshot {

struct SnapshotInfo {
  uint64_t generation = 0;
  uint64_t sequence = 0;
  std::array<uint8_t, 16> database_id = {};
  uint64_t file_bytes = 0;
};

// progress (if set) hears of the bytes written, of about the version's size.
absl::Status Write(Env* env, const std::string& dir, const std::string& name, const Version& v,
                   SnapshotInfo* info, const ProgressFn& progress = {});

}  // namespace nendb::snapshot

#endif  // NENDB_SNAPSHOT_WRITER_H_
