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

// When a committed transaction reaches stable storage. Every mode writes each
// commit to the write-ahead log before Commit() returns, so a crash of the
// process alone loses nothing; the modes differ on power loss or an OS crash.
enum class SyncMode : uint8_t {
  kFull,    // the log is synced before Commit() returns: nothing acknowledged is
            // lost
  kNormal,  // synced at checkpoints and close: the last commits may be lost,
            // never corrupted
  kOff,     // never synced: power loss may lose commits or damage files; for scratch data
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
  // Checkpoint automatically once the write-ahead log holds this many bytes
  // and at least a quarter of the snapshot's size (so that rewriting the
  // snapshot costs a bounded multiple of what was logged).
  uint64_t checkpoint_log_bytes = uint64_t{64} << 20;
  // Keep the analytics projections this process builds on a snapshot in
  // projection files beside it (docs/format/graph.md), so that the next open
  // maps them instead of building them; each takes 8 to 16 bytes per edge
  // (4 per arc and weight). Files that exist are read either way.
  bool keep_projections = true;

  // Threads for bulk work (adjacency rebuilds) and, unless a call says
  // otherwise, analytics; 0 means every core.
  int threads = 0;

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
