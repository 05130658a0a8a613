// Derived files: section files (snapshot/sections.h) that hold data derived
// from one snapshot (projection files, vector index files) and say which:
// the header carries the snapshot's generation, last commit and database id,
// and a meta section holds a fixed-size record followed by the key that
// names what was derived (hashed into the file name, so compared on load).
//
// Plain functions; thread-safe.
#ifndef NENDB_SNAPSHOT_DERIVED_H_
#define NENDB_SNAPSHOT_DERIVED_H_

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "nendb/env.h"
#include "snapshot/sections.h"

namespace nendb::snapshot {

// The snapshot a derived file belongs to.
struct DerivedOf {
  uint64_t generation = 0;
  uint64_t sequence = 0;
  std::array<uint8_t, 16> database_id = {};
  bool any_sequence = false;  // loading: any commit of the generation will do
};

// Writes the header for `of`, then the meta section: `fixed` (fixed_bytes)
// and the key.
absl::Status WriteDerivedStart(SectionWriter& w, const FileKind& kind, const DerivedOf& of,
                               SectionKind meta, const void* fixed, size_t fixed_bytes,
                               absl::string_view key);

// A derived file opened and its meta section read: the fixed record copied
// to `fixed`, the key returned (it points into the mapped file). NotFound
// if there is no file; Corruption if it is damaged or belongs to another
// snapshot than `of`.
struct Derived {
  SectionFile file;
  absl::string_view key;
  uint64_t meta_offset = 0;
};
absl::StatusOr<Derived> OpenDerived(Env* env, const std::string& path, const FileKind& kind,
                                    const DerivedOf& of, SectionKind meta, void* fixed,
                                    size_t fixed_bytes);

}  // namespace nendb::snapshot

#endif  // NENDB_SNAPSHOT_DERIVED_H_
