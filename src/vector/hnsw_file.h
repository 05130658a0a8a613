// Index files: an HNSW graph (vector/hnsw.h) written beside the snapshot
// whose vector column it indexes, with the rows still to be folded in, so
// that opening the database reads the graph instead of building it again
// (docs/format/index.md). The file is a section file (snapshot/sections.h):
// the per-slot levels, the level-0 link lists as they lie in memory, the
// upper levels' lists slot by slot, and the pending rows.
//
// Loading trusts nothing in the file: every checksum, the identity, the
// parameters, every level, link count and link target, the entry point and
// the pending rows are checked (Hnsw::Check plus bounds), so a damaged or
// forged file is a Corruption error, never a search that reads out of
// bounds. The upper levels are laid out afresh from the levels (the file
// has no block addresses to trust), and cosine's inverse norms are computed
// from the vectors.
//
// Plain functions; thread-safe. The loaded graph owns its arrays (the file
// is read, not kept mapped: a fold copies the graph anyway).
#ifndef NENDB_VECTOR_HNSW_FILE_H_
#define NENDB_VECTOR_HNSW_FILE_H_

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "nendb/env.h"
#include "vector/hnsw.h"

namespace nendb::vec {

// What an index file belongs to; a load checks the file says the same.
struct HnswFileId {
  uint64_t generation = 0;  // the snapshot's
  uint64_t sequence = 0;    // its last commit
  std::array<uint8_t, 16> database_id = {};
  std::string key;  // the index definition (any bytes)
};

// What a Corruption error about an index file tells the user to do.
inline constexpr char kHnswFileRemedy[] =
    "The file only holds a vector index of the snapshot beside it: delete it, or run `nendb "
    "check --repair`, and it is built again";

struct HnswFile {
  // Writes graph and its pending rows as dir/name through dir/name +
  // tmp_suffix (synced, then renamed; a file lost in a crash is built again).
  static absl::Status Write(Env* env, const std::string& dir, const std::string& name,
                            const std::string& tmp_suffix, const Hnsw& graph,
                            absl::Span<const uint32_t> pending, const HnswFileId& id);

  struct Loaded {
    std::unique_ptr<Hnsw> graph;
    std::vector<uint32_t> pending;  // sorted, unique
  };
  // The graph in the file at path over `rows` (the column it indexes: its
  // dimension, and its rows bound every slot). NotFound if there is no such
  // file; FailedPrecondition if it holds another index (a name collision) or
  // a format newer than this build reads; Corruption, naming the file and
  // offset, if it is damaged or belongs to another database, generation or
  // commit.
  static absl::StatusOr<Loaded> Load(Env* env, const std::string& path, const HnswFileId& expect,
                                     const RowView& rows);
};

}  // namespace nendb::vec

#endif  // NENDB_VECTOR_HNSW_FILE_H_
