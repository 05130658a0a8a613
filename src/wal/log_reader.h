// Reading a write-ahead log: the committed transactions in order, and where
// the valid committed prefix ends.
//
// A record that fails its checks ends the log. If any valid record after it
// was written when the damaged one was already durable (its `durable` field
// says so), the damage hit acknowledged data: that is a Corruption error
// naming the file and offset (or, with repair, the log is cut there and the
// loss reported). Otherwise the damage is a torn tail from a crash and
// everything from the last commit on is dropped.
//
// Stateless; thread-safe.
#ifndef NENDB_WAL_LOG_READER_H_
#define NENDB_WAL_LOG_READER_H_

#include <cstdint>
#include <functional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "nendb/env.h"
#include "wal/log_writer.h"

namespace nendb::wal {

struct ScanOptions {
  // The log must belong to this database and generation.
  LogInfo expect;
  // Start after this offset (0: at the first record), with transactions
  // numbered from this sequence + 1 (0: the log's base sequence).
  uint64_t from_offset = 0;
  uint64_t after_sequence = 0;
  // Cut at damage to acknowledged data instead of failing.
  bool repair = false;
  // Read only up to this offset (0: the whole file): what other processes
  // have published, when records after it may still be being written.
  uint64_t until = 0;
};

struct ScanResult {
  uint64_t committed_end = 0;  // offset just past the last commit record
  uint64_t last_sequence = 0;  // sequence of the last committed transaction
  uint64_t transactions = 0;   // committed transactions delivered
  uint64_t file_bytes = 0;
  bool torn_tail = false;  // bytes after committed_end are not a committed transaction
  // With repair: what was dropped because of damage.
  uint64_t repaired_at = 0;           // offset of the damage, 0 if none
  uint64_t dropped_transactions = 0;  // intact commit records after the damage
};

// Calls on_commit(sequence, operations) for each committed transaction.
using CommitFn = std::function<absl::Status(uint64_t sequence, absl::string_view ops)>;

absl::StatusOr<ScanResult> ScanLog(Env* env, const std::string& path, const ScanOptions& options,
                                   const CommitFn& on_commit);

// Reads a log's header (Corruption if it is not a log of this database).
absl::StatusOr<LogInfo> ReadLogHeader(Env* env, const std::string& path);

}  // namespace nendb::wal

#endif  // NENDB_WAL_LOG_READER_H_
