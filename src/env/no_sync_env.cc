#include "env/no_sync_env.h"

#include <string>
#include <vector>

namespace nendb {
namespace {

class NoSyncFile final : public WritableFile {
 public:
  explicit NoSyncFile(std::unique_ptr<WritableFile> base) : base_(std::move(base)) {}
  absl::Status Append(absl::string_view data) override { return base_->Append(data); }
  absl::Status Flush() override { return base_->Flush(); }
  absl::Status Preallocate(uint64_t bytes) override { return base_->Preallocate(bytes); }
  // What a sync promises a later reader of this process still holds: the
  // data is with the OS.
  absl::Status Sync() override { return base_->Flush(); }
  absl::Status Close() override { return base_->Close(); }
  uint64_t Size() const override { return base_->Size(); }

 private:
  std::unique_ptr<WritableFile> base_;
};

class NoSyncEnv final : public Env {
 public:
  explicit NoSyncEnv(Env* base) : base_(base) {}

  absl::StatusOr<std::unique_ptr<WritableFile>> NewWritableFile(const std::string& path) override {
    return Wrap(base_->NewWritableFile(path));
  }
  absl::StatusOr<std::unique_ptr<WritableFile>> NewWritableFileAt(const std::string& path,
                                                                  uint64_t offset) override {
    return Wrap(base_->NewWritableFileAt(path, offset));
  }
  absl::Status TruncateFile(const std::string& path, uint64_t size) override {
    return base_->TruncateFile(path, size);
  }
  absl::StatusOr<std::unique_ptr<RandomAccessFile>> NewRandomAccessFile(
      const std::string& path) override {
    return base_->NewRandomAccessFile(path);
  }
  absl::StatusOr<std::shared_ptr<const MappedFile>> MapFile(const std::string& path) override {
    return base_->MapFile(path);
  }
  bool FileExists(const std::string& path) override { return base_->FileExists(path); }
  bool IsDirectory(const std::string& path) override { return base_->IsDirectory(path); }
  absl::StatusOr<uint64_t> FileSize(const std::string& path) override {
    return base_->FileSize(path);
  }
  absl::StatusOr<std::vector<std::string>> ListDir(const std::string& dir) override {
    return base_->ListDir(dir);
  }
  absl::Status CreateDir(const std::string& dir) override { return base_->CreateDir(dir); }
  absl::Status DeleteFile(const std::string& path) override { return base_->DeleteFile(path); }
  absl::Status RenameFile(const std::string& from, const std::string& to) override {
    return base_->RenameFile(from, to);
  }
  absl::Status SyncDir(const std::string& dir) override { return absl::OkStatus(); }
  absl::StatusOr<std::unique_ptr<LockFile>> OpenLockFile(const std::string& path) override {
    return base_->OpenLockFile(path);
  }
  absl::StatusOr<std::unique_ptr<SharedMemory>> MapSharedFile(const std::string& path,
                                                              size_t size) override {
    return base_->MapSharedFile(path, size);
  }

 private:
  static absl::StatusOr<std::unique_ptr<WritableFile>> Wrap(
      absl::StatusOr<std::unique_ptr<WritableFile>> f) {
    if (!f.ok()) return f.status();
    return std::unique_ptr<WritableFile>(std::make_unique<NoSyncFile>(std::move(*f)));
  }

  Env* const base_;
};

}  // namespace

std::unique_ptr<Env> NewNoSyncEnv(Env* base) { return std::make_unique<NoSyncEnv>(base); }

}  // namespace nendb
