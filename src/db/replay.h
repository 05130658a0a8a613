// Versions built from the files of a database directory: a snapshot
// generation and the committed transactions of its log, replayed from the
// start (opening) or from where a version left off (catching up with
// commits of other processes).
//
// Replay reapplies each logged operation through the same code as the
// original call and checks the ids it produces; the adjacency is built once at
// the end. Stateless; thread-safe.
#ifndef NENDB_DB_REPLAY_H_
#define NENDB_DB_REPLAY_H_

#include <array>
#include <cstdint>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "nendb/env.h"
#include "storage/arena.h"
#include "storage/version.h"
#include "wal/log_reader.h"

namespace nendb {

struct ReplayPlan {
  Env* env = nullptr;
  std::string dir;
  // The files must be this database's (all zero: whatever the snapshot says).
  std::array<uint8_t, 16> database_id = {};
  // Stop at this log offset (0: replay every committed record).
  uint64_t until = 0;
  bool repair = false;  // cut at mid-log damage instead of failing
  // Given to the loaded version (with the snapshot's database id) when it
  // has an env.
  SnapshotHome home;
};

struct Replayed {
  std::shared_ptr<const Version> version;
  std::array<uint8_t, 16> database_id = {};
  uint64_t base_sequence = 0;  // the snapshot's last commit
  bool log_found = false;      // a crash can leave a new snapshot without its log
  wal::ScanResult scan;
};

// Snapshot `generation` (verify_all: every checksum now) and its log.
absl::StatusOr<Replayed> LoadGeneration(const ReplayPlan& plan, uint64_t generation,
                                        bool verify_all, const WriteCtx& ctx);

// `from` advanced by the records of its generation's log after from->log_end.
absl::StatusOr<Replayed> ReplayTail(const ReplayPlan& plan, std::shared_ptr<const Version> from,
                                    const WriteCtx& ctx);

}  // namespace nendb

#endif  // NENDB_DB_REPLAY_H_
