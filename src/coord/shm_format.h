// The coordination files of a database directory (docs/format/coordination.md):
// which bytes of LOCK are locks, and the layout of the shared memory file SHM.
//
// SHM starts with a header whose published state (generation, log end,
// sequence) is kept twice; an update writes the older copy with a larger
// counter and its CRC, so a reader that copies both always finds at least
// one whole copy, even beside a writer or after one died mid-update. Reader
// slots follow, one per process, each owned by whoever holds its lock byte.
#ifndef NENDB_COORD_SHM_FORMAT_H_
#define NENDB_COORD_SHM_FORMAT_H_

#include <atomic>
#include <cstddef>
#include <cstdint>

namespace nendb::coord {

// Lock bytes of the LOCK file.
inline constexpr uint64_t kWriteLockByte = 0;   // exclusive: the writer
inline constexpr uint64_t kPresenceByte = 1;    // shared: every process with the database open
inline constexpr uint64_t kFirstSlotByte = 64;  // exclusive: the owner of slot i holds 64 + i

inline constexpr char kShmMagic[8] = {'N', 'E', 'N', 'D', 'B', 'S', 'H', 'M'};
inline constexpr uint32_t kShmVersion = 1;
inline constexpr uint32_t kSlots = 250;

// One copy of the published state.
struct StateCopy {
  uint64_t counter;      // larger: newer
  uint64_t generation;   // the newest snapshot generation
  uint64_t log_end;      // offset just past the last published record of log <generation>
  uint64_t durable_end;  // how much of that log is known to be on stable storage
  uint64_t sequence;     // the last published commit
  uint8_t database_id[16];
  uint32_t reserved;
  uint32_t crc;  // CRC32C of bytes [0, 60)
};
static_assert(sizeof(StateCopy) == 64);

struct Slot {
  std::atomic<uint32_t> pid;  // of the owner, 0 if free (informational)
  uint32_t reserved;
  // The oldest snapshot generation the owner still reads (0: none): its
  // files stay until no live slot names them.
  std::atomic<uint64_t> generation;
  uint64_t unused[2];
};
static_assert(sizeof(Slot) == 32);
static_assert(std::atomic<uint64_t>::is_always_lock_free);

struct ShmLayout {
  char magic[8];
  uint32_t version;
  uint32_t slots;
  std::atomic<uint32_t> writer_pid;  // the write lock's holder, 0 if none (for messages)
  uint32_t reserved[11];
  StateCopy copies[2];  // at 64 and 128
  uint8_t unused[64];
  Slot slot[kSlots];  // at 256
};
static_assert(offsetof(ShmLayout, copies) == 64);
static_assert(offsetof(ShmLayout, slot) == 256);

inline constexpr size_t kShmBytes = sizeof(ShmLayout);

}  // namespace nendb::coord

#endif  // NENDB_COORD_SHM_FORMAT_H_
