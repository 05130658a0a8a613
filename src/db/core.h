// DbCore: the state a database handle shares with its transactions: the
// published and head versions, the single-writer slot, the write-ahead log
// with group commit, the chunk arena and the options. Transactions hold a
// shared_ptr to it, so they can outlive the handle.
//
// Versions: `head` is the newest commit (what the next writer starts from);
// `current` is what readers see: with sync=full only commits whose log
// records are durable, otherwise every commit. A commit releases the writer
// slot before waiting for its sync, so the next writer's records can join the
// same sync (group commit).
//
// Thread-safety: all methods are thread-safe.
#ifndef NENDB_DB_CORE_H_
#define NENDB_DB_CORE_H_

#include <atomic>
#include <deque>
#include <functional>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "nendb/options.h"
#include "storage/arena.h"
#include "storage/version.h"
#include "wal/log_writer.h"

namespace nendb {

class DbCore {
 public:
  DbCore(const Options& options, std::string path, bool read_only);

  const Options& options() const { return options_; }
  const std::string& path() const { return path_; }
  bool read_only() const { return read_only_; }
  const std::shared_ptr<ChunkArena>& arena() const { return arena_; }
  // Options::threads resolved (0: every core).
  int threads() const { return threads_; }
  // A context for changing a working version as transaction txn.
  WriteCtx Ctx(TxnId txn) const { return WriteCtx{txn, arena_, threads_}; }
  TxnId NewTxnId() { return next_txn_.fetch_add(1); }

  std::shared_ptr<const Version> Current() const;
  // Makes v both current and head (open, recovery, checkpoint).
  void Install(std::shared_ptr<const Version> v);

  // Takes the writer slot (waiting up to busy_timeout) and returns a working
  // copy of the head version and a fresh transaction id.
  absl::StatusOr<std::pair<std::shared_ptr<Version>, TxnId>> BeginWrite();
  // Takes the writer slot for maintenance (checkpoint, close).
  absl::Status LockWriter();
  void EndWrite();

  // Whether commits are logged (false for in-memory databases).
  bool logging() const;
  // Logs part of a large transaction still in progress (writer slot held).
  absl::Status LogData(uint64_t sequence, absl::string_view ops);
  // Logs and publishes a working version as the next commit, then frees the
  // writer slot; with sync=full returns once the commit is durable.
  absl::Status Commit(std::shared_ptr<Version> v, absl::string_view ops);
  // Commits a working version too large to log by writing it as the next
  // snapshot (see SetSnapshotCommit), then frees the writer slot. logged_data:
  // the transaction streamed data records that a failure must void.
  absl::Status CommitBySnapshot(std::shared_ptr<Version> v, bool logged_data);
  // Frees the writer slot without committing; voids logged data if any.
  void Abort(uint64_t sequence, bool logged_data);

  // Log management, with the writer slot held.
  void SetLog(std::unique_ptr<wal::LogWriter> log);
  // Makes everything logged so far durable (and published).
  absl::Status SyncLog();
  uint64_t LogBytes() const;

  // After a failed sync or log write: every later write fails with status.
  void Poison(const absl::Status& status);
  absl::Status poisoned() const;

  // Set by the database handle: checkpoints when the log has grown past
  // Options::checkpoint_log_bytes. Called after commits; cleared at close.
  void SetAutoCheckpoint(std::function<absl::Status()> fn);
  absl::Status MaybeAutoCheckpoint();
  // Set by the database handle: writes a working version (with its sequence
  // number) as the next snapshot and installs it. Called with the writer slot
  // held; clearing waits for a call in flight.
  void SetSnapshotCommit(std::function<absl::Status(std::shared_ptr<const Version>)> fn);

  void MarkClosed();
  bool closed() const;

 private:
  struct Pending {
    uint64_t epoch;  // which log the commit went to
    uint64_t end;    // log offset after its commit record
    std::shared_ptr<const Version> version;
  };
  absl::Status WaitDurable(uint64_t epoch, uint64_t end);
  void PublishDurableLocked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  const Options options_;
  const std::string path_;
  const bool read_only_;
  const std::shared_ptr<ChunkArena> arena_;
  const int threads_;
  std::atomic<TxnId> next_txn_{1};
  mutable absl::Mutex mu_;
  std::shared_ptr<const Version> current_ ABSL_GUARDED_BY(mu_);
  std::shared_ptr<const Version> head_ ABSL_GUARDED_BY(mu_);
  bool writer_active_ ABSL_GUARDED_BY(mu_) = false;
  bool closed_ ABSL_GUARDED_BY(mu_) = false;
  absl::Status poisoned_ ABSL_GUARDED_BY(mu_);
  // The log; replaced only with the writer slot held and nothing pending.
  std::unique_ptr<wal::LogWriter> log_ ABSL_GUARDED_BY(mu_);
  uint64_t log_epoch_ ABSL_GUARDED_BY(mu_) = 0;
  uint64_t durable_ ABSL_GUARDED_BY(mu_) = 0;  // durable offset in the current log
  bool syncing_ ABSL_GUARDED_BY(mu_) = false;
  absl::CondVar synced_;
  std::deque<Pending> pending_ ABSL_GUARDED_BY(mu_);
  absl::Mutex hook_mu_;
  std::function<absl::Status()> auto_checkpoint_ ABSL_GUARDED_BY(hook_mu_);
  absl::Mutex snapshot_mu_;
  std::function<absl::Status(std::shared_ptr<const Version>)> snapshot_commit_
      ABSL_GUARDED_BY(snapshot_mu_);
};

}  // namespace nendb

#endif  // NENDB_DB_CORE_H_
