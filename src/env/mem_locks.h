// MemLocks: byte locks and shared memory for the in-memory Envs, modelling
// what Linux gives processes through open-file-description locks and
// MAP_SHARED mappings. Each LockFile it hands out stands for one open file:
// locks of different LockFiles conflict, even in one process, and a
// LockFile's locks go when it is destroyed. Shared memory is one buffer per
// path that every mapping of the path sees.
//
// Thread-safe. The LockFiles and mappings keep the state alive.
#ifndef NENDB_ENV_MEM_LOCKS_H_
#define NENDB_ENV_MEM_LOCKS_H_

#include <cstdint>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <utility>

#include "absl/synchronization/mutex.h"
#include "nendb/env.h"

namespace nendb {

class MemLocks : public std::enable_shared_from_this<MemLocks> {
 public:
  std::unique_ptr<LockFile> Open(const std::string& path);
  std::unique_ptr<SharedMemory> Map(const std::string& path, size_t size);
  // Every lock is dropped (the processes holding them died); LockFiles
  // already handed out hold nothing and take nothing any more.
  void DropAll();

  // Used by the LockFiles.
  absl::Status TryLock(const void* owner, uint64_t epoch, const std::string& path, uint64_t index,
                       LockMode mode);
  void Unlock(const void* owner, uint64_t epoch, const std::string& path, uint64_t index);
  bool HeldByOthers(const void* owner, const std::string& path, uint64_t index);
  uint64_t epoch();

 private:
  struct Holders {
    const void* exclusive = nullptr;
    std::set<const void*> shared;
  };
  absl::Mutex mu_;
  uint64_t epoch_ ABSL_GUARDED_BY(mu_) = 1;
  std::map<std::pair<std::string, uint64_t>, Holders> locks_ ABSL_GUARDED_BY(mu_);
  std::map<std::string, std::shared_ptr<std::string>> memory_ ABSL_GUARDED_BY(mu_);
};

}  // namespace nendb

#endif  // NENDB_ENV_MEM_LOCKS_H_
