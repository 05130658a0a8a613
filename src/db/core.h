// DbCore: the state a database handle shares with its transactions: the
// current committed Version, the single-writer slot, the chunk arena and the
// options. Transactions hold a shared_ptr to it, so they can outlive the
// handle.
//
// Thread-safety: all methods are thread-safe.
#ifndef NENDB_DB_CORE_H_
#define NENDB_DB_CORE_H_

#include <atomic>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "nendb/options.h"
#include "storage/arena.h"
#include "storage/version.h"

namespace nendb {

class DbCore {
 public:
  DbCore(const Options& options, std::string path, bool read_only);

  const Options& options() const { return options_; }
  const std::string& path() const { return path_; }
  bool read_only() const { return read_only_; }
  const std::shared_ptr<ChunkArena>& arena() const { return arena_; }

  std::shared_ptr<const Version> Current() const;
  // Installs a version without touching the writer slot (open, checkpoint).
  void Install(std::shared_ptr<const Version> v);

  // Takes the writer slot, waiting up to busy_timeout; returns a working copy
  // of the current version and a fresh transaction id.
  absl::StatusOr<std::pair<std::shared_ptr<Version>, TxnId>> BeginWrite();
  // Publishes a working version as the next commit and frees the slot.
  void Publish(std::shared_ptr<const Version> v);
  // Frees the writer slot without publishing.
  void EndWrite();
  // Takes the writer slot for maintenance (checkpoint, close).
  absl::Status LockWriter();

  // A transaction id for internal maintenance work (checkpoint compaction).
  TxnId NewTxnId() { return next_txn_.fetch_add(1); }

  void MarkClosed();
  bool closed() const;

 private:
  const Options options_;
  const std::string path_;
  const bool read_only_;
  const std::shared_ptr<ChunkArena> arena_;
  std::atomic<TxnId> next_txn_{1};
  mutable absl::Mutex mu_;
  std::shared_ptr<const Version> current_ ABSL_GUARDED_BY(mu_);
  bool writer_active_ ABSL_GUARDED_BY(mu_) = false;
  bool closed_ ABSL_GUARDED_BY(mu_) = false;
};

}  // namespace nendb

#endif  // NENDB_DB_CORE_H_
