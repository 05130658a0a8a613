// Coordinator: how the processes that open one database directory share it
// (docs/format/coordination.md). One per process and directory, shared by
// every handle the process opens on it.
//
// - Presence: every process holds a shared lock on the presence byte. The
//   first process to open the database finds no one else (it gets the byte
//   exclusively), recovers from the files and publishes the state; the others
//   trust the published state.
// - The write lock: one write transaction at a time in all processes. Held
//   by one owner (a database handle's core) of this process at a time.
// - The published state (snapshot generation, end of the committed log,
//   last sequence) in the shared memory file: readers in every process use it
//   to catch up; only the write lock's holder (or the recovering first
//   process) publishes.
// - Pins: the oldest snapshot generation this process still reads, in its
//   reader slot; a checkpointer keeps every generation a live slot names.
//
// A process that forks keeps its coordinators in the child but they are dead
// there: the child must not release the parent's locks (they belong to the
// shared open file), so it never uses or tears them down.
//
// Thread-safe.
#ifndef NENDB_COORD_COORDINATOR_H_
#define NENDB_COORD_COORDINATOR_H_

#include <array>
#include <cstdint>
#include <map>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "coord/shm_format.h"
#include "nendb/env.h"

namespace nendb::coord {

// What the writer publishes for the others.
struct State {
  uint64_t generation = 0;
  uint64_t log_end = 0;
  uint64_t durable_end = 0;
  uint64_t sequence = 0;
  std::array<uint8_t, 16> database_id = {};
  bool operator==(const State&) const = default;
};

class Coordinator {
 public:
  struct Attached {
    std::shared_ptr<Coordinator> coordinator;
    // No other process has the database open: the caller recovers from the
    // files, then calls Recovered() (or Abandon() if it fails).
    bool must_recover = false;
  };
  // The coordinator of dir in this process, attaching the process to the
  // directory's coordination files on first use (waiting up to timeout for a
  // process that is recovering). Files named LOCK and SHM in dir.
  static absl::StatusOr<Attached> Attach(Env* env, const std::string& dir, absl::Duration timeout);
  ~Coordinator();

  // After must_recover: recovery has published what it found; lets others in.
  void Recovered();
  // After must_recover, if recovery failed: this process detaches again.
  void Abandon();

  // The published state; Corruption if the shared memory holds no whole
  // copy of it.
  absl::StatusOr<State> Read() const;
  // Publishes a new state. Only the write lock's owner calls it.
  void Publish(const State& state);

  // The write lock for `owner`, waiting up to timeout for other owners in
  // this process and for other processes; Busy names the holding process.
  absl::Status LockWrites(const void* owner, absl::Duration timeout);
  void UnlockWrites(const void* owner);
  bool HoldsWrites(const void* owner) const;

  // This process reads snapshot `generation` (counted: every Pin needs an
  // Unpin).
  void Pin(uint64_t generation);
  void Unpin(uint64_t generation);
  // The oldest generation a live process pins, this one included; 0 if none.
  uint64_t OldestPinned();

  // Processes with the database open (live reader slots), this one included.
  int Processes();

  const std::string& dir() const { return dir_; }

 private:
  Coordinator(Env* env, std::string dir, std::unique_ptr<LockFile> lock,
              std::unique_ptr<SharedMemory> shm, uint32_t slot);
  ShmLayout* shm() const { return reinterpret_cast<ShmLayout*>(shm_->data()); }
  void UpdateSlotLocked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  bool Forked() const;

  Env* const env_;
  const std::string dir_;
  const std::unique_ptr<LockFile> lock_;
  const std::unique_ptr<SharedMemory> shm_;
  const uint32_t slot_;
  const uint64_t fork_generation_;  // of the process that attached

  mutable absl::Mutex mu_;
  bool recovering_ ABSL_GUARDED_BY(mu_) = false;
  const void* writes_owner_ ABSL_GUARDED_BY(mu_) = nullptr;
  bool writes_waiting_ ABSL_GUARDED_BY(mu_) = false;
  std::map<uint64_t, uint64_t> pins_ ABSL_GUARDED_BY(mu_);  // generation -> count
};

// Counts fork()s of this process (in the child): handles compare it with the
// count when they were opened to refuse use in a child.
uint64_t ForkGeneration();

}  // namespace nendb::coord

#endif  // NENDB_COORD_COORDINATOR_H_
