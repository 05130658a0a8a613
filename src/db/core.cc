#include "db/core.h"

#include "absl/strings/str_cat.h"
#include "nendb/errors.h"

namespace nendb {

DbCore::DbCore(const Options& options, std::string path, bool read_only)
    : options_(options),
      path_(std::move(path)),
      read_only_(read_only),
      arena_(std::make_shared<ChunkArena>(
          options.arena_slab_bytes,
          // Room for the expected data: ~40 bytes per node and per edge.
          (options.expected_nodes + options.expected_edges) * 40)),
      current_(std::make_shared<Version>()) {}

std::shared_ptr<const Version> DbCore::Current() const {
  absl::MutexLock l(&mu_);
  return current_;
}

void DbCore::Install(std::shared_ptr<const Version> v) {
  absl::MutexLock l(&mu_);
  current_ = std::move(v);
}

absl::Status DbCore::LockWriter() {
  absl::MutexLock l(&mu_);
  if (closed_) return ClosedError(absl::StrCat("database ", path_, " is closed"));
  auto free = [this]() ABSL_SHARED_LOCKS_REQUIRED(mu_) { return !writer_active_ || closed_; };
  if (!mu_.AwaitWithTimeout(absl::Condition(&free), options_.busy_timeout)) {
    return BusyError(absl::StrCat(
        "another write transaction on ", path_, " has been open for longer than the busy "
        "timeout (", absl::FormatDuration(options_.busy_timeout),
        "); commit or roll it back, or raise busy_timeout"));
  }
  if (closed_) return ClosedError(absl::StrCat("database ", path_, " is closed"));
  writer_active_ = true;
  return absl::OkStatus();
}

absl::StatusOr<std::pair<std::shared_ptr<Version>, TxnId>> DbCore::BeginWrite() {
  if (read_only_) {
    return ReadOnlyError(absl::StrCat("database ", path_,
                                      " is open read-only; open it without read_only to write"));
  }
  if (auto s = LockWriter(); !s.ok()) return s;
  absl::MutexLock l(&mu_);
  auto working = std::make_shared<Version>(*current_);
  return std::make_pair(std::move(working), next_txn_.fetch_add(1));
}

void DbCore::Publish(std::shared_ptr<const Version> v) {
  absl::MutexLock l(&mu_);
  current_ = std::move(v);
  writer_active_ = false;
}

void DbCore::EndWrite() {
  absl::MutexLock l(&mu_);
  writer_active_ = false;
}

void DbCore::MarkClosed() {
  absl::MutexLock l(&mu_);
  closed_ = true;
}

bool DbCore::closed() const {
  absl::MutexLock l(&mu_);
  return closed_;
}

}  // namespace nendb
