// Options for opening a database.
//
// A plain value copied into the database at Open(); later changes to the
// caller's copy have no effect.
#ifndef NENDB_OPTIONS_H_
#define NENDB_OPTIONS_H_

#include <cstdint>

#include "absl/time/time.h"

namespace nendb {

class Env;

// When a committed transaction reaches stable storage.
enum class SyncMode : uint8_t {
  kFull,    // before Commit() returns (default)
  kNormal,  // at checkpoints; the last commits may be lost on power loss
  kOff,     // never synced: unsafe, for scratch databases only
};

struct Options {
  bool create_if_missing = true;
  bool error_if_exists = false;
  bool read_only = false;
  SyncMode sync = SyncMode::kFull;
  // How long BeginWrite() waits for another writer before a Busy error.
  absl::Duration busy_timeout = absl::Seconds(5);
  // Verify the checksum of every column while opening, instead of the first
  // time each column is used.
  bool verify_on_open = false;

  // Expected sizes: the arenas reserve room for this much data up front so
  // early growth does not allocate chunk by chunk.
  uint64_t expected_nodes = 0;
  uint64_t expected_edges = 0;
  // Arenas grow by slabs of this many bytes, carved into 64 KiB chunks.
  uint64_t arena_slab_bytes = uint64_t{4} << 20;

  // File system; nullptr means Env::Default(). Not owned.
  Env* env = nullptr;
};

}  // namespace nendb

#endif  // NENDB_OPTIONS_H_
