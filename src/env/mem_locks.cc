#include "env/mem_locks.h"

#include "absl/strings/str_cat.h"
#include "nendb/errors.h"
#include "util/status_macros.h"

namespace nendb {
namespace {

class MemLockFile final : public LockFile {
 public:
  MemLockFile(std::shared_ptr<MemLocks> locks, std::string path)
      : locks_(std::move(locks)), path_(std::move(path)), epoch_(locks_->epoch()) {}
  ~MemLockFile() override {
    for (uint64_t index : held_) locks_->Unlock(this, epoch_, path_, index);
  }
  absl::Status TryLock(uint64_t index, LockMode mode) override {
    NENDB_RETURN_IF_ERROR(locks_->TryLock(this, epoch_, path_, index, mode));
    held_.insert(index);
    return absl::OkStatus();
  }
  void Unlock(uint64_t index) override {
    locks_->Unlock(this, epoch_, path_, index);
    held_.erase(index);
  }
  absl::StatusOr<bool> HeldByOthers(uint64_t index) override {
    return locks_->HeldByOthers(this, path_, index);
  }

 private:
  std::shared_ptr<MemLocks> locks_;
  std::string path_;
  uint64_t epoch_;
  std::set<uint64_t> held_;
};

class MemSharedMemory final : public SharedMemory {
 public:
  explicit MemSharedMemory(std::shared_ptr<std::string> bytes) : bytes_(std::move(bytes)) {}
  std::byte* data() override { return reinterpret_cast<std::byte*>(bytes_->data()); }
  size_t size() const override { return bytes_->size(); }

 private:
  std::shared_ptr<std::string> bytes_;  // never resized while mapped
};

}  // namespace

std::unique_ptr<LockFile> MemLocks::Open(const std::string& path) {
  return std::make_unique<MemLockFile>(shared_from_this(), path);
}

std::unique_ptr<SharedMemory> MemLocks::Map(const std::string& path, size_t size) {
  absl::MutexLock l(&mu_);
  auto& bytes = memory_[path];
  if (bytes == nullptr) bytes = std::make_shared<std::string>();
  // A mapping keeps the buffer it saw; a larger one is a new buffer holding
  // the old contents (as when a file is extended and mapped again).
  if (bytes->size() < size) {
    auto grown = std::make_shared<std::string>(*bytes);
    grown->resize(size, '\0');
    bytes = std::move(grown);
  }
  return std::make_unique<MemSharedMemory>(bytes);
}

void MemLocks::DropAll() {
  absl::MutexLock l(&mu_);
  locks_.clear();
  ++epoch_;
}

uint64_t MemLocks::epoch() {
  absl::MutexLock l(&mu_);
  return epoch_;
}

absl::Status MemLocks::TryLock(const void* owner, uint64_t epoch, const std::string& path,
                               uint64_t index, LockMode mode) {
  absl::MutexLock l(&mu_);
  if (epoch != epoch_) return IOError(absl::StrCat("lock ", path, " (its process died)"), EIO);
  Holders& h = locks_[{path, index}];
  const bool others_shared = h.shared.size() > (h.shared.count(owner) ? 1u : 0u);
  if ((h.exclusive != nullptr && h.exclusive != owner) ||
      (mode == LockMode::kExclusive && others_shared)) {
    return BusyError(absl::StrCat("byte ", index, " of ", path, " is locked"));
  }
  h.shared.erase(owner);
  if (mode == LockMode::kExclusive) {
    h.exclusive = owner;
  } else {
    if (h.exclusive == owner) h.exclusive = nullptr;
    h.shared.insert(owner);
  }
  return absl::OkStatus();
}

void MemLocks::Unlock(const void* owner, uint64_t epoch, const std::string& path, uint64_t index) {
  absl::MutexLock l(&mu_);
  if (epoch != epoch_) return;
  auto it = locks_.find({path, index});
  if (it == locks_.end()) return;
  if (it->second.exclusive == owner) it->second.exclusive = nullptr;
  it->second.shared.erase(owner);
  if (it->second.exclusive == nullptr && it->second.shared.empty()) locks_.erase(it);
}

bool MemLocks::HeldByOthers(const void* owner, const std::string& path, uint64_t index) {
  absl::MutexLock l(&mu_);
  auto it = locks_.find({path, index});
  if (it == locks_.end()) return false;
  const Holders& h = it->second;
  return (h.exclusive != nullptr && h.exclusive != owner) ||
         h.shared.size() > (h.shared.count(owner) ? 1u : 0u);
}

}  // namespace nendb
