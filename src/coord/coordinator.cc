#include "coord/coordinator.h"

#include <pthread.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstring>
#include <mutex>
#include <utility>

#include "absl/strings/str_cat.h"
#include "nendb/errors.h"
#include "util/crc32c.h"
#include "util/status_macros.h"

namespace nendb::coord {
namespace {

std::atomic<uint64_t> fork_generation{0};

void CountFork() { fork_generation.fetch_add(1); }

// The coordinators of this process by (Env, directory).
struct Registry {
  absl::Mutex mu;
  std::map<std::pair<Env*, std::string>, std::weak_ptr<Coordinator>> live ABSL_GUARDED_BY(mu);
};
Registry& TheRegistry() {
  static Registry* r = new Registry;  // never destroyed: handles may close during exit
  return *r;
}

uint32_t CopyCrc(const StateCopy& c) { return crc32c::Value(&c, offsetof(StateCopy, crc)); }

// Polls a lock until `deadline`: other processes release theirs by closing or
// dying, which nothing notifies.
absl::Status LockBefore(LockFile& lock, uint64_t byte, LockMode mode, absl::Time deadline) {
  absl::Duration nap = absl::Microseconds(100);
  while (true) {
    absl::Status s = lock.TryLock(byte, mode);
    if (s.ok() || ErrorKindOf(s) != ErrorKind::kBusy || absl::Now() >= deadline) return s;
    absl::SleepFor(nap);
    nap = std::min(nap * 2, absl::Milliseconds(5));
  }
}

}  // namespace

uint64_t ForkGeneration() {
  static std::once_flag once;
  std::call_once(once, [] { pthread_atfork(nullptr, nullptr, CountFork); });
  return fork_generation.load();
}

Coordinator::Coordinator(Env* env, std::string dir, std::unique_ptr<LockFile> lock,
                         std::unique_ptr<SharedMemory> shm, uint32_t slot)
    : env_(env),
      dir_(std::move(dir)),
      lock_(std::move(lock)),
      shm_(std::move(shm)),
      slot_(slot),
      fork_generation_(ForkGeneration()) {}

Coordinator::~Coordinator() {
  if (Forked()) return;  // the parent's locks: see the header
  // Only while this process still owns its slot (a dead process's leftovers
  // in the test Envs must not clear a slot someone else took since).
  if (lock_->TryLock(kFirstSlotByte + slot_, LockMode::kExclusive).ok()) {
    shm()->slot[slot_].generation.store(0);
    shm()->slot[slot_].pid.store(0);
  }
}

bool Coordinator::Forked() const { return ForkGeneration() != fork_generation_; }

absl::StatusOr<Coordinator::Attached> Coordinator::Attach(Env* env, const std::string& dir,
                                                          absl::Duration timeout) {
  const absl::Time deadline = absl::Now() + timeout;
  Registry& r = TheRegistry();
  while (true) {
    std::shared_ptr<Coordinator> existing;
    {
      absl::MutexLock l(&r.mu);
      existing = r.live[{env, dir}].lock();
    }
    if (existing == nullptr || existing->Forked()) break;
    // Another handle of this process got here first; it may still recover.
    {
      absl::MutexLock l(&existing->mu_);
      auto done = [&]()
                      ABSL_SHARED_LOCKS_REQUIRED(existing->mu_) { return !existing->recovering_; };
      if (!existing->mu_.AwaitWithDeadline(absl::Condition(&done), deadline)) {
        return BusyError(absl::StrCat("database ", dir, " is being recovered by another handle"));
      }
    }
    // Still attached (not abandoned, not left over from a crashed process,
    // not of a directory deleted since, whose files a closed handle that is
    // still around keeps open)?
    if (env->FileExists(dir + "/LOCK") &&
        existing->lock_->TryLock(kPresenceByte, LockMode::kShared).ok()) {
      return Attached{existing, false};
    }
    absl::MutexLock l(&r.mu);
    if (r.live[{env, dir}].lock() == existing) r.live.erase({env, dir});
  }

  NENDB_ASSIGN_OR_RETURN(auto lock, env->OpenLockFile(dir + "/LOCK"));
  bool alone = lock->TryLock(kPresenceByte, LockMode::kExclusive).ok();
  if (!alone) {
    // Others are there, or one is recovering (it holds the byte exclusively).
    absl::Status s = LockBefore(*lock, kPresenceByte, LockMode::kShared, deadline);
    if (!s.ok()) {
      if (ErrorKindOf(s) != ErrorKind::kBusy) return s;
      return BusyError(absl::StrCat("another process has been recovering database ", dir,
                                    " for longer than the busy timeout; wait and open again"));
    }
  }
  NENDB_ASSIGN_OR_RETURN(auto shm, env->MapSharedFile(dir + "/SHM", kShmBytes));
  auto* layout = reinterpret_cast<ShmLayout*>(shm->data());
  if (alone) {
    // Nobody else: whatever the file holds is from processes gone.
    std::memset(static_cast<void*>(layout), 0, kShmBytes);
    std::memcpy(layout->magic, kShmMagic, sizeof(kShmMagic));
    layout->version = kShmVersion;
    layout->slots = kSlots;
  } else if (std::memcmp(layout->magic, kShmMagic, sizeof(kShmMagic)) != 0 ||
             layout->version != kShmVersion || layout->slots != kSlots) {
    return CorruptionError(dir + "/SHM", 0,
                           "the shared memory file of processes using the database is not "
                           "one this nendb knows; close those processes (or open them with the "
                           "same nendb version)");
  }
  uint32_t slot = kSlots;
  for (uint32_t i = 0; i < kSlots && slot == kSlots; ++i) {
    if (lock->TryLock(kFirstSlotByte + i, LockMode::kExclusive).ok()) slot = i;
  }
  if (slot == kSlots) {
    return absl::ResourceExhaustedError(absl::StrCat(kSlots, " processes already have database ",
                                                     dir, " open; close some of them"));
  }
  layout->slot[slot].generation.store(0);
  layout->slot[slot].pid.store(static_cast<uint32_t>(::getpid()));
  std::shared_ptr<Coordinator> c(new Coordinator(env, dir, std::move(lock), std::move(shm), slot));
  c->recovering_ = alone;
  absl::MutexLock l(&r.mu);
  r.live[{env, dir}] = c;
  return Attached{c, alone};
}

void Coordinator::Recovered() {
  (void)lock_->TryLock(kPresenceByte, LockMode::kShared);  // lets the others in
  absl::MutexLock l(&mu_);
  recovering_ = false;
}

void Coordinator::Abandon() {
  lock_->Unlock(kPresenceByte);
  absl::MutexLock l(&mu_);
  recovering_ = false;  // waiters find the presence lock gone and attach anew
}

absl::StatusOr<State> Coordinator::Read() const {
  StateCopy copies[2];
  std::memcpy(copies, shm()->copies, sizeof(copies));
  std::atomic_thread_fence(std::memory_order_acquire);
  const StateCopy* best = nullptr;
  for (const StateCopy& c : copies) {
    if (c.counter != 0 && c.crc == CopyCrc(c) && (best == nullptr || c.counter > best->counter)) {
      best = &c;
    }
  }
  if (best == nullptr) {
    return CorruptionError(dir_ + "/SHM", offsetof(ShmLayout, copies),
                           "the shared memory file holds no valid state; close every process "
                           "using the database and open it again");
  }
  State s;
  s.generation = best->generation;
  s.log_end = best->log_end;
  s.durable_end = best->durable_end;
  s.sequence = best->sequence;
  std::memcpy(s.database_id.data(), best->database_id, 16);
  return s;
}

void Coordinator::Publish(const State& state) {
  if (Forked()) return;
  StateCopy* copies = shm()->copies;
  // Overwrite the older (or damaged) copy; the newer stays whole meanwhile.
  const bool valid0 = copies[0].counter != 0 && copies[0].crc == CopyCrc(copies[0]);
  const bool valid1 = copies[1].counter != 0 && copies[1].crc == CopyCrc(copies[1]);
  uint64_t counter = 0;
  if (valid0) counter = copies[0].counter;
  if (valid1) counter = std::max(counter, copies[1].counter);
  const int target = !valid0 ? 0 : !valid1 ? 1 : (copies[0].counter < copies[1].counter ? 0 : 1);
  StateCopy c{};
  c.counter = counter + 1;
  c.generation = state.generation;
  c.log_end = state.log_end;
  c.durable_end = state.durable_end;
  c.sequence = state.sequence;
  std::memcpy(c.database_id, state.database_id.data(), 16);
  c.crc = CopyCrc(c);
  std::atomic_thread_fence(std::memory_order_release);
  std::memcpy(&copies[target], &c, sizeof(c));
  std::atomic_thread_fence(std::memory_order_release);
}

absl::Status Coordinator::LockWrites(const void* owner, absl::Duration timeout) {
  const absl::Time deadline = absl::Now() + timeout;
  {
    absl::MutexLock l(&mu_);
    auto free = [this]() ABSL_SHARED_LOCKS_REQUIRED(mu_) { return writes_owner_ == nullptr; };
    if (!mu_.AwaitWithDeadline(absl::Condition(&free), deadline)) {
      return BusyError(absl::StrCat("another handle of this process on ", dir_,
                                    " has held the write lock for longer than the busy timeout (",
                                    absl::FormatDuration(timeout),
                                    "); commit or roll back its transaction, or raise "
                                    "busy_timeout"));
    }
    writes_owner_ = owner;
  }
  absl::Status s = LockBefore(*lock_, kWriteLockByte, LockMode::kExclusive, deadline);
  if (!s.ok()) {
    absl::MutexLock l(&mu_);
    writes_owner_ = nullptr;
    if (ErrorKindOf(s) != ErrorKind::kBusy) return s;
    const uint32_t pid = shm()->writer_pid.load();
    return BusyError(absl::StrCat(
        "another process", pid != 0 ? absl::StrCat(" (pid ", pid, ")") : std::string(),
        " has held the write lock on ", dir_, " for longer than the busy timeout (",
        absl::FormatDuration(timeout), "); wait for it to commit or close, or raise busy_timeout"));
  }
  shm()->writer_pid.store(static_cast<uint32_t>(::getpid()));
  return absl::OkStatus();
}

void Coordinator::UnlockWrites(const void* owner) {
  absl::MutexLock l(&mu_);
  if (writes_owner_ != owner) return;
  shm()->writer_pid.store(0);
  lock_->Unlock(kWriteLockByte);
  writes_owner_ = nullptr;
}

bool Coordinator::HoldsWrites(const void* owner) const {
  absl::MutexLock l(&mu_);
  return writes_owner_ == owner;
}

void Coordinator::Pin(uint64_t generation) {
  absl::MutexLock l(&mu_);
  ++pins_[generation];
  UpdateSlotLocked();
}

void Coordinator::Unpin(uint64_t generation) {
  absl::MutexLock l(&mu_);
  auto it = pins_.find(generation);
  if (it == pins_.end()) return;
  if (--it->second == 0) pins_.erase(it);
  UpdateSlotLocked();
}

void Coordinator::UpdateSlotLocked() {
  if (Forked()) return;
  shm()->slot[slot_].generation.store(pins_.empty() ? 0 : pins_.begin()->first);
}

uint64_t Coordinator::OldestPinned() {
  uint64_t oldest = 0;
  for (uint32_t i = 0; i < kSlots; ++i) {
    const uint64_t g = shm()->slot[i].generation.load();
    if (g == 0) continue;
    // A dead process's slot still names its generation: its lock byte says.
    if (i != slot_) {
      auto held = lock_->HeldByOthers(kFirstSlotByte + i);
      if (held.ok() && !*held) continue;
    }
    oldest = oldest == 0 ? g : std::min(oldest, g);
  }
  return oldest;
}

int Coordinator::Processes() {
  int n = 1;
  for (uint32_t i = 0; i < kSlots; ++i) {
    if (i == slot_) continue;
    auto held = lock_->HeldByOthers(kFirstSlotByte + i);
    n += held.ok() && *held;
  }
  return n;
}

}  // namespace nendb::coord
