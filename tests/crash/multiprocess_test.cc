// Multi-process stress: writer and reader processes (mp_worker) on one
// database for a while, with or without one of them killed with SIGKILL
// every 1 to 5 seconds (and started again). The readers check every snapshot
// (see mp_worker.cc); the writers report each acknowledged commit and any
// wait over a second for the write lock. At the end every acknowledged commit
// is in the database and it passes Check().
//
// Sizes from the environment: NENDB_MP_SECONDS (120) for the run without
// kills, NENDB_MP_KILLS (50) for the one with them (which lasts as long as
// they take), NENDB_MP_WRITERS (2), NENDB_MP_READERS (4). make stress: 4
// writers, 8 readers, 30 minutes and 500 kills.
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "crash/child_process.h"
#include "gtest/gtest.h"
#include "nendb/database.h"
#include "test_util.h"

namespace nendb {
namespace {

using Clock = testing::ChildProcess::Clock;

int FromEnv(const char* name, int fallback) {
  const char* v = std::getenv(name);
  int n = 0;
  return v != nullptr && absl::SimpleAtoi(v, &n) && n >= 0 ? n : fallback;
}

struct Worker {
  bool writer = false;
  int id = 0;
  std::unique_ptr<testing::ChildProcess> process;
};

class MultiProcess : public ::testing::Test {
 protected:
  void Start(Worker& w) {
    std::vector<std::string> argv = {NENDB_MP_WORKER, w.writer ? "writer" : "reader", dir_,
                                     absl::StrCat(w.id)};
    if (w.writer) argv.push_back(w.id % 2 ? "normal" : "full");
    argv.push_back(stop_);
    w.process = std::make_unique<testing::ChildProcess>(argv);
    ASSERT_TRUE(w.process->started());
  }
  // Everything a worker says.
  bool Take(const Worker& w, absl::string_view line) {
    uint64_t key;
    if (absl::ConsumePrefix(&line, "ack ") && absl::SimpleAtoi(line, &key)) {
      acked_.insert(key);
    } else if (absl::StartsWith(line, "violation ") || absl::StartsWith(line, "error ") ||
               absl::StartsWith(line, "slow ")) {
      ADD_FAILURE() << (w.writer ? "writer " : "reader ") << w.id << ": " << line;
    } else if (absl::ConsumePrefix(&line, "reads ")) {
      uint64_t n = 0;
      if (absl::SimpleAtoi(line, &n)) reads_ += n;
    }
    return true;
  }

  void Run(int kills) {
    const int seconds = kills > 0 ? 0 : FromEnv("NENDB_MP_SECONDS", 120);
    const int writers = FromEnv("NENDB_MP_WRITERS", 2), readers = FromEnv("NENDB_MP_READERS", 4);
    std::vector<Worker> workers;
    for (int i = 0; i < writers + readers; ++i) workers.push_back({i < writers, i, nullptr});
    // Writers first: a reader of a database no one has created yet gets
    // NotFound.
    for (Worker& w : workers) {
      if (!w.writer) continue;
      Start(w);
      bool ready = false;
      w.process->Poll(Clock::now() + std::chrono::seconds(60), [&](absl::string_view l) {
        ready = l == "ready";
        return ready ? false : Take(w, l);
      });
      ASSERT_TRUE(ready) << "writer " << w.id << " did not start";
    }
    for (Worker& w : workers) {
      if (!w.writer) Start(w);
    }
    std::mt19937 rng(12345 + kills);
    // With kills, as long as they take.
    const auto end = Clock::now() + std::chrono::seconds(seconds);
    auto next_kill = Clock::now() + std::chrono::milliseconds(1000 + rng() % 4000);
    int killed = 0;
    while (Clock::now() < end || killed < kills) {
      for (Worker& w : workers) {
        if (!w.process->running()) continue;
        if (!w.process->Poll(Clock::now() + std::chrono::milliseconds(5),
                             [&](absl::string_view l) { return Take(w, l); })) {
          w.process->Reap([&](absl::string_view l) { return Take(w, l); });
        }
      }
      if (killed < kills && Clock::now() >= next_kill) {
        Worker& victim = workers[rng() % workers.size()];
        const int status =
            victim.process->Kill([&](absl::string_view l) { return Take(victim, l); });
        (void)status;
        ++killed;
        Start(victim);
        next_kill = Clock::now() + std::chrono::milliseconds(1000 + rng() % 4000);
      }
    }
    std::fclose(std::fopen(stop_.c_str(), "w"));  // every worker stops at its next round
    for (Worker& w : workers) {
      const int status = w.process->Reap([&](absl::string_view l) { return Take(w, l); });
      EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0)
          << (w.writer ? "writer " : "reader ") << w.id << " ended with status " << status;
    }
    Verify(kills, killed);
  }

  void Verify(int kills, int killed) {
    auto db = Database::Open(dir_);
    ASSERT_TRUE(db.ok()) << db.status();
    auto rx = (*db)->BeginRead().value();
    uint64_t lost = 0;
    for (uint64_t key : acked_) lost += !rx->FindNode("C", Key(static_cast<int64_t>(key))).ok();
    EXPECT_EQ(lost, 0u) << "acknowledged commits were lost";
    std::string report;
    EXPECT_TRUE((*db)->Check(&report).ok()) << report;
    EXPECT_GT(acked_.size(), 100u) << "too few commits to mean anything";
    EXPECT_GT(reads_, 100u) << "too few reads to mean anything";
    EXPECT_EQ(killed, kills);
    std::printf("%zu commits acknowledged, %llu snapshots checked, %d processes killed\n",
                acked_.size(), static_cast<unsigned long long>(reads_), killed);
  }

  testing::ScratchDir scratch_;
  const std::string dir_ = scratch_.Sub("db");
  const std::string stop_ = scratch_.Sub("stop");
  std::set<uint64_t> acked_;
  uint64_t reads_ = 0;
};

TEST_F(MultiProcess, WritersAndReadersKeepTheInvariants) { Run(/*kills=*/0); }

TEST_F(MultiProcess, RandomKillsLoseNothingAndBlockNobody) { Run(FromEnv("NENDB_MP_KILLS", 50)); }

}  // namespace
}  // namespace nendb
