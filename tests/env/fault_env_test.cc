#include "env/fault_env.h"

#include "gtest/gtest.h"
#include "test_util.h"

namespace nendb {
namespace {

std::string Write(FaultEnv& env, const std::string& path, const std::string& data, bool sync) {
  auto f = env.NewWritableFile(path).value();
  EXPECT_TRUE(f->Append(data).ok());
  if (sync) {
    EXPECT_TRUE(f->Sync().ok());
  }
  return data;
}

TEST(FaultEnvTest, PowerLossDropsUnsyncedDataAndEntries) {
  FaultEnv env;
  ASSERT_TRUE(env.CreateDir("/d").ok());
  Write(env, "/d/synced", "abc", true);
  Write(env, "/d/unsynced", "xyz", false);
  ASSERT_TRUE(env.SyncDir("/d").ok());
  {
    auto f = env.NewWritableFileAt("/d/synced", 3).value();
    ASSERT_TRUE(f->Append("def").ok());  // never synced
  }
  Write(env, "/d/new", "n", true);  // synced data, entry not synced
  env.Crash();
  env.Restart();
  EXPECT_EQ(env.Contents("/d/synced"), "abc");
  EXPECT_EQ(env.Contents("/d/unsynced"), "");
  EXPECT_FALSE(env.FileExists("/d/new"));
}

TEST(FaultEnvTest, ProcessKillKeepsWrittenData) {
  FaultEnv env;
  ASSERT_TRUE(env.CreateDir("/d").ok());
  Write(env, "/d/f", "abc", false);
  ASSERT_TRUE(env.SyncDir("/d").ok());
  CrashOptions kill;
  kill.drop_unsynced_data = false;
  kill.drop_unsynced_entries = false;
  env.Crash(kill);
  env.Restart();
  EXPECT_EQ(env.Contents("/d/f"), "abc");
}

TEST(FaultEnvTest, RenamesNeedADirectorySync) {
  FaultEnv env;
  ASSERT_TRUE(env.CreateDir("/d").ok());
  Write(env, "/d/a", "1", true);
  ASSERT_TRUE(env.SyncDir("/d").ok());
  ASSERT_TRUE(env.RenameFile("/d/a", "/d/b").ok());
  env.Crash();
  EXPECT_FALSE(env.SyncDir("/d").ok());  // nothing works until the restart
  env.Restart();
  EXPECT_TRUE(env.FileExists("/d/a"));
  EXPECT_FALSE(env.FileExists("/d/b"));
  ASSERT_TRUE(env.RenameFile("/d/a", "/d/b").ok());
  ASSERT_TRUE(env.SyncDir("/d").ok());
  env.Crash();
  env.Restart();
  EXPECT_EQ(env.Contents("/d/b"), "1");
}

TEST(FaultEnvTest, HandlesOfACrashedProcessDie) {
  FaultEnv env;
  ASSERT_TRUE(env.CreateDir("/d").ok());
  auto f = env.NewWritableFile("/d/f").value();
  auto lock = env.OpenLockFile("/d/LOCK").value();
  ASSERT_TRUE(lock->TryLock(0, LockMode::kExclusive).ok());
  env.Crash();
  env.Restart();
  EXPECT_FALSE(f->Append("x").ok());
  EXPECT_FALSE(f->Sync().ok());
  EXPECT_FALSE(lock->TryLock(1, LockMode::kShared).ok());  // a dead process takes nothing
  auto relock = env.OpenLockFile("/d/LOCK").value();
  EXPECT_TRUE(relock->TryLock(0, LockMode::kExclusive).ok());  // the kernel dropped the old lock
  lock.reset();  // the dead lock going away must not drop the new one
  auto third = env.OpenLockFile("/d/LOCK").value();
  EXPECT_ERROR_KIND(third->TryLock(0, LockMode::kShared), kBusy);
}

TEST(FaultEnvTest, ByteLocksConflictBetweenLockFiles) {
  FaultEnv env;
  ASSERT_TRUE(env.CreateDir("/d").ok());
  auto a = env.OpenLockFile("/d/LOCK").value();
  auto b = env.OpenLockFile("/d/LOCK").value();
  ASSERT_TRUE(a->TryLock(3, LockMode::kShared).ok());
  ASSERT_TRUE(b->TryLock(3, LockMode::kShared).ok());  // shared with shared
  EXPECT_ERROR_KIND(b->TryLock(3, LockMode::kExclusive), kBusy);
  EXPECT_TRUE(b->HeldByOthers(3).value());
  EXPECT_FALSE(b->HeldByOthers(4).value());
  a->Unlock(3);
  EXPECT_TRUE(b->TryLock(3, LockMode::kExclusive).ok());  // upgraded in place
  EXPECT_ERROR_KIND(a->TryLock(3, LockMode::kShared), kBusy);
  EXPECT_TRUE(b->TryLock(3, LockMode::kShared).ok());  // and down again
  EXPECT_TRUE(a->TryLock(3, LockMode::kShared).ok());
  b.reset();  // destruction releases
  EXPECT_TRUE(a->TryLock(3, LockMode::kExclusive).ok());
}

TEST(FaultEnvTest, SharedMemoryIsOneBufferPerPath) {
  FaultEnv env;
  ASSERT_TRUE(env.CreateDir("/d").ok());
  auto m1 = env.MapSharedFile("/d/shm", 4096).value();
  auto m2 = env.MapSharedFile("/d/shm", 4096).value();
  m1->data()[10] = std::byte{42};
  EXPECT_EQ(m2->data()[10], std::byte{42});
  EXPECT_TRUE(env.FileExists("/d/shm"));
}

TEST(FaultEnvTest, FailTheKthCall) {
  FaultEnv env;
  ASSERT_TRUE(env.CreateDir("/d").ok());
  auto f = env.NewWritableFile("/d/f").value();
  env.FailAt(2, ENOSPC, /*persistent=*/false, /*short_write=*/true);
  EXPECT_TRUE(f->Append("ab").ok());
  absl::Status s = f->Append("cdef");
  EXPECT_EQ(ErrorKindOf(s), ErrorKind::kCapacity) << s;
  EXPECT_EQ(env.Contents("/d/f"), "abcd");  // half of the failed append landed
  EXPECT_TRUE(f->Append("g").ok());         // once only
  env.FailAt(1, EIO, /*persistent=*/true);
  EXPECT_FALSE(f->Sync().ok());
  EXPECT_FALSE(f->Append("h").ok());
  env.ClearFaults();
  EXPECT_TRUE(f->Append("h").ok());
}

TEST(FaultEnvTest, CrashAtASyncPoint) {
  FaultEnv env;
  ASSERT_TRUE(env.CreateDir("/d").ok());
  auto f = env.NewWritableFile("/d/f").value();
  ASSERT_TRUE(f->Append("1").ok());
  env.CrashAtSync(2);
  ASSERT_TRUE(env.SyncDir("/d").ok());  // sync point 1
  ASSERT_TRUE(f->Append("2").ok());
  EXPECT_FALSE(f->Sync().ok());  // sync point 2: crashes instead
  EXPECT_TRUE(env.crashed_since_clear());
  EXPECT_EQ(env.Contents("/d/f"), "");  // never synced
}

TEST(FaultEnvTest, TornCrashKeepsTheSyncedPrefixAndPartOfTheRest) {
  const std::string synced(1000, 's'), unsynced(8192, 'u');
  bool saw_shorter = false, saw_zeroed_sector = false, saw_kept_sector = false;
  for (uint64_t seed = 1; seed <= 20; ++seed) {
    FaultEnv env;
    ASSERT_TRUE(env.CreateDir("/d").ok());
    auto f = env.NewWritableFile("/d/f").value();
    ASSERT_TRUE(f->Append(synced).ok());
    ASSERT_TRUE(f->Sync().ok());
    ASSERT_TRUE(env.SyncDir("/d").ok());
    ASSERT_TRUE(f->Append(unsynced).ok());
    CrashOptions torn;
    torn.torn_seed = seed;
    env.Crash(torn);
    env.Restart();
    const std::string after = env.Contents("/d/f");
    ASSERT_GE(after.size(), synced.size());
    ASSERT_LE(after.size(), synced.size() + unsynced.size());
    EXPECT_EQ(after.substr(0, synced.size()), synced);
    saw_shorter |= after.size() < synced.size() + unsynced.size();
    for (char c : after.substr(synced.size())) {
      ASSERT_TRUE(c == 'u' || c == '\0');
      saw_zeroed_sector |= c == '\0';
      saw_kept_sector |= c == 'u';
    }
  }
  EXPECT_TRUE(saw_shorter && saw_zeroed_sector && saw_kept_sector);
}

TEST(FaultEnvTest, CrashAtAnyCall) {
  FaultEnv env;
  ASSERT_TRUE(env.CreateDir("/d").ok());
  auto f = env.NewWritableFile("/d/f").value();
  env.CrashAtCall(2);
  EXPECT_TRUE(f->Append("a").ok());
  EXPECT_FALSE(f->Append("b").ok());  // the crash
  EXPECT_TRUE(env.crashed_since_clear());
  EXPECT_FALSE(env.CreateDir("/e").ok());  // dead until the restart
  env.Restart();
  EXPECT_TRUE(env.CreateDir("/e").ok());
}

}  // namespace
}  // namespace nendb
