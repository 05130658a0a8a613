// Coordinator over the in-memory Env: presence, the published state, the
// write lock and pins. A second Env over the same files (NoSyncEnv forwards
// every call) stands for a second process: the process-wide registry keeps
// coordinators per Env, so it gets its own, with its own lock file.
#include "coord/coordinator.h"

#include <unistd.h>

#include <cstring>
#include <thread>

#include "env/no_sync_env.h"
#include "gtest/gtest.h"
#include "nendb/env.h"
#include "test_util.h"

namespace nendb::coord {
namespace {

class CoordinatorTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(env_->CreateDir("/db").ok()); }
  // process 0 or 1
  Coordinator::Attached Attach(int process) {
    auto a = Coordinator::Attach(process == 0 ? env_.get() : other_.get(), "/db",
                                 absl::Milliseconds(100));
    EXPECT_TRUE(a.ok()) << a.status();
    return a.ok() ? *std::move(a) : Coordinator::Attached{};
  }
  static State StateOf(uint64_t generation, uint64_t end, uint64_t sequence) {
    State s;
    s.generation = generation;
    s.log_end = end;
    s.durable_end = end;
    s.sequence = sequence;
    s.database_id[0] = 7;
    return s;
  }
  std::unique_ptr<Env> env_ = Env::NewMemEnv();
  std::unique_ptr<Env> other_ = NewNoSyncEnv(env_.get());
};

TEST_F(CoordinatorTest, TheFirstRecoversAndTheOthersFollow) {
  auto first = Attach(0);
  ASSERT_TRUE(first.must_recover);
  // Until it is done, a second process waits (and here gives up).
  EXPECT_ERROR_KIND(Coordinator::Attach(other_.get(), "/db", absl::Milliseconds(30)), kBusy);
  first.coordinator->Publish(StateOf(1, 64, 0));
  first.coordinator->Recovered();
  auto second = Attach(1);
  EXPECT_FALSE(second.must_recover);
  EXPECT_EQ(second.coordinator->Read().value(), StateOf(1, 64, 0));
  EXPECT_EQ(first.coordinator->Processes(), 2);
  // Handles of one process share one coordinator.
  auto again = Attach(0);
  EXPECT_EQ(again.coordinator, first.coordinator);
  EXPECT_FALSE(again.must_recover);
}

TEST_F(CoordinatorTest, WhenEveryoneLeftTheNextRecoversAgain) {
  {
    auto a = Attach(0);
    a.coordinator->Publish(StateOf(3, 100, 9));
    a.coordinator->Recovered();
  }
  auto b = Attach(0);
  EXPECT_TRUE(b.must_recover);  // the shared memory is only a cache
}

TEST_F(CoordinatorTest, PublishedStateSurvivesADamagedCopy) {
  auto a = Attach(0);
  a.coordinator->Publish(StateOf(1, 64, 0));
  a.coordinator->Publish(StateOf(1, 200, 1));
  a.coordinator->Recovered();
  auto shm = env_->MapSharedFile("/db/SHM", kShmBytes).value();
  auto* layout = reinterpret_cast<ShmLayout*>(shm->data());
  // A writer that died half-way through an update leaves one copy torn.
  const int newest = layout->copies[0].counter > layout->copies[1].counter ? 0 : 1;
  layout->copies[newest].log_end ^= 0xFF;
  EXPECT_EQ(a.coordinator->Read().value(), StateOf(1, 64, 0));  // the older, whole copy
  a.coordinator->Publish(StateOf(1, 300, 2));                   // overwrites the torn one
  EXPECT_EQ(a.coordinator->Read().value(), StateOf(1, 300, 2));
  layout->copies[0].crc ^= 1;
  layout->copies[1].crc ^= 1;
  EXPECT_ERROR_KIND(a.coordinator->Read(), kCorruption);
}

TEST_F(CoordinatorTest, OneWriterAtATime) {
  auto a = Attach(0);
  a.coordinator->Publish(StateOf(1, 64, 0));
  a.coordinator->Recovered();
  auto b = Attach(1);
  int owner1, owner2;
  ASSERT_TRUE(a.coordinator->LockWrites(&owner1, absl::Seconds(1)).ok());
  EXPECT_TRUE(a.coordinator->HoldsWrites(&owner1));
  // Another handle of the same process waits for it...
  EXPECT_ERROR_KIND(a.coordinator->LockWrites(&owner2, absl::Milliseconds(20)), kBusy);
  // ...and so does another process, which is told who holds it.
  absl::Status other = b.coordinator->LockWrites(&owner1, absl::Milliseconds(20));
  EXPECT_ERROR_KIND(other, kBusy);
  EXPECT_NE(other.message().find(absl::StrCat("pid ", ::getpid())), absl::string_view::npos)
      << other;
  std::thread release([&] {
    absl::SleepFor(absl::Milliseconds(30));
    a.coordinator->UnlockWrites(&owner1);
  });
  EXPECT_TRUE(b.coordinator->LockWrites(&owner2, absl::Seconds(5)).ok());  // waits, then gets it
  release.join();
  b.coordinator->UnlockWrites(&owner2);
}

TEST_F(CoordinatorTest, ADeadProcessReleasesTheWriteLock) {
  auto a = Attach(0);
  a.coordinator->Publish(StateOf(1, 64, 0));
  a.coordinator->Recovered();
  auto b = Attach(1);
  int owner;
  ASSERT_TRUE(b.coordinator->LockWrites(&owner, absl::Seconds(1)).ok());
  b = {};  // the process dies holding it: its lock file closes
  EXPECT_TRUE(a.coordinator->LockWrites(&owner, absl::Milliseconds(100)).ok());
}

TEST_F(CoordinatorTest, PinsOfLiveProcessesOnly) {
  auto a = Attach(0);
  a.coordinator->Publish(StateOf(5, 64, 0));
  a.coordinator->Recovered();
  EXPECT_EQ(a.coordinator->OldestPinned(), 0u);
  a.coordinator->Pin(5);
  a.coordinator->Pin(5);
  EXPECT_EQ(a.coordinator->OldestPinned(), 5u);
  {
    auto b = Attach(1);
    b.coordinator->Pin(3);
    EXPECT_EQ(a.coordinator->OldestPinned(), 3u);
    b.coordinator->Pin(4);
    b.coordinator->Unpin(3);
    EXPECT_EQ(a.coordinator->OldestPinned(), 4u);
  }
  // b is gone (as if killed: its slot still names generation 4 in the shared
  // memory, but nobody holds the slot's lock).
  EXPECT_EQ(a.coordinator->OldestPinned(), 5u);
  a.coordinator->Unpin(5);
  EXPECT_EQ(a.coordinator->OldestPinned(), 5u);  // pinned twice
  a.coordinator->Unpin(5);
  EXPECT_EQ(a.coordinator->OldestPinned(), 0u);
}

TEST_F(CoordinatorTest, ADamagedSharedMemoryBesideLiveProcessesIsReported) {
  auto a = Attach(0);
  a.coordinator->Publish(StateOf(1, 64, 0));
  a.coordinator->Recovered();
  auto shm = env_->MapSharedFile("/db/SHM", kShmBytes).value();
  std::memset(shm->data(), 0x5A, 8);  // the magic
  auto b = Coordinator::Attach(other_.get(), "/db", absl::Milliseconds(50));
  EXPECT_ERROR_KIND(b, kCorruption);
}

}  // namespace
}  // namespace nendb::coord
