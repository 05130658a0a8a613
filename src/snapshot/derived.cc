#include "snapshot/derived.h"

#include <cstring>

#include "absl/strings/str_cat.h"
#include "util/status_macros.h"

namespace nendb::snapshot {

absl::Status WriteDerivedStart(SectionWriter& w, const FileKind& kind, const DerivedOf& of,
                               SectionKind meta, const void* fixed, size_t fixed_bytes,
                               absl::string_view key) {
  Header h{};
  std::memcpy(h.magic, kind.magic, 8);
  h.format_version = kind.newest_version;
  h.header_bytes = kHeaderBytes;
  h.generation = of.generation;
  h.sequence = of.sequence;
  std::memcpy(h.database_id, of.database_id.data(), 16);
  NENDB_RETURN_IF_ERROR(w.Header(h));
  NENDB_RETURN_IF_ERROR(w.Begin(meta, 0, 0, 1, fixed_bytes + key.size()));
  NENDB_RETURN_IF_ERROR(w.Raw(fixed, fixed_bytes));
  NENDB_RETURN_IF_ERROR(w.Raw(key.data(), key.size()));
  return w.End();
}

absl::StatusOr<Derived> OpenDerived(Env* env, const std::string& path, const FileKind& kind,
                                    const DerivedOf& of, SectionKind meta, void* fixed,
                                    size_t fixed_bytes) {
  if (!env->FileExists(path)) return absl::NotFoundError(absl::StrCat("no file ", path));
  NENDB_ASSIGN_OR_RETURN(std::shared_ptr<const MappedFile> mapped, env->MapFile(path));
  NENDB_ASSIGN_OR_RETURN(SectionFile f, SectionFile::Open(std::move(mapped), kind));
  const Header& h = f.header();
  if (h.generation != of.generation || (!of.any_sequence && h.sequence != of.sequence) ||
      std::memcmp(h.database_id, of.database_id.data(), 16) != 0) {
    return f.Damaged(
        16, absl::StrCat("the file belongs to generation ", h.generation, " at commit ", h.sequence,
                         " of a database, not to generation ", of.generation, " at commit ",
                         of.sequence, " of this one"));
  }
  NENDB_ASSIGN_OR_RETURN(size_t i, f.Locate(meta, 0, 0));
  NENDB_RETURN_IF_ERROR(f.VerifyCrc(i));
  const SectionEntry& e = f.entry(i);
  const char* name = SectionName(meta);
  if (e.length < fixed_bytes) return f.Damaged(e.offset, absl::StrCat(name, " is too short"));
  std::memcpy(fixed, f.data(i), fixed_bytes);
  Derived out{std::move(f), {}, e.offset};
  out.key = absl::string_view(reinterpret_cast<const char*>(out.file.data(i)) + fixed_bytes,
                              e.length - fixed_bytes);
  return out;
}

}  // namespace nendb::snapshot
