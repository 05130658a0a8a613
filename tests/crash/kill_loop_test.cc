// The kill -9 loop: a child process (crash_writer) commits numbered
// transactions and reports each acknowledged commit; it is killed at a random
// moment (sometimes while it is still opening and recovering, usually while
// committing or checkpointing); the reopened database must hold every
// acknowledged transaction and no partial one. The sync mode rotates through
// full, normal and off: a process crash loses nothing in any mode.
//
// NENDB_KILL_CYCLES sets the number of cycles (200 in make test, 1000 in
// make stress).
#include <sys/wait.h>

#include <chrono>
#include <cstdlib>
#include <random>
#include <string>

#include "absl/strings/numbers.h"
#include "absl/strings/str_split.h"
#include "crash/child_process.h"
#include "crash/workload.h"
#include "gtest/gtest.h"
#include "nendb/database.h"
#include "test_util.h"

namespace nendb {
namespace {

using Clock = testing::ChildProcess::Clock;

int Cycles() {
  const char* env = std::getenv("NENDB_KILL_CYCLES");
  int n = 0;
  return env != nullptr && absl::SimpleAtoi(env, &n) && n > 0 ? n : 200;
}

// What one child said before it died.
struct ChildRun {
  bool ready = false;
  int64_t last_acked = -1;
  std::string error;
  int wait_status = 0;

  bool Take(absl::string_view line) {
    int64_t i;
    if (line == "ready") {
      ready = true;
    } else if (absl::SimpleAtoi(line, &i)) {
      last_acked = i;
    } else {
      error = std::string(line);
    }
    return true;
  }
};

// Opens the database after a kill and returns how many transactions it
// holds; fails the test if it is not a clean prefix.
int64_t Reopen(const std::string& dir, bool read_only, int64_t acked) {
  Options o;
  o.read_only = read_only;
  auto db = Database::Open(dir, o);
  if (!db.ok()) {
    // Killed while creating the database: nothing can have been acknowledged.
    EXPECT_EQ(acked, 0) << db.status();
    return 0;
  }
  auto rx = (*db)->BeginRead();
  EXPECT_TRUE(rx.ok()) << rx.status();
  if (!rx.ok()) return -1;
  auto m = crash::VerifyPrefix(**rx);
  EXPECT_TRUE(m.ok()) << m.status();
  std::string report;
  EXPECT_TRUE((*db)->Check(&report).ok()) << report;
  return m.ok() ? *m : -1;
}

TEST(KillLoop, AcknowledgedCommitsSurviveKill9) {
  testing::ScratchDir scratch;
  const std::string dir = scratch.Sub("db");
  const char* kModes[] = {"full", "normal", "off"};
  std::mt19937 rng(20261201);
  int64_t acked = 0;  // transactions acknowledged so far, over all cycles
  const int cycles = Cycles();
  int killed_early = 0;
  for (int cycle = 0; cycle < cycles; ++cycle) {
    SCOPED_TRACE(absl::StrCat("cycle ", cycle, ", ", acked, " acknowledged"));
    testing::ChildProcess child({NENDB_CRASH_WRITER, dir, kModes[cycle % 3]});
    ASSERT_TRUE(child.started());
    ChildRun run;
    auto take = [&](absl::string_view line) { return run.Take(line); };
    if (rng() % 4 == 0) {
      // Anywhere in the first 15 ms: often while opening and recovering.
      child.Poll(Clock::now() + std::chrono::microseconds(rng() % 15000), take);
      ++killed_early;
    } else {
      child.Poll(Clock::now() + std::chrono::seconds(60), [&](absl::string_view line) {
        run.Take(line);
        return !run.ready && run.error.empty();
      });
      ASSERT_TRUE(run.ready) << "the child did not start: " << run.error;
      child.Poll(Clock::now() + std::chrono::microseconds(rng() % 60000), take);
    }
    run.wait_status = child.Kill(take);
    ASSERT_EQ(run.error, "") << "the child failed";
    ASSERT_TRUE(WIFSIGNALED(run.wait_status)) << "the child exited by itself";
    if (run.last_acked >= 0) {
      ASSERT_GE(run.last_acked + 1, acked) << "the child started below what it had";
      acked = run.last_acked + 1;
    }
    const int64_t m = Reopen(dir, /*read_only=*/cycle % 8 != 7, acked);
    ASSERT_GE(m, acked) << "acknowledged commits were lost";
    ASSERT_LE(m, acked + 1) << "more transactions than were attempted";
    acked = m;  // one in flight may have committed without its acknowledgement
  }
  EXPECT_GT(acked, cycles) << "too few commits to mean anything";
  std::printf("%d cycles (%d killed early), %lld transactions\n", cycles, killed_early,
              static_cast<long long>(acked));
}

}  // namespace
}  // namespace nendb
