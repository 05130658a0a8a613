// Database: a handle on one database directory (or an in-memory database,
// path ":memory:"). Open one with Database::Open(); begin transactions on it.
//
// The database directory holds immutable, checksummed snapshot files opened by
// mmap and a write-ahead log of the commits since the newest one; Open()
// replays the log, and checkpoints fold it into the next snapshot. Durability
// of each commit follows Options::sync. See docs/format/.
//
// Ownership: the caller owns the handle. Transactions keep the snapshot they
// read alive: a read transaction goes on reading after Close() (and after the
// handle is destroyed); a write transaction must end before Close().
// Thread-safety: all methods are thread-safe. Write transactions are
// serialized: BeginWrite() waits up to Options::busy_timeout for the previous
// one to finish. Read transactions never wait for writers.
#ifndef NENDB_DATABASE_H_
#define NENDB_DATABASE_H_

#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "nendb/options.h"
#include "nendb/stats.h"
#include "nendb/transaction.h"

namespace nendb {

// What Database::Repair() found and did.
struct RepairReport {
  std::string log;                    // the write-ahead log it read
  bool damaged = false;               // damage before acknowledged records was found
  uint64_t damage_offset = 0;         // where, in `log`
  uint64_t kept_transactions = 0;     // replayed from the log and kept
  uint64_t dropped_transactions = 0;  // intact commits after the damage, dropped
  // Projection files deleted (any may be damaged; analytics build them again).
  uint64_t projection_files_removed = 0;
};

class Database {
 public:
  // Opens (or, with Options::create_if_missing, creates) the database at path.
  static absl::StatusOr<std::unique_ptr<Database>> Open(absl::string_view path,
                                                        const Options& options = Options());

  // For a database that Open() refuses because its write-ahead log is damaged
  // in the middle: keeps the transactions before the damage, drops the rest,
  // and checkpoints, so the next Open() works. A database without damage is
  // only checkpointed. A damaged snapshot cannot be repaired (Corruption: restore
  // it from a backup). Needs the writer lock, like a read-write Open().
  static absl::StatusOr<RepairReport> Repair(absl::string_view path,
                                             const Options& options = Options());

  virtual ~Database() = default;  // closes, reporting errors to the log

  virtual absl::StatusOr<std::unique_ptr<ReadTransaction>> BeginRead() const = 0;
  virtual absl::StatusOr<std::unique_ptr<WriteTransaction>> BeginWrite() = 0;

  // Writes the committed state as a new snapshot file and drops the old one.
  // A no-op for in-memory and read-only databases. progress hears of the
  // bytes written (of about the snapshot's size); cancelling leaves the
  // previous snapshot and the log as they were.
  absl::Status Checkpoint() { return Checkpoint(ProgressFn()); }
  virtual absl::Status Checkpoint(const ProgressFn& progress) = 0;
  // Makes the log durable (checkpointing if it is large next to the snapshot)
  // and releases the database. Idempotent. With a write transaction of this
  // handle still open, it waits up to Options::busy_timeout for it to end,
  // then fails with Busy and leaves the handle open.
  virtual absl::Status Close() = 0;

  // Checks every checksum and store invariant; the first problem found is
  // returned (Corruption), with a description of all problems in report.
  virtual absl::Status Check(std::string* report) const = 0;

  virtual absl::StatusOr<DatabaseStats> Stats() const = 0;
  virtual const std::string& path() const = 0;
  virtual bool read_only() const = 0;
};

}  // namespace nendb

#endif  // NENDB_DATABASE_H_
