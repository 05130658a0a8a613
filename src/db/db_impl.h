// DBImpl: the Database behind Database::Open(). Owns the directory lock and
// the snapshot files; everything transactions need lives in DbCore.
//
// Thread-safety: all methods are thread-safe (checkpoints and closes take
// the writer slot).
#ifndef NENDB_DB_DB_IMPL_H_
#define NENDB_DB_DB_IMPL_H_

#include <array>
#include <memory>
#include <string>

#include "db/core.h"
#include "nendb/database.h"
#include "nendb/env.h"

namespace nendb {

class DBImpl final : public Database {
 public:
  static absl::StatusOr<std::unique_ptr<Database>> Open(absl::string_view path,
                                                        const Options& options);
  ~DBImpl() override;

  absl::StatusOr<std::unique_ptr<ReadTransaction>> BeginRead() const override;
  absl::StatusOr<std::unique_ptr<WriteTransaction>> BeginWrite() override;
  absl::Status Checkpoint() override;
  absl::Status Close() override;
  absl::Status Check(std::string* report) const override;
  absl::StatusOr<DatabaseStats> Stats() const override;
  const std::string& path() const override { return core_->path(); }
  bool read_only() const override { return core_->read_only(); }

 private:
  DBImpl(std::shared_ptr<DbCore> core, Env* env);
  absl::Status OpenFiles();
  absl::Status CreateNew();
  absl::Status LoadSnapshot(uint64_t generation);
  absl::Status CheckpointLocked();

  std::shared_ptr<DbCore> core_;
  Env* env_;  // nullptr for ":memory:"
  std::unique_ptr<FileLock> lock_;
  mutable absl::Mutex mu_;  // guards the fields below
  uint64_t generation_ = 0;
  uint64_t snapshot_seq_ = 0;
  uint64_t snapshot_bytes_ = 0;
  std::array<uint8_t, 16> database_id_ = {};
};

// File names inside a database directory.
std::string SnapshotName(uint64_t generation);
// The generation of a snapshot file name, or 0 if it is not one.
uint64_t ParseSnapshotName(absl::string_view name);

}  // namespace nendb

#endif  // NENDB_DB_DB_IMPL_H_
