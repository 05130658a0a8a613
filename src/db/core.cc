#include "db/core.h"

#include <unistd.h>

#include <algorithm>
#include <thread>

#include "absl/strings/str_cat.h"
#include "nendb/errors.h"
#include "util/status_macros.h"

namespace nendb {

DbCore::DbCore(const Options& options, std::string path, bool read_only)
    : options_(options),
      path_(std::move(path)),
      read_only_(read_only),
      arena_(std::make_shared<ChunkArena>(
          options.arena_slab_bytes,
          // Room for the expected data: ~40 bytes per node and per edge.
          (options.expected_nodes + options.expected_edges) * 40)),
      threads_(options.threads > 0
                   ? options.threads
                   : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()))),
      fork_generation_(coord::ForkGeneration()),
      pid_(static_cast<int>(::getpid())),
      current_(std::make_shared<Version>()),
      head_(current_) {}

std::shared_ptr<const Version> DbCore::Current() const {
  absl::MutexLock l(&mu_);
  return current_;
}

void DbCore::Install(std::shared_ptr<const Version> v) {
  absl::MutexLock l(&mu_);
  current_ = v;
  head_ = std::move(v);
}

absl::Status DbCore::CheckProcess() const {
  if (!ForkedAway()) return absl::OkStatus();
  return ClosedError(absl::StrCat("database ", path_, " was opened by process ", pid_,
                                  " before it forked; open the database again in this process"));
}

absl::Status DbCore::LockWriter(absl::Duration other_processes_timeout, bool* others_busy) {
  NENDB_RETURN_IF_ERROR(CheckProcess());
  {
    absl::MutexLock l(&mu_);
    if (closed_) return ClosedError(absl::StrCat("database ", path_, " is closed"));
    auto free = [this]() ABSL_SHARED_LOCKS_REQUIRED(mu_) { return !writer_active_ || closed_; };
    if (!mu_.AwaitWithTimeout(absl::Condition(&free), options_.busy_timeout)) {
      return BusyError(absl::StrCat("another write transaction on ", path_,
                                    " has been open for longer than the busy "
                                    "timeout (",
                                    absl::FormatDuration(options_.busy_timeout),
                                    "); commit or roll it back, or raise busy_timeout"));
    }
    if (closed_) return ClosedError(absl::StrCat("database ", path_, " is closed"));
    writer_active_ = true;
  }
  if (absl::Status s = AcquireWrites(std::min(options_.busy_timeout, other_processes_timeout));
      !s.ok()) {
    EndWrite();
    if (others_busy != nullptr) *others_busy = ErrorKindOf(s) == ErrorKind::kBusy;
    return s;
  }
  return absl::OkStatus();
}

void DbCore::EndWrite() {
  absl::MutexLock l(&mu_);
  writer_active_ = false;
  MaybeReleaseWritesLocked();
}

absl::StatusOr<std::pair<std::shared_ptr<Version>, TxnId>> DbCore::BeginWrite() {
  if (read_only_) {
    return ReadOnlyError(
        absl::StrCat("database ", path_, " is open read-only; open it without read_only to write"));
  }
  if (absl::Status p = poisoned(); !p.ok()) return p;
  if (auto s = LockWriter(); !s.ok()) return s;
  absl::MutexLock l(&mu_);
  auto working = std::make_shared<Version>(*head_);
  return std::make_pair(std::move(working), next_txn_.fetch_add(1));
}

bool DbCore::logging() const {
  absl::MutexLock l(&mu_);
  return log_ != nullptr;
}

absl::Status DbCore::LogData(uint64_t sequence, absl::string_view ops) {
  NENDB_RETURN_IF_ERROR(CheckProcess());
  wal::LogWriter* log;
  {
    absl::MutexLock l(&mu_);
    log = log_.get();
  }
  absl::Status s = log->AddData(sequence, ops);
  if (!s.ok()) Poison(s);
  return s;
}

absl::Status DbCore::Commit(std::shared_ptr<Version> v, absl::string_view ops) {
  NENDB_RETURN_IF_ERROR(CheckProcess());
  wal::LogWriter* log;
  uint64_t epoch;
  {
    absl::MutexLock l(&mu_);
    log = log_.get();
    epoch = log_epoch_;
    v->seq = head_->seq + 1;
    if (log != nullptr) v->gen = log_generation_;
  }
  uint64_t end = 0;
  if (log != nullptr) {
    absl::Status s = log->AddTransaction(v->seq, ops);
    if (!s.ok()) {
      Poison(s);
      EndWrite();
      return s;
    }
    end = log->size();
    v->log_end = end;
  }
  const bool wait = log != nullptr && options_.sync == SyncMode::kFull;
  {
    absl::MutexLock l(&mu_);
    head_ = v;
    if (wait) {
      pending_.push_back(Pending{epoch, end, v});
    } else {
      current_ = v;
      PublishLocked(*v);
    }
    writer_active_ = false;  // the next writer may append while we sync
    MaybeReleaseWritesLocked();
  }
  return wait ? WaitDurable(epoch, end) : absl::OkStatus();
}

absl::Status DbCore::CommitBySnapshot(std::shared_ptr<Version> v, bool logged_data) {
  {
    absl::MutexLock l(&mu_);
    v->seq = head_->seq + 1;
  }
  const uint64_t sequence = v->seq;
  absl::Status s;
  {
    absl::MutexLock l(&snapshot_mu_);
    s = snapshot_commit_ ? snapshot_commit_(std::move(v))
                         : ClosedError(absl::StrCat("database ", path_, " is closed"));
  }
  if (!s.ok()) {
    Abort(sequence, logged_data);
    return s;
  }
  EndWrite();
  return absl::OkStatus();
}

void DbCore::SetSnapshotCommit(std::function<absl::Status(std::shared_ptr<const Version>)> fn) {
  absl::MutexLock l(&snapshot_mu_);
  snapshot_commit_ = std::move(fn);
}

void DbCore::Abort(uint64_t sequence, bool logged_data) {
  wal::LogWriter* log;
  {
    absl::MutexLock l(&mu_);
    log = log_.get();
  }
  if (logged_data && log != nullptr) {
    if (absl::Status s = log->AddAbort(sequence); !s.ok()) Poison(s);
  }
  EndWrite();
}

// Syncs the log (or waits for the sync in flight) until `end` of log `epoch`
// is durable, publishing the commits that became durable.
absl::Status DbCore::WaitDurable(uint64_t epoch, uint64_t end) {
  absl::MutexLock l(&mu_);
  while (epoch == log_epoch_ && durable_ < end) {
    if (!poisoned_.ok()) {
      // Nothing waiting will become durable: readers keep the durable state
      // and other processes may write again.
      pending_.clear();
      head_ = current_;
      MaybeReleaseWritesLocked();
      return absl::Status(poisoned_.code(),
                          absl::StrCat("the commit is not durable: ", poisoned_.message()));
    }
    if (syncing_) {
      synced_.Wait(&mu_);
      continue;
    }
    syncing_ = true;
    wal::LogWriter* log = log_.get();
    mu_.Unlock();
    absl::Status s = log->Sync();
    const uint64_t durable = log->durable();
    mu_.Lock();
    syncing_ = false;
    if (s.ok()) {
      durable_ = std::max(durable_, durable);
      PublishDurableLocked();
    } else if (poisoned_.ok()) {
      poisoned_ =
          absl::Status(s.code(), absl::StrCat(s.message(),
                                              "; the database refuses writes until it is "
                                              "closed and reopened, which recovers from disk"));
    }
    synced_.SignalAll();
  }
  return absl::OkStatus();
}

void DbCore::PublishDurableLocked() {
  bool published = false;
  while (!pending_.empty() &&
         (pending_.front().epoch < log_epoch_ || pending_.front().end <= durable_)) {
    current_ = pending_.front().version;
    pending_.pop_front();
    published = true;
  }
  if (published) PublishLocked(*current_);
  MaybeReleaseWritesLocked();
}

void DbCore::SetLog(std::unique_ptr<wal::LogWriter> log, uint64_t generation) {
  absl::MutexLock l(&mu_);
  log_ = std::move(log);
  log_generation_ = generation;
  ++log_epoch_;
  durable_ = log_ != nullptr ? log_->durable() : 0;
  PublishDurableLocked();
}

absl::Status DbCore::SyncLog() {
  uint64_t epoch, end;
  {
    absl::MutexLock l(&mu_);
    if (log_ == nullptr) return absl::OkStatus();
    epoch = log_epoch_;
    end = log_->size();
  }
  return WaitDurable(epoch, end);
}

uint64_t DbCore::LogBytes() const {
  absl::MutexLock l(&mu_);
  return log_ != nullptr ? log_->size() : 0;
}

void DbCore::Poison(const absl::Status& status) {
  absl::MutexLock l(&mu_);
  if (!poisoned_.ok()) return;
  poisoned_ =
      absl::Status(status.code(), absl::StrCat(status.message(),
                                               "; the database refuses writes until it is "
                                               "closed and reopened, which recovers from disk"));
  synced_.SignalAll();
}

absl::Status DbCore::poisoned() const {
  absl::MutexLock l(&mu_);
  return poisoned_;
}

void DbCore::SetAutoCheckpoint(std::function<absl::Status()> fn) {
  absl::MutexLock l(&hook_mu_);
  auto_checkpoint_ = std::move(fn);
}

bool DbCore::CheckpointDue(uint64_t log_bytes) const {
  // A checkpoint rewrites the whole snapshot: waiting for a log a quarter of
  // its size bounds what a run of large commits writes to a few times the
  // data, where checkpointing after each of them would rewrite the database
  // once per commit.
  return log_bytes >= options_.checkpoint_log_bytes && log_bytes * 4 >= Current()->snapshot_bytes;
}

absl::Status DbCore::MaybeAutoCheckpoint() {
  if (!CheckpointDue(LogBytes())) return absl::OkStatus();
  absl::MutexLock l(&hook_mu_);
  return auto_checkpoint_ ? auto_checkpoint_() : absl::OkStatus();
}

void DbCore::MarkClosed() {
  absl::MutexLock l(&mu_);
  closed_ = true;
}

bool DbCore::closed() const {
  absl::MutexLock l(&mu_);
  return closed_;
}

}  // namespace nendb
