// FaultEnv: an in-memory file system that models what survives a crash, and
// injects I/O errors, for the durability tests.
//
// Each file remembers its contents as of its last Sync(); each directory its
// entries as of its last SyncDir(). Crash() simulates a power loss (or a
// process kill, by the options): unsynced data and directory changes are
// dropped as the options say, and every call fails until Restart(), so what
// the dead process's objects do while being torn down has no effect. After
// Restart() the file system is what a rebooted machine would find; handles
// and locks of the old process stay dead.
//
// Failures: FailAt(k, ...) makes the k-th I/O call from now fail with an
// errno (EIO, ENOSPC) once or for good; a failing Append can write half its
// data first (a short write). CrashAtSync(k) crashes at the k-th sync point
// (Sync, SyncDir or RenameFile) before it takes effect; CrashAtCall(k) at the
// k-th I/O call of any kind.
//
// Thread-safe.
#ifndef NENDB_ENV_FAULT_ENV_H_
#define NENDB_ENV_FAULT_ENV_H_

#include <cstdint>
#include <map>
#include <memory>
#include <random>
#include <set>
#include <string>

#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "nendb/env.h"

namespace nendb {

class MemLocks;

// What a simulated crash loses.
struct CrashOptions {
  bool drop_unsynced_data = true;     // power loss; false: the process died, the OS did not
  bool drop_unsynced_entries = true;  // directory changes since the last SyncDir
  // With drop_unsynced_data and a nonzero seed, each file keeps a random part
  // of what it had not synced: a random length of it, with each 512-byte
  // sector kept or zeroed at random, as when the OS wrote back some pages.
  uint64_t torn_seed = 0;
};

class FaultEnv final : public Env {
 public:
  FaultEnv();
  ~FaultEnv() override;

  void Crash(const CrashOptions& options);
  void Crash() { Crash(CrashOptions()); }
  // Lets a new process use the file system after a crash.
  void Restart();

  // The k-th I/O call from now (1-based) fails with errno_value; with
  // persistent, every call after it too. short_write: a failing Append writes
  // the first half of its data.
  void FailAt(uint64_t k, int errno_value, bool persistent, bool short_write = false);
  // Crash when the k-th sync point from now is reached (it does not happen).
  void CrashAtSync(uint64_t k, const CrashOptions& options = CrashOptions());
  void CrashAtCall(uint64_t k, const CrashOptions& options = CrashOptions());
  void ClearFaults();
  // Every file sync takes this long (a disk's latency), so that concurrent
  // committers can be seen sharing syncs. It makes durable what was written
  // when it started.
  void set_sync_delay(absl::Duration delay);
  absl::Duration sync_delay() const;
  uint64_t file_syncs() const;  // Sync() calls that took effect
  bool crashed_since_clear() const;
  uint64_t io_calls() const;
  uint64_t sync_points() const;

  // Corrupts or inspects stored bytes (tests of damaged files).
  std::string Contents(const std::string& path) const;
  void SetContents(const std::string& path, const std::string& data);

  // Env.
  absl::StatusOr<std::unique_ptr<WritableFile>> NewWritableFile(const std::string& path) override;
  absl::StatusOr<std::unique_ptr<WritableFile>> NewWritableFileAt(const std::string& path,
                                                                  uint64_t offset) override;
  absl::Status TruncateFile(const std::string& path, uint64_t size) override;
  absl::StatusOr<std::unique_ptr<RandomAccessFile>> NewRandomAccessFile(
      const std::string& path) override;
  absl::StatusOr<std::shared_ptr<const MappedFile>> MapFile(const std::string& path) override;
  bool FileExists(const std::string& path) override;
  bool IsDirectory(const std::string& path) override;
  absl::StatusOr<uint64_t> FileSize(const std::string& path) override;
  absl::StatusOr<std::vector<std::string>> ListDir(const std::string& dir) override;
  absl::Status CreateDir(const std::string& dir) override;
  absl::Status DeleteFile(const std::string& path) override;
  absl::Status RenameFile(const std::string& from, const std::string& to) override;
  absl::Status SyncDir(const std::string& dir) override;
  absl::StatusOr<std::unique_ptr<LockFile>> OpenLockFile(const std::string& path) override;
  absl::StatusOr<std::unique_ptr<SharedMemory>> MapSharedFile(const std::string& path,
                                                              size_t size) override;

  struct File {
    std::string data;
    std::string synced;
  };
  struct Dir {
    std::map<std::string, std::shared_ptr<File>> entries;
    std::map<std::string, std::shared_ptr<File>> durable;
  };

  // Used by the file handles and locks.
  absl::Status Check(uint64_t incarnation, const std::string& what, bool sync_point,
                     std::string* append = nullptr);
  mutable absl::Mutex mu_;
  uint64_t incarnation_ ABSL_GUARDED_BY(mu_) = 1;
  bool dead_ ABSL_GUARDED_BY(mu_) = false;  // crashed, not yet restarted
  uint64_t file_syncs_ ABSL_GUARDED_BY(mu_) = 0;

 private:
  absl::Status CheckLocked(uint64_t incarnation, const std::string& what, bool sync_point,
                           std::string* append) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void CrashLocked(const CrashOptions& options) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // What survives of one file's unsynced data (nothing, without rng).
  static void Tear(File& file, std::mt19937_64* rng);
  Dir* DirOf(const std::string& path, std::string* name) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  std::shared_ptr<File> Find(const std::string& path) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void TouchLocked(const std::string& path) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  std::map<std::string, Dir> dirs_ ABSL_GUARDED_BY(mu_);
  std::set<std::string> durable_dirs_ ABSL_GUARDED_BY(mu_);
  const std::shared_ptr<MemLocks> locks_;
  uint64_t io_calls_ ABSL_GUARDED_BY(mu_) = 0;
  uint64_t sync_points_ ABSL_GUARDED_BY(mu_) = 0;
  uint64_t fail_at_ ABSL_GUARDED_BY(mu_) = 0;  // absolute call number, 0: none
  int fail_errno_ ABSL_GUARDED_BY(mu_) = 0;
  bool fail_persistent_ ABSL_GUARDED_BY(mu_) = false;
  bool fail_short_ ABSL_GUARDED_BY(mu_) = false;
  uint64_t crash_at_sync_ ABSL_GUARDED_BY(mu_) = 0;
  uint64_t crash_at_call_ ABSL_GUARDED_BY(mu_) = 0;  // absolute call number, 0: none
  absl::Duration sync_delay_ ABSL_GUARDED_BY(mu_);
  CrashOptions crash_options_ ABSL_GUARDED_BY(mu_);
  bool crashed_ ABSL_GUARDED_BY(mu_) = false;
};

}  // namespace nendb

#endif  // NENDB_ENV_FAULT_ENV_H_
