#include "snapshot/sections.h"

#include <cstring>

#include "absl/strings/str_cat.h"
#include "nendb/errors.h"
#include "util/crc32c.h"
#include "util/mutants.h"
#include "util/status_macros.h"

namespace nendb::snapshot {

const char* SectionName(SectionKind kind) {
  switch (kind) {
    case SectionKind::kMeta:
      return "meta";
    case SectionKind::kNodeLabel:
      return "node.label";
    case SectionKind::kNodeRow:
      return "node.row";
    case SectionKind::kNodeGen:
      return "node.gen";
    case SectionKind::kNodeFlags:
      return "node.flags";
    case SectionKind::kNodeKey:
      return "node.key";
    case SectionKind::kLabelMembers:
      return "label.members";
    case SectionKind::kEdgeSrc:
      return "edge.src";
    case SectionKind::kEdgeDst:
      return "edge.dst";
    case SectionKind::kEdgeType:
      return "edge.type";
    case SectionKind::kEdgeGen:
      return "edge.gen";
    case SectionKind::kEdgeRow:
      return "edge.row";
    case SectionKind::kEdgeWeight:
      return "edge.weight";
    case SectionKind::kAdjOffsets:
      return "adjacency.offsets";
    case SectionKind::kAdjNbr:
      return "adjacency.nbr";
    case SectionKind::kAdjEdge:
      return "adjacency.edge";
    case SectionKind::kAdjType:
      return "adjacency.type";
    case SectionKind::kKeySlots:
      return "keys.slots";
    case SectionKind::kStrings:
      return "strings";
    case SectionKind::kPropEntity:
      return "props.entity";
    case SectionKind::kPropUsed:
      return "props.used";
    case SectionKind::kPropValues:
      return "props.values";
    case SectionKind::kPropValid:
      return "props.valid";
    case SectionKind::kGraphMeta:
      return "graph.meta";
    case SectionKind::kGraphOffsets:
      return "graph.offsets";
    case SectionKind::kGraphTargets:
      return "graph.targets";
    case SectionKind::kGraphWeights:
      return "graph.weights";
    case SectionKind::kGraphNodes:
      return "graph.nodes";
    case SectionKind::kIndexMeta:
      return "index.meta";
    case SectionKind::kIndexLevels:
      return "index.levels";
    case SectionKind::kIndexLinks0:
      return "index.links0";
    case SectionKind::kIndexUpper:
      return "index.upper";
    case SectionKind::kIndexPending:
      return "index.pending";
  }
  return "unknown";
}

absl::Status SectionWriter::Header(const snapshot::Header& h) {
  std::vector<uint8_t> header(kHeaderBytes, 0);
  std::memcpy(header.data(), &h, sizeof(h));
  const uint32_t hcrc = crc32c::Value(header.data(), kHeaderBytes - 4);
  std::memcpy(header.data() + kHeaderBytes - 4, &hcrc, 4);
  return Raw(header.data(), header.size());
}

absl::Status SectionWriter::Raw(const void* data, size_t n) {
  constexpr uint64_t kReportBytes = uint64_t{4} << 20;
  offset_ += n;
  crc_ = crc32c::Extend(crc_, data, n);
  NENDB_RETURN_IF_ERROR(file_->Append(absl::string_view(static_cast<const char*>(data), n)));
  if (progress_ != nullptr && offset_ - reported_ >= kReportBytes) {
    reported_ = offset_;
    if (!(*progress_)(offset_, std::max(total_, offset_))) {
      return absl::CancelledError("the checkpoint was cancelled; the database is as it was");
    }
  }
  return absl::OkStatus();
}

absl::Status SectionWriter::Begin(SectionKind kind, uint32_t index, uint32_t aux,
                                  uint32_t elem_size, uint64_t count) {
  static const char kZeros[kAlign] = {};
  if (offset_ % kAlign != 0) {
    const size_t pad = kAlign - offset_ % kAlign;
    offset_ += pad;
    NENDB_RETURN_IF_ERROR(file_->Append(absl::string_view(kZeros, pad)));
  }
  current_ = SectionEntry{static_cast<uint32_t>(kind), index, aux, elem_size, offset_, count,
                          count * elem_size,           0,     0};
  crc_ = 0;
  return absl::OkStatus();
}

absl::Status SectionWriter::End() {
  if (offset_ - current_.offset != current_.length) {
    return absl::InternalError(absl::StrCat("section ", current_.kind, " wrote ",
                                            offset_ - current_.offset, " bytes, planned ",
                                            current_.length));
  }
  current_.crc = crc_;
  entries_.push_back(current_);
  return absl::OkStatus();
}

absl::Status SectionWriter::Column(SectionKind kind, uint32_t index, uint32_t aux,
                                   const RawColumn& col, uint64_t count) {
  NENDB_RETURN_IF_ERROR(Begin(kind, index, aux, col.elem_size(), count));
  absl::Status s;
  const uint64_t rows = std::min(count, col.size());
  col.ForEachRun(0, rows, [&](const std::byte* p, uint64_t, uint64_t n) {
    if (s.ok()) s = Raw(p, n * col.elem_size());
  });
  NENDB_RETURN_IF_ERROR(s);
  NENDB_RETURN_IF_ERROR(Zeros((count - rows) * col.elem_size()));
  return End();
}

absl::Status SectionWriter::Array(SectionKind kind, uint32_t index, uint32_t aux,
                                  uint32_t elem_size, const void* data, uint64_t count) {
  NENDB_RETURN_IF_ERROR(Begin(kind, index, aux, elem_size, count));
  NENDB_RETURN_IF_ERROR(Raw(data, count * elem_size));
  return End();
}

absl::Status SectionWriter::Zeros(uint64_t n) {
  static const char kZeros[4096] = {};
  while (n > 0) {
    const size_t k = std::min<uint64_t>(n, sizeof(kZeros));
    NENDB_RETURN_IF_ERROR(Raw(kZeros, k));
    n -= k;
  }
  return absl::OkStatus();
}

absl::Status SectionWriter::Finish() {
  NENDB_RETURN_IF_ERROR(Zeros((kAlign - offset_ % kAlign) % kAlign));
  const uint64_t table_offset = offset_;
  const size_t table_bytes = entries_.size() * sizeof(SectionEntry);
  const uint32_t table_crc = crc32c::Value(entries_.data(), table_bytes);
  NENDB_RETURN_IF_ERROR(Raw(entries_.data(), table_bytes));
  Footer f{};
  std::memcpy(f.magic, kFooterMagic, 8);
  f.table_offset = table_offset;
  f.section_count = static_cast<uint32_t>(entries_.size());
  f.table_crc = table_crc;
  f.file_bytes = offset_ + kFooterBytes;
  f.crc = crc32c::Value(&f, offsetof(Footer, crc));
  return Raw(&f, sizeof(f));
}

absl::Status WriteSectionFile(Env* env, const std::string& dir, const std::string& name,
                              const std::string& tmp_suffix, bool sync_dir,
                              absl::FunctionRef<absl::Status(SectionWriter&)> body,
                              uint64_t* bytes) {
  const std::string tmp = absl::StrCat(dir, "/", name, tmp_suffix);
  const std::string path = absl::StrCat(dir, "/", name);
  NENDB_ASSIGN_OR_RETURN(auto file, env->NewWritableFile(tmp));
  SectionWriter w(file.get());
  absl::Status s = body(w);
  if (s.ok()) s = file->Sync();
  absl::Status c = file->Close();
  if (s.ok()) s = c;
  if (s.ok()) s = env->RenameFile(tmp, path);
  if (s.ok() && sync_dir) s = NENDB_DIR_SYNC(env->SyncDir(dir));
  if (!s.ok()) {
    (void)env->DeleteFile(tmp);
    return s;
  }
  *bytes = w.offset();
  return absl::OkStatus();
}

absl::Status SectionFile::Damaged(const std::string& path, const char* remedy, uint64_t offset,
                                  absl::string_view what) {
  return remedy == nullptr ? CorruptionError(path, offset, what)
                           : CorruptionError(path, offset, what, remedy);
}

absl::Status SectionFile::Damaged(uint64_t offset, absl::string_view what) const {
  return Damaged(path(), remedy_, offset, what);
}

absl::StatusOr<SectionFile> SectionFile::Open(std::shared_ptr<const MappedFile> file,
                                              const FileKind& kind) {
  const MappedFile& f = *file;
  const std::string& path = f.path();
  if (f.size() < kHeaderBytes + kFooterBytes) {
    return Damaged(path, kind.remedy, f.size(),
                   absl::StrCat("the file is only ", f.size(), " bytes (truncated)"));
  }
  SectionFile out;
  snapshot::Header& h = out.header_;
  std::memcpy(&h, f.data(), sizeof(h));
  if (std::memcmp(h.magic, kind.magic, 8) != 0) {
    return Damaged(path, kind.remedy, 0,
                   absl::StrCat("this is not a nendb ", kind.what, " file (bad magic)"));
  }
  uint32_t hcrc;
  std::memcpy(&hcrc, f.data() + kHeaderBytes - 4, 4);
  if (hcrc != crc32c::Value(f.data(), kHeaderBytes - 4)) {
    return Damaged(path, kind.remedy, kHeaderBytes - 4, "header checksum mismatch");
  }
  if (h.format_version > kind.newest_version) {
    return absl::FailedPreconditionError(absl::StrCat(
        path, " uses ", kind.what, " format ", h.format_version, "; this nendb reads up to ",
        kind.newest_version, ". Upgrade nendb to open it"));
  }
  Footer foot;
  const uint64_t foot_at = f.size() - kFooterBytes;
  std::memcpy(&foot, f.data() + foot_at, sizeof(foot));
  if (std::memcmp(foot.magic, kFooterMagic, 8) != 0 ||
      foot.crc != crc32c::Value(&foot, offsetof(Footer, crc))) {
    return Damaged(path, kind.remedy, foot_at, "the footer is damaged or the file is truncated");
  }
  if (foot.file_bytes != f.size()) {
    return Damaged(path, kind.remedy, foot_at,
                   absl::StrCat("the footer says the file has ", foot.file_bytes,
                                " bytes but it has ", f.size()));
  }
  const uint64_t table_bytes = uint64_t{foot.section_count} * sizeof(SectionEntry);
  if (foot.table_offset < kHeaderBytes || foot.table_offset > foot_at ||
      foot_at - foot.table_offset != table_bytes) {
    return Damaged(path, kind.remedy, foot_at, "the footer's section table bounds are wrong");
  }
  if (crc32c::Value(f.data() + foot.table_offset, table_bytes) != foot.table_crc) {
    return Damaged(path, kind.remedy, foot.table_offset, "section table checksum mismatch");
  }
  out.entries_.resize(foot.section_count);
  std::memcpy(out.entries_.data(), f.data() + foot.table_offset, table_bytes);
  for (size_t i = 0; i < out.entries_.size(); ++i) {
    const SectionEntry& e = out.entries_[i];
    const bool sized =
        e.elem_size != 0 && e.count <= e.length / e.elem_size && e.count * e.elem_size == e.length;
    if (e.offset % kAlign != 0 || e.offset < kHeaderBytes || e.offset > foot.table_offset ||
        e.length > foot.table_offset - e.offset || !sized) {
      return Damaged(path, kind.remedy, foot.table_offset,
                     absl::StrCat("section ", SectionName(static_cast<SectionKind>(e.kind)),
                                  " has impossible bounds"));
    }
    if (!out.index_.emplace(Key3{e.kind, e.index, e.aux}, i).second) {
      return Damaged(path, kind.remedy, foot.table_offset,
                     "the section table lists a section twice");
    }
  }
  out.file_ = std::move(file);
  out.remedy_ = kind.remedy;
  return out;
}

absl::StatusOr<size_t> SectionFile::Locate(SectionKind kind, uint32_t index, uint32_t aux) const {
  auto it = index_.find(Key3{static_cast<uint32_t>(kind), index, aux});
  if (it == index_.end()) {
    return Damaged(0, absl::StrCat("section ", SectionName(kind), " #", index, " is missing"));
  }
  return it->second;
}

absl::StatusOr<size_t> SectionFile::Find(SectionKind kind, uint32_t index, uint32_t aux,
                                         uint32_t elem_size, uint64_t count) const {
  NENDB_ASSIGN_OR_RETURN(size_t i, Locate(kind, index, aux));
  const SectionEntry& e = entries_[i];
  if (e.elem_size != elem_size || e.count != count) {
    return Damaged(e.offset,
                   absl::StrCat("section ", SectionName(kind), " #", index, " holds ", e.count,
                                " x ", e.elem_size, " bytes; expected ", count, " x ", elem_size));
  }
  return i;
}

absl::Status SectionFile::VerifyCrc(size_t i) const {
  return CheckCrc(i, crc32c::Value(data(i), entries_[i].length));
}

absl::Status SectionFile::CheckCrc(size_t i, uint32_t crc) const {
  const SectionEntry& e = entries_[i];
  if (crc == e.crc) return absl::OkStatus();
  return Damaged(e.offset,
                 absl::StrCat("checksum mismatch in section ",
                              SectionName(static_cast<SectionKind>(e.kind)), " #", e.index));
}

}  // namespace nendb::snapshot
