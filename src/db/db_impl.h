// DBImpl: the Database behind Database::Open(). Attaches to the directory's
// coordination files (coord::Coordinator); the first process to open the
// database recovers it from the files (newest snapshot, replay of its log),
// the others follow what the processes there published. Checkpoints write
// the next snapshot and start a new log. Everything transactions need lives
// in DbCore.
//
// A handle opened before a fork() refuses use in the child: the child must
// open the database itself.
//
// Thread-safety: all methods are thread-safe (checkpoints and closes take
// the writer slot).
#ifndef NENDB_DB_DB_IMPL_H_
#define NENDB_DB_DB_IMPL_H_

#include <array>
#include <memory>
#include <string>

#include "db/core.h"
#include "db/projections.h"
#include "nendb/database.h"
#include "nendb/env.h"
#include "wal/log_reader.h"

namespace nendb {

class DBImpl final : public Database {
 public:
  static absl::StatusOr<std::unique_ptr<DBImpl>> OpenImpl(absl::string_view path,
                                                          const Options& options, bool repair);
  ~DBImpl() override;

  absl::StatusOr<std::unique_ptr<ReadTransaction>> BeginRead() const override;
  absl::StatusOr<std::unique_ptr<WriteTransaction>> BeginWrite() override;
  using Database::Checkpoint;
  absl::Status Checkpoint(const ProgressFn& progress) override;
  absl::Status Close() override;
  absl::Status Check(std::string* report) const override;
  absl::StatusOr<DatabaseStats> Stats() const override;
  const std::string& path() const override { return core_->path(); }
  bool read_only() const override { return core_->read_only(); }

  // What recovery found in the log (for Repair's report).
  const wal::ScanResult& recovery() const { return recovery_; }
  // The write-ahead log of the current generation.
  std::string LogPath() const;
  // Deletes every projection file (for Repair); returns how many.
  uint64_t DropProjectionFiles() const { return ::nendb::DropProjectionFiles(core_->Home()); }

 private:
  DBImpl(std::shared_ptr<DbCore> core, Env* env, bool repair);
  std::string File(const std::string& name) const { return core_->path() + "/" + name; }
  // Closed or opened before a fork(): an error that says so.
  absl::Status Usable() const;
  absl::Status OpenFiles();
  // The first process in: the state from the files alone (recovery.cc).
  absl::Status RecoverAlone();
  absl::Status CreateNew();
  absl::Status StartLog(uint64_t generation, uint64_t base_sequence);
  // Removes files of generations before the current one that no process
  // pins, and temporary files left by crashes; with the write lock, or
  // alone (then every process's temporary files are stale).
  void DeleteOldFiles(bool alone);
  absl::Status CheckpointLocked(const ProgressFn& progress = {});
  // Writes `state` as the next snapshot generation, starts its log,
  // installs and publishes it (the writer slot held).
  absl::Status WriteCheckpoint(std::shared_ptr<const Version> state,
                               const ProgressFn& progress = {});
  // The snapshot-commit hook of DbCore.
  absl::Status CommitBySnapshot(std::shared_ptr<const Version> v);
  // Whether closing should checkpoint rather than only sync the log.
  bool CheckpointOnClose() const;

  std::shared_ptr<DbCore> core_;
  Env* env_;                          // nullptr for ":memory:"
  std::unique_ptr<Env> no_sync_env_;  // what env_ points to with sync=off
  const bool repair_;
  const uint64_t fork_generation_;
  wal::ScanResult recovery_;
};

}  // namespace nendb

#endif  // NENDB_DB_DB_IMPL_H_
