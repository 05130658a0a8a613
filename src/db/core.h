// DbCore: the state a database handle shares with its transactions: the
// published and head versions, the single-writer slot, the write-ahead log
// with group commit, the coordination with other processes, the chunk arena
// and the options. Transactions hold a shared_ptr to it, so they can outlive
// the handle.
//
// Versions: `head` is the newest commit (what the next writer starts from);
// `current` is what readers see: with sync=full only commits whose log
// records are durable, otherwise every commit. A commit releases the writer
// slot before waiting for its sync, so the next writer's records can join the
// same sync (group commit).
//
// Several processes (coord::Coordinator): a writer takes the write lock of
// every process after the writer slot and keeps it while it writes or waits
// for its commits' sync; holding it, it first catches up with what others
// published (replaying their commits from the log) and continues the log at
// the published end. Every commit is published once readers may see it. A
// new read transaction catches up the same way (Fresh()).
//
// Thread-safety: all methods are thread-safe.
#ifndef NENDB_DB_CORE_H_
#define NENDB_DB_CORE_H_

#include <array>
#include <atomic>
#include <deque>
#include <functional>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "coord/coordinator.h"
#include "nendb/env.h"
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
  TxnId NewTxnId() { return next_txn_.fetch_add(1); }
  // Options::threads resolved (0: every core).
  int threads() const { return threads_; }
  // A context for changing a working version as transaction txn.
  WriteCtx Ctx(TxnId txn) const { return WriteCtx{txn, arena_, threads_}; }

  // Files and other processes; set once at open, before any transaction
  // (no coordinator for in-memory databases).
  void SetFiles(Env* env, std::shared_ptr<coord::Coordinator> coordinator,
                const std::array<uint8_t, 16>& database_id);
  const std::shared_ptr<coord::Coordinator>& coordinator() const { return coord_; }
  Env* env() const { return env_; }
  const std::array<uint8_t, 16>& database_id() const { return database_id_; }
  // Where the versions this process loads from a snapshot keep derived files
  // (database_id left for the snapshot to say).
  SnapshotHome Home() const;

  std::shared_ptr<const Version> Current() const;
  // The current version caught up with what other processes published: for
  // a new read transaction.
  absl::StatusOr<std::shared_ptr<const Version>> Fresh();
  // Makes v both current and head (open, checkpoint, catching up).
  void Install(std::shared_ptr<const Version> v);
  // Publishes the head for other processes (after a checkpoint installed it).
  void PublishHead();

  // Takes the writer slot (waiting up to busy_timeout) and returns a working
  // copy of the head version and a fresh transaction id.
  absl::StatusOr<std::pair<std::shared_ptr<Version>, TxnId>> BeginWrite();
  // Takes the writer slot for maintenance (checkpoint, close), caught up;
  // waits up to busy_timeout, or other_processes_timeout for other processes
  // (then *others_busy says it was them).
  absl::Status LockWriter(absl::Duration other_processes_timeout = absl::InfiniteDuration(),
                          bool* others_busy = nullptr);
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

  // Log management, with the writer slot held: the log of `generation`.
  void SetLog(std::unique_ptr<wal::LogWriter> log, uint64_t generation);
  // Makes everything logged so far durable (and published).
  absl::Status SyncLog();
  uint64_t LogBytes() const;

  // After a failed sync or log write: every later write fails with status.
  void Poison(const absl::Status& status);
  absl::Status poisoned() const;

  // Set by the database handle: checkpoints when CheckpointDue(). Called
  // after commits; cleared at close.
  void SetAutoCheckpoint(std::function<absl::Status()> fn);
  // Whether a log of log_bytes calls for a checkpoint (at least
  // Options::checkpoint_log_bytes and a quarter of the snapshot); also
  // whether a transaction that large commits as the next snapshot instead.
  bool CheckpointDue(uint64_t log_bytes) const;
  absl::Status MaybeAutoCheckpoint();
  // Set by the database handle: writes a working version (with its sequence
  // number) as the next snapshot and installs it. Called with the writer slot
  // held; clearing waits for a call in flight.
  void SetSnapshotCommit(std::function<absl::Status(std::shared_ptr<const Version>)> fn);

  void MarkClosed();
  bool closed() const;

  // Whether this process is a fork() of the one that opened the database
  // (then nothing may be used: the parent's locks and log are not its own).
  bool ForkedAway() const { return coord::ForkGeneration() != fork_generation_; }
  absl::Status CheckProcess() const;

 private:
  struct Pending {
    uint64_t epoch;  // which log the commit went to
    uint64_t end;    // log offset after its commit record
    std::shared_ptr<const Version> version;
  };
  absl::Status WaitDurable(uint64_t epoch, uint64_t end);
  void PublishDurableLocked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void PublishLocked(const Version& v) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // The write lock of every process, with the writer slot held; caught up
  // with the others and the log continued where they left it (shared.cc).
  absl::Status AcquireWrites(absl::Duration timeout);
  // Lets other processes write once nothing here needs the lock.
  void MaybeReleaseWritesLocked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // `from` brought to what `state` publishes.
  absl::StatusOr<std::shared_ptr<const Version>> Follow(std::shared_ptr<const Version> from,
                                                        const coord::State& state);

  const Options options_;
  const std::string path_;
  const bool read_only_;
  const std::shared_ptr<ChunkArena> arena_;
  const int threads_;
  const uint64_t fork_generation_;
  const int pid_;
  std::atomic<TxnId> next_txn_{1};
  Env* env_ = nullptr;                         // set once by SetFiles
  std::shared_ptr<coord::Coordinator> coord_;  // set once by SetFiles
  std::array<uint8_t, 16> database_id_ = {};   // set once by SetFiles
  mutable absl::Mutex mu_;
  std::shared_ptr<const Version> current_ ABSL_GUARDED_BY(mu_);
  std::shared_ptr<const Version> head_ ABSL_GUARDED_BY(mu_);
  bool writer_active_ ABSL_GUARDED_BY(mu_) = false;
  bool closed_ ABSL_GUARDED_BY(mu_) = false;
  absl::Status poisoned_ ABSL_GUARDED_BY(mu_);
  // The log; replaced only with the writer slot held and nothing pending.
  std::unique_ptr<wal::LogWriter> log_ ABSL_GUARDED_BY(mu_);
  uint64_t log_generation_ ABSL_GUARDED_BY(mu_) = 0;
  uint64_t log_epoch_ ABSL_GUARDED_BY(mu_) = 0;
  uint64_t durable_ ABSL_GUARDED_BY(mu_) = 0;  // durable offset in the current log
  bool syncing_ ABSL_GUARDED_BY(mu_) = false;
  absl::CondVar synced_;
  std::deque<Pending> pending_ ABSL_GUARDED_BY(mu_);
  absl::Mutex refresh_mu_;  // one catch-up of readers at a time
  absl::Mutex hook_mu_;
  std::function<absl::Status()> auto_checkpoint_ ABSL_GUARDED_BY(hook_mu_);
  absl::Mutex snapshot_mu_;
  std::function<absl::Status(std::shared_ptr<const Version>)> snapshot_commit_
      ABSL_GUARDED_BY(snapshot_mu_);
};

}  // namespace nendb

#endif  // NENDB_DB_CORE_H_
