#include "wal/log_writer.h"

#include <algorithm>
#include <chrono>
#include <cstring>
#include <string>

#include "absl/strings/str_cat.h"
#include "nendb/errors.h"
#include "util/crc32c.h"
#include "util/mutants.h"
#include "util/status_macros.h"

namespace nendb::wal {

uint32_t Salt(const std::array<uint8_t, 16>& database_id, uint64_t generation) {
  uint8_t bytes[24];
  std::memcpy(bytes, database_id.data(), 16);
  std::memcpy(bytes + 16, &generation, 8);
  return crc32c::Value(bytes, sizeof(bytes));
}

LogWriter::LogWriter(std::string path, std::unique_ptr<WritableFile> file, uint32_t salt,
                     uint64_t size, uint64_t reserved, uint64_t durable)
    : path_(std::move(path)),
      file_(std::move(file)),
      salt_(salt),
      size_(size),
      reserved_(reserved),
      durable_(durable) {}

absl::StatusOr<std::unique_ptr<LogWriter>> LogWriter::Create(Env* env, const std::string& path,
                                                             const LogInfo& info) {
  // Written under a temporary name and renamed once synced: a crash can
  // leave no log without its header under the final name (a file system may
  // keep a new directory entry but not the unsynced data).
  const std::string tmp = path + ".tmp";
  NENDB_ASSIGN_OR_RETURN(auto file, env->NewWritableFile(tmp));
  FileHeader h{};
  std::memcpy(h.magic, kMagic, 8);
  h.format_version = kFormatVersion;
  h.header_bytes = kFileHeaderBytes;
  h.generation = info.generation;
  h.base_sequence = info.base_sequence;
  std::memcpy(h.database_id, info.database_id.data(), 16);
  h.created_unix_micros = std::chrono::duration_cast<std::chrono::microseconds>(
                              std::chrono::system_clock::now().time_since_epoch())
                              .count();
  h.crc = crc32c::Value(&h, offsetof(FileHeader, crc));
  absl::Status s = file->Append(absl::string_view(reinterpret_cast<const char*>(&h), sizeof(h)));
  if (s.ok()) s = file->Preallocate(kPreallocateBytes);
  if (s.ok()) s = file->Sync();
  if (s.ok()) s = env->RenameFile(tmp, path);
  if (!s.ok()) {
    (void)env->DeleteFile(tmp);
    return s;
  }
  return std::unique_ptr<LogWriter>(
      new LogWriter(path, std::move(file), Salt(info.database_id, info.generation),
                    kFileHeaderBytes, kFileHeaderBytes + kPreallocateBytes, kFileHeaderBytes));
}

absl::StatusOr<std::unique_ptr<LogWriter>> LogWriter::Continue(Env* env, const std::string& path,
                                                               const LogInfo& info, uint64_t end,
                                                               uint64_t durable) {
  NENDB_ASSIGN_OR_RETURN(uint64_t size, env->FileSize(path));
  if (size < end) {
    return CorruptionError(path, size,
                           absl::StrCat("the log ends before offset ", end,
                                        ", where its last "
                                        "commit was recorded to end"));
  }
  // Zeros after the end are what the writer preallocated; anything else is
  // a torn tail or a dead writer's unfinished transaction, cut so that new
  // records follow the valid ones directly.
  bool clean = size == end;
  if (!clean) {
    NENDB_ASSIGN_OR_RETURN(auto f, env->NewRandomAccessFile(path));
    char scratch[kRecordHeaderBytes];
    NENDB_ASSIGN_OR_RETURN(absl::string_view next, f->Read(end, sizeof(scratch), scratch));
    clean = next.find_first_not_of('\0') == absl::string_view::npos;
  }
  if (!clean) NENDB_RETURN_IF_ERROR(env->TruncateFile(path, end));
  NENDB_ASSIGN_OR_RETURN(auto file, env->NewWritableFileAt(path, end));
  if (!clean) NENDB_RETURN_IF_ERROR(file->Sync());
  return std::unique_ptr<LogWriter>(new LogWriter(path, std::move(file),
                                                  Salt(info.database_id, info.generation), end,
                                                  clean ? size : end, std::min(durable, end)));
}

void LogWriter::Encode(RecordType type, uint64_t sequence, absl::string_view payload,
                       std::string* out) {
  RecordHeader h{};
  h.length = static_cast<uint32_t>(payload.size());
  h.type = static_cast<uint8_t>(type);
  h.sequence = sequence;
  h.durable = durable_;
  uint32_t crc =
      crc32c::Extend(salt_, reinterpret_cast<const char*>(&h) + 4, kRecordHeaderBytes - 4);
  h.crc = crc32c::Extend(crc, payload.data(), payload.size());
  out->append(reinterpret_cast<const char*>(&h), sizeof(h));
  out->append(payload.data(), payload.size());
  out->resize(AlignUp(out->size()), '\0');
}

absl::Status LogWriter::Write(const std::string& records, bool ends_transaction) {
  if (!failed_.ok()) return failed_;
  absl::Status s;
  if (size_ + records.size() > reserved_ && records.size() < kPreallocateBytes / 4) {
    // Small commits overwrite zeros written ahead of them, so their syncs need
    // not record a new file size each time; large writes grow the file anyway.
    s = file_->Preallocate(kPreallocateBytes);
    if (s.ok()) reserved_ = size_ + kPreallocateBytes;
  }
  if (s.ok()) s = file_->Append(records);
  // A finished transaction goes to the OS at once: it then survives a crash
  // of this process in every sync mode, and other processes can read it.
  if (s.ok() && ends_transaction) s = file_->Flush();
  if (!s.ok()) {
    failed_ = absl::Status(s.code(), absl::StrCat("write-ahead log ", path_, ": ", s.message()));
    return failed_;
  }
  size_ += records.size();
  return absl::OkStatus();
}

absl::Status LogWriter::EncodeData(uint64_t sequence, absl::string_view ops, std::string* out) {
  while (!ops.empty()) {
    const absl::string_view piece = ops.substr(0, kMaxPayload);
    Encode(RecordType::kData, sequence, piece, out);
    ++pending_records_;
    pending_bytes_ += piece.size();
    ops.remove_prefix(piece.size());
  }
  return absl::OkStatus();
}

void LogWriter::EncodeCommit(uint64_t sequence, std::string* out) {
  CommitPayload c{pending_records_, pending_bytes_};
  pending_records_ = pending_bytes_ = 0;
  Encode(RecordType::kCommit, sequence,
         absl::string_view(reinterpret_cast<const char*>(&c), sizeof(c)), out);
}

absl::Status LogWriter::AddData(uint64_t sequence, absl::string_view ops) {
  absl::MutexLock l(&mu_);
  std::string records;
  NENDB_RETURN_IF_ERROR(EncodeData(sequence, ops, &records));
  return Write(records, /*ends_transaction=*/false);
}

absl::Status LogWriter::AddCommit(uint64_t sequence) {
  absl::MutexLock l(&mu_);
  std::string records;
  EncodeCommit(sequence, &records);
  return Write(records, /*ends_transaction=*/true);
}

absl::Status LogWriter::AddAbort(uint64_t sequence) {
  absl::MutexLock l(&mu_);
  pending_records_ = pending_bytes_ = 0;
  std::string records;
  Encode(RecordType::kAbort, sequence, {}, &records);
  return Write(records, /*ends_transaction=*/true);
}

absl::Status LogWriter::AddTransaction(uint64_t sequence, absl::string_view ops) {
  absl::MutexLock l(&mu_);
  std::string records;
  records.reserve(ops.size() + 2 * kRecordHeaderBytes + 32);
  NENDB_RETURN_IF_ERROR(EncodeData(sequence, ops, &records));
  EncodeCommit(sequence, &records);
  return Write(records, /*ends_transaction=*/true);
}

absl::Status LogWriter::Sync() {
  uint64_t target;
  {
    absl::MutexLock l(&mu_);
    if (!failed_.ok()) return failed_;
    target = size_;
  }
  absl::Status s = NENDB_LOG_SYNC(file_->Sync());
  absl::MutexLock l(&mu_);
  if (!s.ok()) {
    // Never retried: what the kernel failed to write may be gone for good.
    failed_ = absl::Status(s.code(), absl::StrCat("write-ahead log ", path_, ": ", s.message()));
    return failed_;
  }
  durable_ = std::max(durable_, target);
  return absl::OkStatus();
}

uint64_t LogWriter::size() const {
  absl::MutexLock l(&mu_);
  return size_;
}

uint64_t LogWriter::durable() const {
  absl::MutexLock l(&mu_);
  return durable_;
}

}  // namespace nendb::wal
