#include "wal/log_reader.h"

#include <cstring>

#include "absl/strings/str_cat.h"
#include "nendb/errors.h"
#include "util/crc32c.h"
#include "util/status_macros.h"

namespace nendb::wal {
namespace {

// The bytes of a log a scan may read: a mapping, or its first part.
struct View {
  const std::byte* bytes;
  uint64_t length;
  const std::string& name;
  const std::byte* data() const { return bytes; }
  uint64_t size() const { return length; }
  const std::string& path() const { return name; }
};

absl::Status CheckHeader(const MappedFile& f, LogInfo* info) {
  if (f.size() < kFileHeaderBytes) {
    return CorruptionError(f.path(), f.size(), "the log is shorter than its header");
  }
  FileHeader h;
  std::memcpy(&h, f.data(), sizeof(h));
  if (std::memcmp(h.magic, kMagic, 8) != 0) {
    return CorruptionError(f.path(), 0, "this is not a nendb write-ahead log (bad magic)");
  }
  if (h.crc != crc32c::Value(&h, offsetof(FileHeader, crc))) {
    return CorruptionError(f.path(), offsetof(FileHeader, crc), "log header checksum mismatch");
  }
  if (h.format_version > kFormatVersion) {
    return absl::FailedPreconditionError(
        absl::StrCat(f.path(), " uses log format ", h.format_version, "; this nendb reads up to ",
                     kFormatVersion, ". Upgrade nendb to open it"));
  }
  info->generation = h.generation;
  info->base_sequence = h.base_sequence;
  std::memcpy(info->database_id.data(), h.database_id, 16);
  return absl::OkStatus();
}

// The record at `at` if it is whole, well-formed and its checksum matches.
bool ValidRecord(const View& f, uint32_t salt, uint64_t at, RecordHeader* out) {
  if (at + kRecordHeaderBytes > f.size()) return false;
  RecordHeader h;
  std::memcpy(&h, f.data() + at, sizeof(h));
  if (h.type < 1 || h.type > 3 || h.zero[0] || h.zero[1] || h.zero[2] || h.reserved != 0 ||
      h.length > kMaxPayload) {
    return false;
  }
  if (AlignUp(h.length) > f.size() - at - kRecordHeaderBytes) return false;
  const char* p = reinterpret_cast<const char*>(f.data() + at);
  uint32_t crc = crc32c::Extend(salt, p + 4, kRecordHeaderBytes - 4);
  crc = crc32c::Extend(crc, p + kRecordHeaderBytes, h.length);
  if (crc != h.crc) return false;
  *out = h;
  return true;
}

// Valid records after offset `bad` that were written when `bad` was already
// durable (evidence that the damage hit acknowledged data), and the commit
// records among every valid record after `bad` (what a repair drops).
struct AfterDamage {
  uint64_t durable_records = 0;
  uint64_t commits = 0;
};
AfterDamage ScanAfterDamage(const View& f, uint32_t salt, uint64_t bad) {
  AfterDamage a;
  RecordHeader h;
  for (uint64_t at = AlignUp(bad + kAlign); at + kRecordHeaderBytes <= f.size(); at += kAlign) {
    if (!ValidRecord(f, salt, at, &h)) continue;
    a.durable_records += h.durable > bad;
    a.commits += h.type == static_cast<uint8_t>(RecordType::kCommit);
  }
  return a;
}

bool AllZero(const View& f, uint64_t from) {
  const std::byte* p = f.data() + from;
  const std::byte* end = f.data() + f.size();
  for (; p < end && reinterpret_cast<uintptr_t>(p) % 8 != 0; ++p) {
    if (*p != std::byte{0}) return false;
  }
  for (; p + 8 <= end; p += 8) {
    uint64_t word;
    std::memcpy(&word, p, 8);
    if (word != 0) return false;
  }
  for (; p < end; ++p) {
    if (*p != std::byte{0}) return false;
  }
  return true;
}

}  // namespace

absl::StatusOr<LogInfo> ReadLogHeader(Env* env, const std::string& path) {
  NENDB_ASSIGN_OR_RETURN(std::shared_ptr<const MappedFile> f, env->MapFile(path));
  LogInfo info;
  NENDB_RETURN_IF_ERROR(CheckHeader(*f, &info));
  return info;
}

absl::StatusOr<ScanResult> ScanLog(Env* env, const std::string& path, const ScanOptions& options,
                                   const CommitFn& on_commit) {
  NENDB_ASSIGN_OR_RETURN(std::shared_ptr<const MappedFile> mapped, env->MapFile(path));
  LogInfo info;
  NENDB_RETURN_IF_ERROR(CheckHeader(*mapped, &info));
  if (options.until > mapped->size()) {
    return CorruptionError(path, mapped->size(),
                           absl::StrCat("the log ends before offset ", options.until,
                                        ", which another process published as committed"));
  }
  const View view{mapped->data(), options.until != 0 ? options.until : mapped->size(), path};
  const View* f = &view;
  if (info.database_id != options.expect.database_id ||
      info.generation != options.expect.generation) {
    return CorruptionError(
        path, 0,
        absl::StrCat("the log belongs to another database or generation (", info.generation,
                     ", expected ", options.expect.generation, ")"));
  }
  const uint32_t salt = Salt(info.database_id, info.generation);
  ScanResult r;
  r.file_bytes = f->size();
  r.last_sequence = options.after_sequence != 0 ? options.after_sequence : info.base_sequence;
  uint64_t at = options.from_offset != 0 ? options.from_offset : kFileHeaderBytes;
  r.committed_end = at;
  std::string ops;
  uint64_t data_records = 0;
  RecordHeader h;
  while (at < f->size()) {
    if (!ValidRecord(*f, salt, at, &h) || h.sequence != r.last_sequence + 1) {
      if (AllZero(*f, at)) break;  // the zeros the writer preallocates

      const AfterDamage later = ScanAfterDamage(*f, salt, at);
      if (later.durable_records == 0) break;  // a torn tail
      if (!options.repair) {
        return CorruptionError(
            path, at,
            absl::StrCat("a damaged log record is followed by ", later.durable_records,
                         " records written after it was durable; run `nendb check --repair` "
                         "to keep the transactions before the damage"));
      }
      r.repaired_at = at;
      r.dropped_transactions = later.commits;
      break;
    }
    const char* payload = reinterpret_cast<const char*>(f->data() + at + kRecordHeaderBytes);
    at += kRecordHeaderBytes + AlignUp(h.length);
    switch (static_cast<RecordType>(h.type)) {
      case RecordType::kData:
        ops.append(payload, h.length);
        ++data_records;
        break;
      case RecordType::kAbort:
        ops.clear();
        data_records = 0;
        r.committed_end = at;  // nothing pending: new records may follow here
        break;
      case RecordType::kCommit: {
        CommitPayload c{};
        if (h.length == sizeof(c)) std::memcpy(&c, payload, sizeof(c));
        if (h.length != sizeof(c) || c.data_records != data_records || c.data_bytes != ops.size()) {
          return CorruptionError(path, at - kRecordHeaderBytes - AlignUp(h.length),
                                 "a commit record does not match its transaction's data");
        }
        NENDB_RETURN_IF_ERROR(on_commit(h.sequence, ops));
        ops.clear();
        data_records = 0;
        r.last_sequence = h.sequence;
        ++r.transactions;
        r.committed_end = at;
        break;
      }
    }
  }
  r.torn_tail = r.committed_end < f->size() && !AllZero(*f, r.committed_end);
  return r;
}

}  // namespace nendb::wal
