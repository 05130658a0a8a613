#include "env/fault_env.h"

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "env/mem_locks.h"
#include "nendb/errors.h"

namespace nendb {
namespace {

std::string ParentOf(const std::string& path, std::string* name) {
  const size_t slash = path.rfind('/');
  if (slash == std::string::npos) {
    *name = path;
    return ".";
  }
  *name = path.substr(slash + 1);
  return slash == 0 ? "/" : path.substr(0, slash);
}

class FaultWritableFile final : public WritableFile {
 public:
  FaultWritableFile(FaultEnv* env, std::shared_ptr<FaultEnv::File> file, std::string path,
                    uint64_t incarnation, uint64_t pos)
      : env_(env),
        file_(std::move(file)),
        path_(std::move(path)),
        incarnation_(incarnation),
        pos_(pos) {}

  absl::Status Append(absl::string_view data) override {
    std::string partial(data.substr(0, data.size() / 2));
    absl::Status s = env_->Check(incarnation_, "append to " + path_, false, &partial);
    absl::MutexLock l(&env_->mu_);
    if (!s.ok()) {
      if (!partial.empty()) WriteAt(partial);  // a short write
      return s;
    }
    WriteAt(data);
    return absl::OkStatus();
  }
  absl::Status Preallocate(uint64_t bytes) override {
    if (absl::Status s = env_->Check(incarnation_, "preallocate " + path_, false); !s.ok()) {
      return s;
    }
    absl::MutexLock l(&env_->mu_);
    if (file_->data.size() < pos_ + bytes) file_->data.resize(pos_ + bytes, '\0');
    return absl::OkStatus();
  }
  // Appends reach the modelled OS at once; a flush is only a call that can
  // fail.
  absl::Status Flush() override { return env_->Check(incarnation_, "flush " + path_, false); }
  absl::Status Sync() override {
    if (absl::Status s = env_->Check(incarnation_, "sync " + path_, true); !s.ok()) return s;
    const absl::Duration delay = env_->sync_delay();
    std::string data;
    {
      absl::MutexLock l(&env_->mu_);
      data = file_->data;
    }
    absl::SleepFor(delay);
    absl::MutexLock l(&env_->mu_);
    if (incarnation_ != env_->incarnation_ || env_->dead_) {  // it crashed meanwhile
      return IOError(absl::StrCat("sync ", path_, " (the process that opened it has crashed)"),
                     EIO);
    }
    file_->synced = std::move(data);
    ++env_->file_syncs_;
    return absl::OkStatus();
  }
  absl::Status Close() override { return absl::OkStatus(); }
  uint64_t Size() const override {
    absl::MutexLock l(&env_->mu_);
    return pos_;
  }

 private:
  void WriteAt(absl::string_view data) ABSL_EXCLUSIVE_LOCKS_REQUIRED(env_->mu_) {
    std::string& d = file_->data;
    if (d.size() < pos_ + data.size()) d.resize(pos_ + data.size());
    d.replace(pos_, data.size(), data.data(), data.size());
    pos_ += data.size();
  }

  FaultEnv* env_;
  std::shared_ptr<FaultEnv::File> file_;
  std::string path_;
  uint64_t incarnation_;
  uint64_t pos_;  // where the next append goes
};

class FaultRandomAccessFile final : public RandomAccessFile {
 public:
  explicit FaultRandomAccessFile(std::string data) : data_(std::move(data)) {}
  absl::StatusOr<absl::string_view> Read(uint64_t offset, size_t n, char* scratch) const override {
    if (offset >= data_.size()) return absl::string_view(scratch, 0);
    const size_t k = std::min<size_t>(n, data_.size() - offset);
    std::memcpy(scratch, data_.data() + offset, k);
    return absl::string_view(scratch, k);
  }
  uint64_t Size() const override { return data_.size(); }

 private:
  std::string data_;
};

class FaultMappedFile final : public MappedFile {
 public:
  FaultMappedFile(std::string path, std::string data)
      : path_(std::move(path)), data_(std::move(data)) {}
  const std::byte* data() const override {
    return reinterpret_cast<const std::byte*>(data_.data());
  }
  size_t size() const override { return data_.size(); }
  const std::string& path() const override { return path_; }

 private:
  std::string path_;
  std::string data_;
};

}  // namespace

FaultEnv::FaultEnv() : locks_(std::make_shared<MemLocks>()) {
  absl::MutexLock l(&mu_);
  dirs_["/"];
  dirs_["."];
}

FaultEnv::~FaultEnv() = default;

absl::Status FaultEnv::Check(uint64_t incarnation, const std::string& what, bool sync_point,
                             std::string* append) {
  absl::MutexLock l(&mu_);
  return CheckLocked(incarnation, what, sync_point, append);
}

absl::Status FaultEnv::CheckLocked(uint64_t incarnation, const std::string& what, bool sync_point,
                                   std::string* append) {
  if (incarnation != incarnation_ || dead_) {
    if (append != nullptr) append->clear();
    return IOError(absl::StrCat(what, " (the process that opened it has crashed)"), EIO);
  }
  ++io_calls_;
  if (crash_at_call_ != 0 && io_calls_ == crash_at_call_) {
    if (append != nullptr) append->clear();
    CrashLocked(crash_options_);
    return IOError(absl::StrCat(what, " (crashed here)"), EIO);
  }
  if (fail_at_ != 0 && (io_calls_ == fail_at_ || (fail_persistent_ && io_calls_ > fail_at_))) {
    if (append != nullptr && !fail_short_) append->clear();
    return IOError(absl::StrCat(what, " (injected)"), fail_errno_);
  }
  if (append != nullptr) append->clear();
  if (sync_point) {
    ++sync_points_;
    if (crash_at_sync_ != 0 && sync_points_ == crash_at_sync_) {
      CrashLocked(crash_options_);
      return IOError(absl::StrCat(what, " (crashed here)"), EIO);
    }
  }
  return absl::OkStatus();
}

void FaultEnv::Crash(const CrashOptions& options) {
  absl::MutexLock l(&mu_);
  CrashLocked(options);
}

void FaultEnv::CrashLocked(const CrashOptions& options) {
  std::mt19937_64 rng(options.torn_seed);
  for (auto& [path, dir] : dirs_) {
    if (options.drop_unsynced_entries) dir.entries = dir.durable;
    for (auto& [name, file] : dir.entries) {
      if (options.drop_unsynced_data) Tear(*file, options.torn_seed != 0 ? &rng : nullptr);
    }
  }
  locks_->DropAll();
  ++incarnation_;
  crashed_ = true;
  dead_ = true;
  crash_at_sync_ = 0;
  crash_at_call_ = 0;
}

void FaultEnv::Tear(File& file, std::mt19937_64* rng) {
  const size_t synced = file.synced.size();
  if (rng == nullptr || file.data.size() <= synced ||
      file.data.compare(0, synced, file.synced) != 0) {
    file.data = file.synced;
    file.synced = file.data;
    return;
  }
  constexpr size_t kSector = 512;
  const size_t keep = synced + (*rng)() % (file.data.size() - synced + 1);
  file.data.resize(keep);
  for (size_t at = synced; at < keep; at += kSector) {
    if ((*rng)() % 2 == 0) std::fill_n(file.data.begin() + at, std::min(kSector, keep - at), '\0');
  }
  file.synced = file.data;
}

void FaultEnv::CrashAtCall(uint64_t k, const CrashOptions& options) {
  absl::MutexLock l(&mu_);
  crash_at_call_ = io_calls_ + k;
  crash_options_ = options;
}

void FaultEnv::Restart() {
  absl::MutexLock l(&mu_);
  dead_ = false;
}

void FaultEnv::FailAt(uint64_t k, int errno_value, bool persistent, bool short_write) {
  absl::MutexLock l(&mu_);
  fail_at_ = io_calls_ + k;
  fail_errno_ = errno_value;
  fail_persistent_ = persistent;
  fail_short_ = short_write;
}

void FaultEnv::CrashAtSync(uint64_t k, const CrashOptions& options) {
  absl::MutexLock l(&mu_);
  crash_at_sync_ = sync_points_ + k;
  crash_options_ = options;
}

void FaultEnv::set_sync_delay(absl::Duration delay) {
  absl::MutexLock l(&mu_);
  sync_delay_ = delay;
}

absl::Duration FaultEnv::sync_delay() const {
  absl::MutexLock l(&mu_);
  return sync_delay_;
}

uint64_t FaultEnv::file_syncs() const {
  absl::MutexLock l(&mu_);
  return file_syncs_;
}

void FaultEnv::ClearFaults() {
  absl::MutexLock l(&mu_);
  fail_at_ = 0;
  crash_at_sync_ = 0;
  crash_at_call_ = 0;
  crashed_ = false;
}

bool FaultEnv::crashed_since_clear() const {
  absl::MutexLock l(&mu_);
  return crashed_;
}

uint64_t FaultEnv::io_calls() const {
  absl::MutexLock l(&mu_);
  return io_calls_;
}

uint64_t FaultEnv::sync_points() const {
  absl::MutexLock l(&mu_);
  return sync_points_;
}

FaultEnv::Dir* FaultEnv::DirOf(const std::string& path, std::string* name) {
  auto it = dirs_.find(ParentOf(path, name));
  return it == dirs_.end() ? nullptr : &it->second;
}

std::shared_ptr<FaultEnv::File> FaultEnv::Find(const std::string& path) {
  std::string name;
  Dir* d = DirOf(path, &name);
  if (d == nullptr) return nullptr;
  auto it = d->entries.find(name);
  return it == d->entries.end() ? nullptr : it->second;
}

std::string FaultEnv::Contents(const std::string& path) const {
  auto* self = const_cast<FaultEnv*>(this);
  absl::MutexLock l(&self->mu_);
  auto f = self->Find(path);
  return f == nullptr ? std::string() : f->data;
}

void FaultEnv::SetContents(const std::string& path, const std::string& data) {
  absl::MutexLock l(&mu_);
  if (auto f = Find(path)) f->data = f->synced = data;
}

absl::StatusOr<std::unique_ptr<WritableFile>> FaultEnv::NewWritableFile(const std::string& path) {
  absl::MutexLock l(&mu_);
  if (auto s = CheckLocked(incarnation_, "create " + path, false, nullptr); !s.ok()) return s;
  std::string name;
  Dir* d = DirOf(path, &name);
  if (d == nullptr) return IOError(absl::StrCat("create ", path), ENOENT);
  auto f = std::make_shared<File>();
  d->entries[name] = f;  // durable only after SyncDir
  return std::make_unique<FaultWritableFile>(this, f, path, incarnation_, 0);
}

absl::StatusOr<std::unique_ptr<WritableFile>> FaultEnv::NewWritableFileAt(const std::string& path,
                                                                          uint64_t offset) {
  absl::MutexLock l(&mu_);
  if (auto s = CheckLocked(incarnation_, "open " + path, false, nullptr); !s.ok()) return s;
  auto f = Find(path);
  if (f == nullptr) return IOError(absl::StrCat("open ", path), ENOENT);
  if (offset > f->data.size()) {
    return absl::InvalidArgumentError(absl::StrCat("cannot write ", path, " from offset ", offset));
  }
  return std::make_unique<FaultWritableFile>(this, f, path, incarnation_, offset);
}

absl::Status FaultEnv::TruncateFile(const std::string& path, uint64_t size) {
  absl::MutexLock l(&mu_);
  if (auto s = CheckLocked(incarnation_, "truncate " + path, false, nullptr); !s.ok()) return s;
  auto f = Find(path);
  if (f == nullptr) return IOError(absl::StrCat("truncate ", path), ENOENT);
  f->data.resize(size);
  return absl::OkStatus();
}

absl::StatusOr<std::unique_ptr<RandomAccessFile>> FaultEnv::NewRandomAccessFile(
    const std::string& path) {
  absl::MutexLock l(&mu_);
  if (auto s = CheckLocked(incarnation_, "open " + path, false, nullptr); !s.ok()) return s;
  auto f = Find(path);
  if (f == nullptr) return IOError(absl::StrCat("open ", path), ENOENT);
  return std::make_unique<FaultRandomAccessFile>(f->data);
}

absl::StatusOr<std::shared_ptr<const MappedFile>> FaultEnv::MapFile(const std::string& path) {
  absl::MutexLock l(&mu_);
  if (auto s = CheckLocked(incarnation_, "map " + path, false, nullptr); !s.ok()) return s;
  auto f = Find(path);
  if (f == nullptr) return IOError(absl::StrCat("open ", path), ENOENT);
  return std::make_shared<FaultMappedFile>(path, f->data);
}

bool FaultEnv::FileExists(const std::string& path) {
  absl::MutexLock l(&mu_);
  return dirs_.count(path) > 0 || Find(path) != nullptr;
}

bool FaultEnv::IsDirectory(const std::string& path) {
  absl::MutexLock l(&mu_);
  return dirs_.count(path) > 0;
}

absl::StatusOr<uint64_t> FaultEnv::FileSize(const std::string& path) {
  absl::MutexLock l(&mu_);
  auto f = Find(path);
  if (f == nullptr) return IOError(absl::StrCat("stat ", path), ENOENT);
  return f->data.size();
}

absl::StatusOr<std::vector<std::string>> FaultEnv::ListDir(const std::string& dir) {
  absl::MutexLock l(&mu_);
  if (auto s = CheckLocked(incarnation_, "list " + dir, false, nullptr); !s.ok()) return s;
  auto it = dirs_.find(dir);
  if (it == dirs_.end()) return IOError(absl::StrCat("list ", dir), ENOENT);
  std::vector<std::string> names;
  for (const auto& [name, file] : it->second.entries) names.push_back(name);
  return names;
}

absl::Status FaultEnv::CreateDir(const std::string& dir) {
  absl::MutexLock l(&mu_);
  if (auto s = CheckLocked(incarnation_, "create directory " + dir, false, nullptr); !s.ok()) {
    return s;
  }
  dirs_[dir];  // directories themselves survive crashes
  return absl::OkStatus();
}

absl::Status FaultEnv::DeleteFile(const std::string& path) {
  absl::MutexLock l(&mu_);
  if (auto s = CheckLocked(incarnation_, "delete " + path, false, nullptr); !s.ok()) return s;
  std::string name;
  Dir* d = DirOf(path, &name);
  if (d == nullptr || d->entries.erase(name) == 0) {
    return IOError(absl::StrCat("delete ", path), ENOENT);
  }
  return absl::OkStatus();
}

absl::Status FaultEnv::RenameFile(const std::string& from, const std::string& to) {
  absl::MutexLock l(&mu_);
  if (auto s = CheckLocked(incarnation_, "rename " + from, true, nullptr); !s.ok()) return s;
  std::string from_name, to_name;
  Dir* fd = DirOf(from, &from_name);
  Dir* td = DirOf(to, &to_name);
  if (fd == nullptr || td == nullptr || !fd->entries.count(from_name)) {
    return IOError(absl::StrCat("rename ", from), ENOENT);
  }
  td->entries[to_name] = fd->entries[from_name];
  fd->entries.erase(from_name);
  return absl::OkStatus();
}

absl::Status FaultEnv::SyncDir(const std::string& dir) {
  absl::MutexLock l(&mu_);
  if (auto s = CheckLocked(incarnation_, "sync directory " + dir, true, nullptr); !s.ok()) {
    return s;
  }
  auto it = dirs_.find(dir);
  if (it == dirs_.end()) return IOError(absl::StrCat("sync directory ", dir), ENOENT);
  it->second.durable = it->second.entries;
  return absl::OkStatus();
}

// Lock files and shared memory files are files of the directory; their locks
// and mapped bytes live in MemLocks (a crash drops the locks and keeps the
// bytes: shared memory is only a cache).
absl::StatusOr<std::unique_ptr<LockFile>> FaultEnv::OpenLockFile(const std::string& path) {
  absl::MutexLock l(&mu_);
  if (auto s = CheckLocked(incarnation_, "open lock file " + path, false, nullptr); !s.ok()) {
    return s;
  }
  TouchLocked(path);
  return locks_->Open(path);
}

absl::StatusOr<std::unique_ptr<SharedMemory>> FaultEnv::MapSharedFile(const std::string& path,
                                                                      size_t size) {
  absl::MutexLock l(&mu_);
  if (auto s = CheckLocked(incarnation_, "map " + path, false, nullptr); !s.ok()) return s;
  TouchLocked(path);
  return locks_->Map(path, size);
}

void FaultEnv::TouchLocked(const std::string& path) {
  std::string name;
  if (Dir* d = DirOf(path, &name); d != nullptr && !d->entries.count(name)) {
    d->entries[name] = std::make_shared<File>();
  }
}

}  // namespace nendb
