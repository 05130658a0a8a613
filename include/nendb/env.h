// Env: the one door through which nendb touches the file system. Every file,
// directory, sync, rename, lock and mmap call goes through an Env so tests can
// swap in an in-memory or fault-injecting implementation.
//
// Env::Default() is the POSIX environment, shared by the process and never
// destroyed. Env::NewMemEnv() returns a private in-memory file system owned by
// the caller; it must outlive every database opened on it. Env methods are
// thread-safe; the file objects they return are used by one thread at a time.
#ifndef NENDB_ENV_H_
#define NENDB_ENV_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace nendb {

// A file written front to back. Appended data may wait in a buffer of the
// process; Flush() hands it to the OS (then other processes can read it and
// it survives the death of this process), and Sync() makes it durable. Append,
// Flush, Sync and Size may be called from different threads: Sync makes
// durable everything appended before it was called, while later appends
// proceed.
class WritableFile {
 public:
  virtual ~WritableFile() = default;
  virtual absl::Status Append(absl::string_view data) = 0;
  virtual absl::Status Flush() = 0;
  // Writes `bytes` zeros past what was appended so far without counting them
  // in Size(); later appends overwrite them. A file grown ahead this way is
  // synced without updating its size each time (cheaper syncs for a log).
  virtual absl::Status Preallocate(uint64_t bytes) = 0;
  virtual absl::Status Sync() = 0;  // data and size durable (fdatasync)
  virtual absl::Status Close() = 0;
  virtual uint64_t Size() const = 0;  // bytes appended (not preallocated)
};

// A file read at arbitrary offsets.
class RandomAccessFile {
 public:
  virtual ~RandomAccessFile() = default;
  // Reads up to n bytes at offset into scratch; returns the bytes read, fewer
  // than n only at the end of the file.
  virtual absl::StatusOr<absl::string_view> Read(uint64_t offset, size_t n,
                                                 char* scratch) const = 0;
  virtual uint64_t Size() const = 0;
};

// A read-only mapping of a whole file; unmapped when the last owner lets go.
class MappedFile {
 public:
  virtual ~MappedFile() = default;
  virtual const std::byte* data() const = 0;
  virtual size_t size() const = 0;
  virtual const std::string& path() const = 0;
};

enum class LockMode : uint8_t { kShared, kExclusive };

// A file used for byte locks: Linux open-file-description locks, held by this
// open file rather than by the process, so locks of two LockFiles conflict
// even within one process, closing some other descriptor of the file drops
// nothing, and the kernel releases them when the LockFile is destroyed or
// the process dies. One owner at a time (not thread-safe).
class LockFile {
 public:
  virtual ~LockFile() = default;  // releases every lock held through it
  // Locks byte `index` without waiting: Busy if another LockFile holds a
  // conflicting lock. Converts a lock this LockFile holds in place.
  virtual absl::Status TryLock(uint64_t index, LockMode mode) = 0;
  virtual void Unlock(uint64_t index) = 0;
  // Whether another LockFile holds any lock on byte `index`.
  virtual absl::StatusOr<bool> HeldByOthers(uint64_t index) = 0;
};

// A file mapped read-write and shared: stores are seen at once by every
// process (and every mapping) of the file. Unmapped by destruction.
class SharedMemory {
 public:
  virtual ~SharedMemory() = default;
  virtual std::byte* data() = 0;
  virtual size_t size() const = 0;
};

class Env {
 public:
  virtual ~Env() = default;

  static Env* Default();
  static std::unique_ptr<Env> NewMemEnv();

  // Creates or truncates path.
  virtual absl::StatusOr<std::unique_ptr<WritableFile>> NewWritableFile(
      const std::string& path) = 0;
  // Opens an existing file to write from `offset` on (at most its size),
  // over what is there; Size() counts from the start of the file.
  virtual absl::StatusOr<std::unique_ptr<WritableFile>> NewWritableFileAt(const std::string& path,
                                                                          uint64_t offset) = 0;
  // Cuts path to `size` bytes (durable after the file's next Sync()).
  virtual absl::Status TruncateFile(const std::string& path, uint64_t size) = 0;
  virtual absl::StatusOr<std::unique_ptr<RandomAccessFile>> NewRandomAccessFile(
      const std::string& path) = 0;
  virtual absl::StatusOr<std::shared_ptr<const MappedFile>> MapFile(const std::string& path) = 0;

  virtual bool FileExists(const std::string& path) = 0;
  virtual bool IsDirectory(const std::string& path) = 0;
  virtual absl::StatusOr<uint64_t> FileSize(const std::string& path) = 0;
  virtual absl::StatusOr<std::vector<std::string>> ListDir(const std::string& dir) = 0;
  virtual absl::Status CreateDir(const std::string& dir) = 0;  // OK if it exists
  virtual absl::Status DeleteFile(const std::string& path) = 0;
  virtual absl::Status RenameFile(const std::string& from, const std::string& to) = 0;
  // Makes creations, renames and deletions in dir durable.
  virtual absl::Status SyncDir(const std::string& dir) = 0;

  // Opens path (created if missing) for byte locks.
  virtual absl::StatusOr<std::unique_ptr<LockFile>> OpenLockFile(const std::string& path) = 0;
  // Maps path read-write and shared, creating it or extending it with zeros
  // to at least `size` bytes first.
  virtual absl::StatusOr<std::unique_ptr<SharedMemory>> MapSharedFile(const std::string& path,
                                                                      size_t size) = 0;
};

}  // namespace nendb

#endif  // NENDB_ENV_H_
