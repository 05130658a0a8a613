// The kill -9 loop: a child process (crash_writer) commits numbered
// transactions and reports each acknowledged commit; it is killed at a random
// moment (sometimes while it is still opening and recovering, usually while
// committing or checkpointing); the reopened database must hold every
// acknowledged transaction and no partial one. The sync mode rotates through
// full, normal and off: a process crash loses nothing in any mode.
//
// NENDB_KILL_CYCLES sets the number of cycles (200 in make test, 1000 in
// make stress).
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <random>
#include <string>

#include "absl/strings/numbers.h"
#include "absl/strings/str_split.h"
#include "crash/workload.h"
#include "gtest/gtest.h"
#include "nendb/database.h"
#include "test_util.h"

namespace nendb {
namespace {

using Clock = std::chrono::steady_clock;

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
};

class Child {
 public:
  Child(const std::string& dir, const char* sync) {
    int fds[2];
    if (::pipe(fds) != 0) return;
    pid_ = ::fork();
    if (pid_ == 0) {
      ::dup2(fds[1], STDOUT_FILENO);
      ::close(fds[0]);
      ::close(fds[1]);
      ::execl(NENDB_CRASH_WRITER, NENDB_CRASH_WRITER, dir.c_str(), sync, nullptr);
      _exit(127);
    }
    ::close(fds[1]);
    out_ = fds[0];
  }
  ~Child() {
    if (pid_ > 0) Kill();
    if (out_ >= 0) ::close(out_);
  }
  bool started() const { return pid_ > 0 && out_ >= 0; }

  // Reads what the child says until `until`, or until it is ready if
  // stop_when_ready; false once the child has closed its output.
  bool ReadUntil(Clock::time_point until, bool stop_when_ready = false) {
    while (!(stop_when_ready && (run_.ready || !run_.error.empty()))) {
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(until - Clock::now());
      if (left.count() < 0) return true;
      pollfd p{out_, POLLIN, 0};
      const int r = ::poll(&p, 1, static_cast<int>(left.count()));
      if (r == 0) return true;
      if (r < 0) continue;
      char buf[4096];
      const ssize_t n = ::read(out_, buf, sizeof(buf));
      if (n <= 0) return false;
      Take(absl::string_view(buf, static_cast<size_t>(n)));
    }
    return true;
  }
  bool WaitReady(std::chrono::seconds timeout) {
    ReadUntil(Clock::now() + timeout, /*stop_when_ready=*/true);
    return run_.ready;
  }

  // SIGKILL, then everything the child wrote before it died.
  ChildRun Kill() {
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, &run_.wait_status, 0);
    pid_ = -1;
    while (ReadUntil(Clock::now() + std::chrono::seconds(5))) {
    }
    return run_;
  }

 private:
  void Take(absl::string_view data) {
    partial_.append(data.data(), data.size());
    size_t nl;
    while ((nl = partial_.find('\n')) != std::string::npos) {
      const std::string line = partial_.substr(0, nl);
      partial_.erase(0, nl + 1);
      int64_t i;
      if (line == "ready") {
        run_.ready = true;
      } else if (absl::SimpleAtoi(line, &i)) {
        run_.last_acked = i;
      } else {
        run_.error = line;
      }
    }
  }

  pid_t pid_ = -1;
  int out_ = -1;
  std::string partial_;
  ChildRun run_;
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
    Child child(dir, kModes[cycle % 3]);
    ASSERT_TRUE(child.started());
    if (rng() % 4 == 0) {
      // Anywhere in the first 15 ms: often while opening and recovering.
      child.ReadUntil(Clock::now() + std::chrono::microseconds(rng() % 15000));
      ++killed_early;
    } else {
      ASSERT_TRUE(child.WaitReady(std::chrono::seconds(60))) << "the child did not start";
      child.ReadUntil(Clock::now() + std::chrono::microseconds(rng() % 60000));
    }
    const ChildRun run = child.Kill();
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
