// Graph projections of database versions for the analytics: built for a
// write transaction's changing view; cached with a committed version; and,
// for a committed version that is exactly its snapshot (no commits after
// it), kept in a projection file beside the snapshot (docs/format/graph.md),
// so that a database opened again maps the projection instead of building
// it. A checkpoint carries the projections cached on the state it writes
// over to the new snapshot, files included.
//
// Projection files are written by processes that may write the directory,
// when they build a projection (once per snapshot) and at checkpoints; any
// process reads them. Writing one is best effort: a failure is logged and
// the projection is used all the same. A damaged file is a Corruption
// error; a checkpoint or Database::Repair replaces it with the generation.
//
// Thread-safety: thread-safe.
#ifndef NENDB_DB_PROJECTIONS_H_
#define NENDB_DB_PROJECTIONS_H_

#include <memory>

#include "absl/status/statusor.h"
#include "algo/graph.h"
#include "nendb/algorithms.h"
#include "storage/version.h"

namespace nendb {

// Projection p of v in `order` on up to `threads` threads; committed: v is
// a committed version (cached, and kept in a file as above).
absl::StatusOr<std::shared_ptr<const algo::Graph>> ProjectionOf(const Version& v,
                                                                const algo::Projection& p,
                                                                VertexOrder order, bool committed,
                                                                int threads);

// After a checkpoint: `to` was just loaded from the snapshot written from
// `from`, which holds the same data. The projections cached on `from`
// become `to`'s, written as its projection files where `to`'s adjacency
// is not already the projection.
void CarryProjections(const Version& from, const Version& to);

// Loads every projection file of v's generation as `nendb check` does (on
// up to `threads` threads); one line per damaged file in report, the first
// damage as the status.
absl::Status CheckProjectionFiles(const Version& v, int threads, std::string* report);

// Deletes every projection file in home (Database::Repair; they are built
// again when used); returns how many.
uint64_t DropProjectionFiles(const SnapshotHome& home);

}  // namespace nendb

#endif  // NENDB_DB_PROJECTIONS_H_
