// The POSIX Env: real files, fdatasync, rename, directory fsync, mmap and
// open-file-description locks (released by the kernel when the process dies).
#include <dirent.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "nendb/env.h"
#include "nendb/errors.h"

namespace nendb {
namespace {

class PosixWritableFile final : public WritableFile {
 public:
  // Writes from `offset` on of a file of `file_size` bytes.
  PosixWritableFile(std::string path, int fd, uint64_t offset = 0, uint64_t file_size = 0)
      : path_(std::move(path)),
        fd_(fd),
        size_(offset),
        written_(offset),
        allocated_(std::max(offset, file_size)) {}
  ~PosixWritableFile() override { (void)Close(); }

  absl::Status Append(absl::string_view data) override {
    absl::MutexLock l(&mu_);
    if (fd_ < 0) return ClosedError(absl::StrCat(path_, " is closed"));
    size_ += data.size();
    if (buf_.size() + data.size() <= kBufferBytes) {
      buf_.append(data.data(), data.size());
      return absl::OkStatus();
    }
    if (auto s = FlushLocked(); !s.ok()) return s;
    if (data.size() >= kBufferBytes) return WriteAll(data);
    buf_.append(data.data(), data.size());
    return absl::OkStatus();
  }

  absl::Status Flush() override {
    absl::MutexLock l(&mu_);
    if (fd_ < 0) return ClosedError(absl::StrCat(path_, " is closed"));
    return FlushLocked();
  }

  absl::Status Preallocate(uint64_t bytes) override {
    absl::MutexLock l(&mu_);
    if (fd_ < 0) return ClosedError(absl::StrCat(path_, " is closed"));
    static const char kZeros[64 << 10] = {};
    for (uint64_t end = size_ + bytes; allocated_ < end;) {
      const size_t n = static_cast<size_t>(std::min<uint64_t>(sizeof(kZeros), end - allocated_));
      const ssize_t w = ::pwrite(fd_, kZeros, n, static_cast<off_t>(allocated_));
      if (w < 0 && errno == EINTR) continue;
      if (w < 0) return IOError(absl::StrCat("write ", path_), errno);
      allocated_ += static_cast<uint64_t>(w);
    }
    return absl::OkStatus();
  }

  absl::Status Sync() override {
    int fd;
    {
      absl::MutexLock l(&mu_);
      if (fd_ < 0) return ClosedError(absl::StrCat(path_, " is closed"));
      if (auto s = FlushLocked(); !s.ok()) return s;
      fd = fd_;
    }
    // Appends may go on while the kernel syncs what was written before.
    if (::fdatasync(fd) != 0) return IOError(absl::StrCat("fdatasync ", path_), errno);
    return absl::OkStatus();
  }

  absl::Status Close() override {
    absl::MutexLock l(&mu_);
    if (fd_ < 0) return absl::OkStatus();
    absl::Status s = FlushLocked();
    if (::close(fd_) != 0 && s.ok()) s = IOError(absl::StrCat("close ", path_), errno);
    fd_ = -1;
    return s;
  }

  uint64_t Size() const override {
    absl::MutexLock l(&mu_);
    return size_;
  }

 private:
  static constexpr size_t kBufferBytes = 1 << 20;

  absl::Status FlushLocked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    absl::Status s = WriteAll(buf_);
    buf_.clear();
    return s;
  }

  // Positioned writes: the file may extend past them with preallocated zeros.
  absl::Status WriteAll(absl::string_view data) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    while (!data.empty()) {
      ssize_t n = ::pwrite(fd_, data.data(), data.size(), static_cast<off_t>(written_));
      if (n < 0) {
        if (errno == EINTR) continue;
        return IOError(absl::StrCat("write ", path_), errno);
      }
      data.remove_prefix(static_cast<size_t>(n));
      written_ += static_cast<uint64_t>(n);
      allocated_ = std::max(allocated_, written_);
    }
    return absl::OkStatus();
  }

  const std::string path_;
  mutable absl::Mutex mu_;
  int fd_ ABSL_GUARDED_BY(mu_);
  std::string buf_ ABSL_GUARDED_BY(mu_);
  uint64_t size_ ABSL_GUARDED_BY(mu_);       // appended, buffered or not
  uint64_t written_ ABSL_GUARDED_BY(mu_);    // handed to the OS
  uint64_t allocated_ ABSL_GUARDED_BY(mu_);  // the file's size: written and zeros
};

class PosixRandomAccessFile final : public RandomAccessFile {
 public:
  PosixRandomAccessFile(std::string path, int fd, uint64_t size)
      : path_(std::move(path)), fd_(fd), size_(size) {}
  ~PosixRandomAccessFile() override { ::close(fd_); }

  absl::StatusOr<absl::string_view> Read(uint64_t offset, size_t n, char* scratch) const override {
    size_t done = 0;
    while (done < n) {
      ssize_t r = ::pread(fd_, scratch + done, n - done, static_cast<off_t>(offset + done));
      if (r < 0) {
        if (errno == EINTR) continue;
        return IOError(absl::StrCat("read ", path_), errno);
      }
      if (r == 0) break;
      done += static_cast<size_t>(r);
    }
    return absl::string_view(scratch, done);
  }

  uint64_t Size() const override { return size_; }

 private:
  std::string path_;
  int fd_;
  uint64_t size_;
};

class PosixMappedFile final : public MappedFile {
 public:
  PosixMappedFile(std::string path, void* base, size_t size)
      : path_(std::move(path)), base_(base), size_(size) {}
  ~PosixMappedFile() override {
    if (base_ != nullptr) ::munmap(base_, size_);
  }
  const std::byte* data() const override { return static_cast<const std::byte*>(base_); }
  size_t size() const override { return size_; }
  const std::string& path() const override { return path_; }

 private:
  std::string path_;
  void* base_;
  size_t size_;
};

class PosixLockFile final : public LockFile {
 public:
  PosixLockFile(std::string path, int fd) : path_(std::move(path)), fd_(fd) {}
  ~PosixLockFile() override { ::close(fd_); }  // closing the description drops its locks

  absl::Status TryLock(uint64_t index, LockMode mode) override {
    struct flock fl = Range(index, mode == LockMode::kExclusive ? F_WRLCK : F_RDLCK);
    if (::fcntl(fd_, F_OFD_SETLK, &fl) == 0) return absl::OkStatus();
    if (errno == EAGAIN || errno == EACCES) {
      return BusyError(absl::StrCat("byte ", index, " of ", path_, " is locked"));
    }
    return IOError(absl::StrCat("lock byte ", index, " of ", path_), errno);
  }
  void Unlock(uint64_t index) override {
    struct flock fl = Range(index, F_UNLCK);
    (void)::fcntl(fd_, F_OFD_SETLK, &fl);
  }
  absl::StatusOr<bool> HeldByOthers(uint64_t index) override {
    // Locks of this description never conflict with the probe.
    struct flock fl = Range(index, F_WRLCK);
    if (::fcntl(fd_, F_OFD_GETLK, &fl) != 0) {
      return IOError(absl::StrCat("test the lock on byte ", index, " of ", path_), errno);
    }
    return fl.l_type != F_UNLCK;
  }

 private:
  static struct flock Range(uint64_t index, short type) {
    struct flock fl;
    std::memset(&fl, 0, sizeof(fl));
    fl.l_type = type;
    fl.l_whence = SEEK_SET;
    fl.l_start = static_cast<off_t>(index);
    fl.l_len = 1;
    return fl;
  }

  const std::string path_;
  const int fd_;
};

class PosixSharedMemory final : public SharedMemory {
 public:
  PosixSharedMemory(std::byte* data, size_t size) : data_(data), size_(size) {}
  ~PosixSharedMemory() override { ::munmap(data_, size_); }
  std::byte* data() override { return data_; }
  size_t size() const override { return size_; }

 private:
  std::byte* const data_;
  const size_t size_;
};

int OpenRetry(const char* path, int flags, mode_t mode = 0644) {
  int fd;
  do {
    fd = ::open(path, flags | O_CLOEXEC, mode);
  } while (fd < 0 && errno == EINTR);
  return fd;
}

// Opens path for reading and returns the descriptor and the file size.
absl::StatusOr<std::pair<int, uint64_t>> OpenForRead(const std::string& path) {
  int fd = OpenRetry(path.c_str(), O_RDONLY);
  if (fd < 0) return IOError(absl::StrCat("open ", path), errno);
  struct stat st;
  if (::fstat(fd, &st) != 0) {
    int e = errno;
    ::close(fd);
    return IOError(absl::StrCat("stat ", path), e);
  }
  return std::make_pair(fd, static_cast<uint64_t>(st.st_size));
}

class PosixEnv final : public Env {
 public:
  absl::StatusOr<std::unique_ptr<WritableFile>> NewWritableFile(const std::string& path) override {
    int fd = OpenRetry(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC);
    if (fd < 0) return IOError(absl::StrCat("create ", path), errno);
    return std::make_unique<PosixWritableFile>(path, fd);
  }

  absl::StatusOr<std::unique_ptr<WritableFile>> NewWritableFileAt(const std::string& path,
                                                                  uint64_t offset) override {
    int fd = OpenRetry(path.c_str(), O_WRONLY);
    if (fd < 0) return IOError(absl::StrCat("open ", path, " for writing"), errno);
    struct stat st;
    if (::fstat(fd, &st) != 0) {
      int e = errno;
      ::close(fd);
      return IOError(absl::StrCat("stat ", path), e);
    }
    const auto size = static_cast<uint64_t>(st.st_size);
    if (offset > size) {
      ::close(fd);
      return absl::InvalidArgumentError(absl::StrCat("cannot write ", path, " from offset ", offset,
                                                     ": it has ", size, " bytes"));
    }
    return std::make_unique<PosixWritableFile>(path, fd, offset, size);
  }

  absl::Status TruncateFile(const std::string& path, uint64_t size) override {
    if (::truncate(path.c_str(), static_cast<off_t>(size)) != 0) {
      return IOError(absl::StrCat("truncate ", path), errno);
    }
    return absl::OkStatus();
  }

  absl::StatusOr<std::unique_ptr<RandomAccessFile>> NewRandomAccessFile(
      const std::string& path) override {
    auto opened = OpenForRead(path);
    if (!opened.ok()) return opened.status();
    return std::make_unique<PosixRandomAccessFile>(path, opened->first, opened->second);
  }

  absl::StatusOr<std::shared_ptr<const MappedFile>> MapFile(const std::string& path) override {
    auto opened = OpenForRead(path);
    if (!opened.ok()) return opened.status();
    const int fd = opened->first;
    const size_t size = static_cast<size_t>(opened->second);
    void* base = nullptr;
    if (size > 0) {
      base = ::mmap(nullptr, size, PROT_READ, MAP_SHARED, fd, 0);
      if (base == MAP_FAILED) {
        int e = errno;
        ::close(fd);
        return IOError(absl::StrCat("mmap ", path), e);
      }
    }
    ::close(fd);  // the mapping stays valid without the descriptor
    return std::make_shared<PosixMappedFile>(path, base, size);
  }

  bool FileExists(const std::string& path) override { return ::access(path.c_str(), F_OK) == 0; }

  bool IsDirectory(const std::string& path) override {
    struct stat st;
    return ::stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
  }

  absl::StatusOr<uint64_t> FileSize(const std::string& path) override {
    struct stat st;
    if (::stat(path.c_str(), &st) != 0) return IOError(absl::StrCat("stat ", path), errno);
    return static_cast<uint64_t>(st.st_size);
  }

  absl::StatusOr<std::vector<std::string>> ListDir(const std::string& dir) override {
    DIR* d = ::opendir(dir.c_str());
    if (d == nullptr) return IOError(absl::StrCat("list ", dir), errno);
    std::vector<std::string> names;
    while (struct dirent* e = ::readdir(d)) {
      std::string name = e->d_name;
      if (name != "." && name != "..") names.push_back(std::move(name));
    }
    ::closedir(d);
    return names;
  }

  absl::Status CreateDir(const std::string& dir) override {
    if (::mkdir(dir.c_str(), 0755) != 0 && errno != EEXIST) {
      return IOError(absl::StrCat("create directory ", dir), errno);
    }
    return absl::OkStatus();
  }

  absl::Status DeleteFile(const std::string& path) override {
    if (::unlink(path.c_str()) != 0) return IOError(absl::StrCat("delete ", path), errno);
    return absl::OkStatus();
  }

  absl::Status RenameFile(const std::string& from, const std::string& to) override {
    if (::rename(from.c_str(), to.c_str()) != 0) {
      return IOError(absl::StrCat("rename ", from, " to ", to), errno);
    }
    return absl::OkStatus();
  }

  absl::Status SyncDir(const std::string& dir) override {
    int fd = OpenRetry(dir.c_str(), O_RDONLY | O_DIRECTORY);
    if (fd < 0) return IOError(absl::StrCat("open directory ", dir), errno);
    absl::Status s;
    if (::fsync(fd) != 0) s = IOError(absl::StrCat("fsync directory ", dir), errno);
    ::close(fd);
    return s;
  }

  absl::StatusOr<std::unique_ptr<LockFile>> OpenLockFile(const std::string& path) override {
    int fd = OpenRetry(path.c_str(), O_RDWR | O_CREAT);
    if (fd < 0) return IOError(absl::StrCat("open lock file ", path), errno);
    return std::make_unique<PosixLockFile>(path, fd);
  }

  absl::StatusOr<std::unique_ptr<SharedMemory>> MapSharedFile(const std::string& path,
                                                              size_t size) override {
    int fd = OpenRetry(path.c_str(), O_RDWR | O_CREAT);
    if (fd < 0) return IOError(absl::StrCat("open shared memory file ", path), errno);
    struct stat st;
    if (::fstat(fd, &st) != 0 || (static_cast<size_t>(st.st_size) < size &&
                                  ::ftruncate(fd, static_cast<off_t>(size)) != 0)) {
      const int e = errno;
      ::close(fd);
      return IOError(absl::StrCat("size shared memory file ", path), e);
    }
    void* p = ::mmap(nullptr, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    const int e = errno;
    ::close(fd);  // the mapping keeps the file
    if (p == MAP_FAILED) return IOError(absl::StrCat("map shared memory file ", path), e);
    return std::make_unique<PosixSharedMemory>(static_cast<std::byte*>(p), size);
  }
};

}  // namespace

Env* Env::Default() {
  static Env* env = new PosixEnv();  // never destroyed: used until exit
  return env;
}

}  // namespace nendb
