#include "util/thread_pool.h"

#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

#include "gtest/gtest.h"

namespace nendb {
namespace {

TEST(ThreadPoolTest, EveryIndexOnceForAnySplit) {
  ThreadPool pool(3);
  for (uint64_t n : {0, 1, 7, 64, 1000, 100003}) {
    for (uint64_t grain : {1, 3, 64, 5000}) {
      for (int threads : {0, 1, 2, 4, 9}) {
        std::vector<std::atomic<int>> hits(n);
        std::atomic<int> bad_thread{0};
        pool.ParallelFor(threads, n, grain, [&](uint64_t b, uint64_t e, int t) {
          if (t < 0 || t >= pool.Resolve(threads)) bad_thread.fetch_add(1);
          for (uint64_t i = b; i < e; ++i) hits[i].fetch_add(1);
        });
        for (uint64_t i = 0; i < n; ++i) ASSERT_EQ(hits[i].load(), 1) << n << " " << grain;
        EXPECT_EQ(bad_thread.load(), 0);
      }
    }
  }
}

TEST(ThreadPoolTest, UsesSeveralThreadsAndNamesThemApart) {
  ThreadPool pool(1);
  std::set<std::thread::id> ids;
  std::set<int> names;
  std::mutex mu;
  std::atomic<bool> second_started{false};
  pool.RunOnEach(2, [&](int t) {
    if (t == 1) second_started = true;
    {
      std::lock_guard<std::mutex> l(mu);
      ids.insert(std::this_thread::get_id());
      names.insert(t);
    }
    // The caller runs part 0; part 1 is the worker's unless it never wakes.
    for (int i = 0; i < 5000 && t == 0 && !second_started; ++i) ::usleep(1000);
  });
  EXPECT_EQ(names, (std::set<int>{0, 1}));
  EXPECT_EQ(ids.size(), 2u);
}

TEST(ThreadPoolTest, NestedAndConcurrentCallsFinish) {
  ThreadPool pool(2);
  std::atomic<uint64_t> sum{0};
  std::vector<std::thread> callers;
  for (int c = 0; c < 3; ++c) {
    callers.emplace_back([&] {
      pool.ParallelFor(0, 100, 1, [&](uint64_t b, uint64_t e, int) {
        for (uint64_t i = b; i < e; ++i) {
          // A kernel calling the pool again from inside a part.
          pool.ParallelFor(0, 10, 1, [&](uint64_t bb, uint64_t ee, int) { sum += ee - bb; });
        }
      });
    });
  }
  for (auto& t : callers) t.join();
  EXPECT_EQ(sum.load(), 3u * 100 * 10);
}

TEST(ThreadPoolTest, AForkedChildStartsItsOwnThreads) {
  ThreadPool& pool = ThreadPool::Shared();
  std::atomic<uint64_t> n{0};
  pool.ParallelFor(0, 1000, 10, [&](uint64_t b, uint64_t e, int) { n += e - b; });
  ASSERT_EQ(n.load(), 1000u);
  const pid_t child = ::fork();
  if (child == 0) {
    std::atomic<uint64_t> m{0};
    pool.ParallelFor(0, 1000, 10, [&](uint64_t b, uint64_t e, int) { m += e - b; });
    _exit(m.load() == 1000 ? 0 : 1);
  }
  int status = 0;
  ASSERT_EQ(::waitpid(child, &status, 0), child);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

}  // namespace
}  // namespace nendb
