// ThreadPool: the worker threads that analytics kernels split their loops
// over. One pool per process (Shared()), created on first use with one
// worker per core; a call uses as many of them as it asks for, the calling
// thread included, so nested or concurrent calls never wait for each other's
// workers (a worker that finds the pool busy runs its part inline).
//
// After fork() the child's pool has no threads (they do not survive a fork);
// it starts new ones on first use.
//
// Thread-safe.
#ifndef NENDB_UTIL_THREAD_POOL_H_
#define NENDB_UTIL_THREAD_POOL_H_

#include <atomic>
#include <cstdint>
#include <functional>
#include <thread>
#include <vector>

#include "absl/synchronization/mutex.h"

namespace nendb {

class ThreadPool {
 public:
  // The process's pool.
  static ThreadPool& Shared();

  explicit ThreadPool(int workers);
  ~ThreadPool();
  ThreadPool(const ThreadPool&) = delete;
  ThreadPool& operator=(const ThreadPool&) = delete;

  // Threads a call with `threads` <= 0 uses: every core.
  int size() const { return workers_ + 1; }

  // Runs fn(begin, end, thread) over [0, n) in chunks of `grain` (dynamic
  // scheduling: a thread that finishes early takes the next chunk) on up to
  // `threads` threads (<= 0: size()); `thread` in [0, threads) names the
  // thread, for per-thread buffers. Returns when every chunk is done.
  void ParallelFor(int threads, uint64_t n, uint64_t grain,
                   const std::function<void(uint64_t, uint64_t, int)>& fn);

  // Runs fn(thread) once on each of `threads` threads.
  void RunOnEach(int threads, const std::function<void(int)>& fn);

  // How many threads a call asking for `threads` gets.
  int Resolve(int threads) const { return threads <= 0 || threads > size() ? size() : threads; }

 private:
  struct Job {
    const std::function<void(int)>* fn = nullptr;
    int wanted = 0;                // helper threads the job asked for
    std::atomic<int> started{0};   // helpers that took a part
    std::atomic<int> finished{0};  // helpers done
  };
  void StartLocked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void Work();

  const int workers_;
  absl::Mutex mu_;
  std::vector<std::thread> threads_ ABSL_GUARDED_BY(mu_);
  int pid_ ABSL_GUARDED_BY(mu_) = 0;  // the process that started threads_
  Job* job_ ABSL_GUARDED_BY(mu_) = nullptr;
  uint64_t job_serial_ ABSL_GUARDED_BY(mu_) = 0;
  bool busy_ ABSL_GUARDED_BY(mu_) = false;
  bool stop_ ABSL_GUARDED_BY(mu_) = false;
};

}  // namespace nendb

#endif  // NENDB_UTIL_THREAD_POOL_H_
