// Section files: the frame that snapshot files and projection files share
// (docs/format/snapshot.md, "Layout"): a 4096-byte header, 64-byte-aligned
// sections each holding one array exactly as it is laid out in memory, a
// section table and a 64-byte footer that locates it, every part with a
// CRC32C. Writing goes through a temporary file that is synced and renamed,
// so a crash leaves either no file or the complete one; reading maps the
// file and checks the frame, leaving each section's CRC to whoever reads it.
//
// Thread-safety: a SectionWriter is used by one thread; a SectionFile is
// immutable once opened.
#ifndef NENDB_SNAPSHOT_SECTIONS_H_
#define NENDB_SNAPSHOT_SECTIONS_H_

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <tuple>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "nendb/env.h"
#include "nendb/types.h"
#include "snapshot/format.h"
#include "storage/column.h"

namespace nendb::snapshot {

// "node.label", "graph.targets", ...: a section kind in messages.
const char* SectionName(SectionKind kind);

// Appends a header, sections and then the table and footer to a file.
class SectionWriter {
 public:
  explicit SectionWriter(WritableFile* file) : file_(file) {}

  // The 4096-byte header (h, zeros, its CRC); first.
  absl::Status Header(const snapshot::Header& h);
  absl::Status Raw(const void* data, size_t n);
  // A section of count elements of elem_size bytes, written by Raw or Zeros
  // calls between Begin and End.
  absl::Status Begin(SectionKind kind, uint32_t index, uint32_t aux, uint32_t elem_size,
                     uint64_t count);
  absl::Status End();
  // A whole column, or its first `rows` rows followed by zeros up to `count`.
  absl::Status Column(SectionKind kind, uint32_t index, uint32_t aux, const RawColumn& col,
                      uint64_t count);
  absl::Status Array(SectionKind kind, uint32_t index, uint32_t aux, uint32_t elem_size,
                     const void* data, uint64_t count);
  absl::Status Zeros(uint64_t n);
  // The section table and the footer; last.
  absl::Status Finish();

  uint64_t offset() const { return offset_; }
  // Calls *progress(bytes written, max(total, bytes written)) every few
  // megabytes; its false fails the write with Cancelled.
  void SetProgress(const ProgressFn* progress, uint64_t total) {
    progress_ = progress;
    total_ = total;
  }

 private:
  WritableFile* file_;
  uint64_t offset_ = 0;
  uint32_t crc_ = 0;
  SectionEntry current_{};
  std::vector<SectionEntry> entries_;
  const ProgressFn* progress_ = nullptr;
  uint64_t total_ = 0;
  uint64_t reported_ = 0;
};

// Writes dir/name by body() into dir/name + tmp_suffix, syncs it and renames
// it into place, then syncs the directory if sync_dir; removes the temporary
// file on failure. *bytes: the size written.
absl::Status WriteSectionFile(Env* env, const std::string& dir, const std::string& name,
                              const std::string& tmp_suffix, bool sync_dir,
                              absl::FunctionRef<absl::Status(SectionWriter&)> body,
                              uint64_t* bytes);

// The header magic and the newest format version of a kind of section
// file, and what messages call it.
struct FileKind {
  const char* magic;  // 8 bytes
  uint32_t newest_version;
  const char* what;  // "snapshot", "projection"
  // What a Corruption error tells the user to do; nullptr: the default.
  const char* remedy = nullptr;
};

// A mapped section file whose header, footer and section table are sound:
// every section lies inside the file, none is listed twice.
class SectionFile {
 public:
  // A damaged frame is a Corruption error naming the file and offset; a
  // format newer than kind.newest_version is FailedPrecondition.
  static absl::StatusOr<SectionFile> Open(std::shared_ptr<const MappedFile> file,
                                          const FileKind& kind);

  const snapshot::Header& header() const { return header_; }
  const std::vector<SectionEntry>& entries() const { return entries_; }
  const std::shared_ptr<const MappedFile>& file() const { return file_; }
  const std::string& path() const { return file_->path(); }

  // The table index of a section; Corruption if it is missing.
  absl::StatusOr<size_t> Locate(SectionKind kind, uint32_t index, uint32_t aux) const;
  // The same, checked to hold `count` elements of `elem_size` bytes.
  absl::StatusOr<size_t> Find(SectionKind kind, uint32_t index, uint32_t aux, uint32_t elem_size,
                              uint64_t count) const;
  const std::byte* data(size_t i) const { return file_->data() + entries_[i].offset; }
  const SectionEntry& entry(size_t i) const { return entries_[i]; }
  RawColumn Column(size_t i) const {
    return RawColumn::Mapped(entries_[i].elem_size, file_, data(i), entries_[i].count);
  }
  // Corruption unless section i's bytes match its CRC.
  absl::Status VerifyCrc(size_t i) const;
  // The same for a CRC of section i computed elsewhere (while checking its
  // content on the way).
  absl::Status CheckCrc(size_t i, uint32_t crc) const;
  // A Corruption error about this file at offset, with its kind's remedy.
  absl::Status Damaged(uint64_t offset, absl::string_view what) const;

 private:
  using Key3 = std::tuple<uint32_t, uint32_t, uint32_t>;
  SectionFile() = default;
  static absl::Status Damaged(const std::string& path, const char* remedy, uint64_t offset,
                              absl::string_view what);

  std::shared_ptr<const MappedFile> file_;
  const char* remedy_ = nullptr;
  snapshot::Header header_{};
  std::vector<SectionEntry> entries_;
  std::map<Key3, size_t> index_;
};

}  // namespace nendb::snapshot

#endif  // NENDB_SNAPSHOT_SECTIONS_H_
