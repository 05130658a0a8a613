// An in-memory Env for fast tests: a map from path to file contents, with
// directories, renames, locks and mappings that behave like POSIX ones (a
// mapping keeps the contents it saw even if the file is later replaced).
#include <algorithm>
#include <cstring>
#include <map>
#include <memory>
#include <set>
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "env/mem_locks.h"
#include "nendb/env.h"
#include "nendb/errors.h"

namespace nendb {
namespace {

using Contents = std::shared_ptr<std::string>;

std::string Parent(const std::string& path) {
  size_t slash = path.rfind('/');
  return slash == std::string::npos ? std::string(".") : path.substr(0, slash);
}

class MemState {
 public:
  absl::Mutex mu;
  std::map<std::string, Contents> files ABSL_GUARDED_BY(mu);
  std::set<std::string> dirs ABSL_GUARDED_BY(mu);
  const std::shared_ptr<MemLocks> locks = std::make_shared<MemLocks>();
};

class MemWritableFile final : public WritableFile {
 public:
  MemWritableFile(std::shared_ptr<MemState> state, Contents contents, uint64_t pos = 0)
      : state_(std::move(state)), contents_(std::move(contents)), pos_(pos) {}
  absl::Status Append(absl::string_view data) override {
    absl::MutexLock l(&state_->mu);
    if (contents_->size() < pos_ + data.size()) contents_->resize(pos_ + data.size());
    contents_->replace(pos_, data.size(), data.data(), data.size());
    pos_ += data.size();
    return absl::OkStatus();
  }
  absl::Status Flush() override { return absl::OkStatus(); }
  absl::Status Preallocate(uint64_t bytes) override {
    absl::MutexLock l(&state_->mu);
    if (contents_->size() < pos_ + bytes) contents_->resize(pos_ + bytes, '\0');
    return absl::OkStatus();
  }
  absl::Status Sync() override { return absl::OkStatus(); }
  absl::Status Close() override { return absl::OkStatus(); }
  uint64_t Size() const override { return pos_; }

 private:
  std::shared_ptr<MemState> state_;
  Contents contents_;
  uint64_t pos_;  // where the next append goes
};

class MemRandomAccessFile final : public RandomAccessFile {
 public:
  explicit MemRandomAccessFile(std::string contents) : contents_(std::move(contents)) {}
  absl::StatusOr<absl::string_view> Read(uint64_t offset, size_t n, char* scratch) const override {
    if (offset >= contents_.size()) return absl::string_view(scratch, 0);
    size_t k = std::min<size_t>(n, contents_.size() - offset);
    std::memcpy(scratch, contents_.data() + offset, k);
    return absl::string_view(scratch, k);
  }
  uint64_t Size() const override { return contents_.size(); }

 private:
  std::string contents_;
};

class MemMappedFile final : public MappedFile {
 public:
  MemMappedFile(std::string path, std::string contents)
      : path_(std::move(path)), contents_(std::move(contents)) {}
  const std::byte* data() const override {
    return reinterpret_cast<const std::byte*>(contents_.data());
  }
  size_t size() const override { return contents_.size(); }
  const std::string& path() const override { return path_; }

 private:
  std::string path_;
  std::string contents_;
};

class MemEnv final : public Env {
 public:
  MemEnv() : state_(std::make_shared<MemState>()) {
    absl::MutexLock l(&state_->mu);
    state_->dirs.insert(".");
    state_->dirs.insert("/");
  }

  absl::StatusOr<std::unique_ptr<WritableFile>> NewWritableFile(const std::string& path) override {
    absl::MutexLock l(&state_->mu);
    if (!state_->dirs.count(Parent(path))) return IOError(absl::StrCat("create ", path), ENOENT);
    auto contents = std::make_shared<std::string>();
    state_->files[path] = contents;
    return std::make_unique<MemWritableFile>(state_, contents);
  }

  absl::StatusOr<std::unique_ptr<WritableFile>> NewWritableFileAt(const std::string& path,
                                                                  uint64_t offset) override {
    absl::MutexLock l(&state_->mu);
    auto it = state_->files.find(path);
    if (it == state_->files.end()) return IOError(absl::StrCat("open ", path), ENOENT);
    if (offset > it->second->size()) {
      return absl::InvalidArgumentError(
          absl::StrCat("cannot write ", path, " from offset ", offset));
    }
    return std::make_unique<MemWritableFile>(state_, it->second, offset);
  }

  absl::Status TruncateFile(const std::string& path, uint64_t size) override {
    absl::MutexLock l(&state_->mu);
    auto it = state_->files.find(path);
    if (it == state_->files.end()) return IOError(absl::StrCat("truncate ", path), ENOENT);
    it->second->resize(size);
    return absl::OkStatus();
  }

  absl::StatusOr<std::unique_ptr<RandomAccessFile>> NewRandomAccessFile(
      const std::string& path) override {
    absl::MutexLock l(&state_->mu);
    auto it = state_->files.find(path);
    if (it == state_->files.end()) return IOError(absl::StrCat("open ", path), ENOENT);
    return std::make_unique<MemRandomAccessFile>(*it->second);
  }

  absl::StatusOr<std::shared_ptr<const MappedFile>> MapFile(const std::string& path) override {
    absl::MutexLock l(&state_->mu);
    auto it = state_->files.find(path);
    if (it == state_->files.end()) return IOError(absl::StrCat("open ", path), ENOENT);
    return std::make_shared<MemMappedFile>(path, *it->second);
  }

  bool FileExists(const std::string& path) override {
    absl::MutexLock l(&state_->mu);
    return state_->files.count(path) || state_->dirs.count(path);
  }

  bool IsDirectory(const std::string& path) override {
    absl::MutexLock l(&state_->mu);
    return state_->dirs.count(path) > 0;
  }

  absl::StatusOr<uint64_t> FileSize(const std::string& path) override {
    absl::MutexLock l(&state_->mu);
    auto it = state_->files.find(path);
    if (it == state_->files.end()) return IOError(absl::StrCat("stat ", path), ENOENT);
    return it->second->size();
  }

  absl::StatusOr<std::vector<std::string>> ListDir(const std::string& dir) override {
    absl::MutexLock l(&state_->mu);
    if (!state_->dirs.count(dir)) return IOError(absl::StrCat("list ", dir), ENOENT);
    std::vector<std::string> names;
    const std::string prefix = dir + "/";
    for (const auto& [path, contents] : state_->files) {
      if (absl::StartsWith(path, prefix) && path.find('/', prefix.size()) == std::string::npos) {
        names.push_back(path.substr(prefix.size()));
      }
    }
    return names;
  }

  absl::Status CreateDir(const std::string& dir) override {
    absl::MutexLock l(&state_->mu);
    if (state_->files.count(dir)) return IOError(absl::StrCat("create directory ", dir), EEXIST);
    state_->dirs.insert(dir);
    return absl::OkStatus();
  }

  absl::Status DeleteFile(const std::string& path) override {
    absl::MutexLock l(&state_->mu);
    if (state_->files.erase(path) == 0) return IOError(absl::StrCat("delete ", path), ENOENT);
    return absl::OkStatus();
  }

  absl::Status RenameFile(const std::string& from, const std::string& to) override {
    absl::MutexLock l(&state_->mu);
    auto it = state_->files.find(from);
    if (it == state_->files.end()) return IOError(absl::StrCat("rename ", from), ENOENT);
    state_->files[to] = it->second;
    state_->files.erase(from);
    return absl::OkStatus();
  }

  absl::Status SyncDir(const std::string& dir) override { return absl::OkStatus(); }

  // Lock files and shared memory files exist as (empty) files; their locks
  // and mapped bytes live in MemLocks.
  absl::StatusOr<std::unique_ptr<LockFile>> OpenLockFile(const std::string& path) override {
    Touch(path);
    return state_->locks->Open(path);
  }
  absl::StatusOr<std::unique_ptr<SharedMemory>> MapSharedFile(const std::string& path,
                                                              size_t size) override {
    Touch(path);
    return state_->locks->Map(path, size);
  }

 private:
  void Touch(const std::string& path) {
    absl::MutexLock l(&state_->mu);
    if (!state_->files.count(path)) state_->files[path] = std::make_shared<std::string>();
  }

  std::shared_ptr<MemState> state_;
};

}  // namespace

std::unique_ptr<Env> Env::NewMemEnv() { return std::make_unique<MemEnv>(); }

}  // namespace nendb
