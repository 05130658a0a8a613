// Projection files: a Graph written beside the snapshot it was projected
// from, so that a database opened again maps the projection instead of
// building it (docs/format/graph.md). The file is a section file
// (snapshot/sections.h) holding the graph's arrays as they lie in memory.
//
// Loading checks the whole file before a kernel sees it: the frame, every
// checksum, and every offset, target and NodeId being in range, so nothing a
// damaged or forged file holds can make a kernel read out of bounds. It
// costs one pass over the file (the checksums and range checks fused per
// block), against the several passes and random scatters of a build.
//
// Plain functions; thread-safe. A loaded graph keeps its mapping alive.
#ifndef NENDB_ALGO_GRAPH_FILE_H_
#define NENDB_ALGO_GRAPH_FILE_H_

#include <array>
#include <cstdint>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "algo/graph.h"
#include "nendb/env.h"

namespace nendb::algo {

// What a projection file belongs to; a load checks the file says the same.
struct GraphFileId {
  uint64_t generation = 0;  // the snapshot's
  uint64_t sequence = 0;    // its last commit
  std::array<uint8_t, 16> database_id = {};
  uint64_t node_id_bound = 0;  // the snapshot's node slots
  std::string key;             // the projection and vertex order (any bytes)
  // false (for `nendb check`): any key and commit will do, and node_id_bound
  // is only a maximum.
  bool exact = true;
};

// Writes g as dir/name through dir/name + tmp_suffix (synced, then renamed;
// the directory is not synced: a file lost in a crash is only built again).
absl::Status WriteGraphFile(Env* env, const std::string& dir, const std::string& name,
                            const std::string& tmp_suffix, const Graph& g, const GraphFileId& id);

// The graph in the file at path, checked on up to `threads` threads.
// NotFound if there is no such file; FailedPrecondition if it holds another
// projection (a name collision) or a format newer than this build reads;
// Corruption, naming the file and offset, if it is damaged or belongs to
// another database, generation or commit than `expect` says.
absl::StatusOr<std::shared_ptr<const Graph>> LoadGraphFile(Env* env, const std::string& path,
                                                           const GraphFileId& expect, int threads);

}  // namespace nendb::algo

#endif  // NENDB_ALGO_GRAPH_FILE_H_
