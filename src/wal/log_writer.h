// LogWriter: appends records to one log file and syncs it.
//
// Records go to the file as they are added, and to the OS when they end a
// transaction (a commit or abort record); Sync() makes everything added so far
// durable and advances the
// durable offset written into later records. After a failed write or sync
// the writer refuses further use: the caller must treat the log as lost from
// the last durable offset (a failed fsync is never retried).
//
// Thread-safety: all methods are thread-safe. Sync() runs without blocking
// appends: it makes durable what was added before it was called.
#ifndef NENDB_WAL_LOG_WRITER_H_
#define NENDB_WAL_LOG_WRITER_H_

#include <array>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "nendb/env.h"
#include "wal/log_format.h"

namespace nendb::wal {

struct LogInfo {
  uint64_t generation = 0;
  uint64_t base_sequence = 0;
  std::array<uint8_t, 16> database_id = {};
};

class LogWriter {
 public:
  // The log file grows by this many zeros ahead of the records.
  static constexpr uint64_t kPreallocateBytes = uint64_t{4} << 20;

  // Creates a new log with its header, synced, under a temporary name renamed
  // to path (the caller syncs the directory).
  static absl::StatusOr<std::unique_ptr<LogWriter>> Create(Env* env, const std::string& path,
                                                           const LogInfo& info);
  // Continues an existing log whose valid records end at `end` (a torn tail
  // beyond it is cut off first), of which `durable` bytes are known to be on
  // stable storage.
  static absl::StatusOr<std::unique_ptr<LogWriter>> Continue(Env* env, const std::string& path,
                                                             const LogInfo& info, uint64_t end,
                                                             uint64_t durable);

  // Adds one transaction: its operations split into data records, then a
  // commit record. Not durable until Sync().
  absl::Status AddTransaction(uint64_t sequence, absl::string_view ops);
  // Adds data records for part of a transaction still in progress.
  absl::Status AddData(uint64_t sequence, absl::string_view ops);
  // Ends a transaction whose data records were added with AddData.
  absl::Status AddCommit(uint64_t sequence);
  absl::Status AddAbort(uint64_t sequence);

  absl::Status Sync();
  uint64_t size() const;
  uint64_t durable() const;
  const std::string& path() const { return path_; }

 private:
  LogWriter(std::string path, std::unique_ptr<WritableFile> file, uint32_t salt, uint64_t size,
            uint64_t reserved, uint64_t durable);
  // Encodes one record into out.
  void Encode(RecordType type, uint64_t sequence, absl::string_view payload, std::string* out)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  absl::Status Write(const std::string& records, bool ends_transaction)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  absl::Status EncodeData(uint64_t sequence, absl::string_view ops, std::string* out)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void EncodeCommit(uint64_t sequence, std::string* out) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  const std::string path_;
  const std::unique_ptr<WritableFile> file_;
  const uint32_t salt_;
  mutable absl::Mutex mu_;
  uint64_t size_ ABSL_GUARDED_BY(mu_);
  uint64_t reserved_ ABSL_GUARDED_BY(mu_);  // the file is preallocated up to here
  uint64_t durable_ ABSL_GUARDED_BY(mu_);
  uint64_t pending_records_ ABSL_GUARDED_BY(mu_) = 0;  // data records of the open transaction
  uint64_t pending_bytes_ ABSL_GUARDED_BY(mu_) = 0;
  absl::Status failed_ ABSL_GUARDED_BY(mu_);
};

}  // namespace nendb::wal

#endif  // NENDB_WAL_LOG_WRITER_H_
