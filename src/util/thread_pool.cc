#include "util/thread_pool.h"

#include <unistd.h>

#include <algorithm>

namespace nendb {

ThreadPool& ThreadPool::Shared() {
  // Never destroyed: kernels may still run while the process exits.
  static ThreadPool* pool =
      new ThreadPool(static_cast<int>(std::max(1u, std::thread::hardware_concurrency())) - 1);
  return *pool;
}

ThreadPool::ThreadPool(int workers) : workers_(std::max(0, workers)) {}

ThreadPool::~ThreadPool() {
  std::vector<std::thread> threads;
  {
    absl::MutexLock l(&mu_);
    stop_ = true;
    if (pid_ == ::getpid()) threads.swap(threads_);
  }
  for (std::thread& t : threads) t.join();
}

void ThreadPool::StartLocked() {
  const int pid = ::getpid();
  if (pid_ == pid) return;
  if (pid_ != 0) {
    // A forked child: the parent's threads do not exist here, and their
    // std::thread objects must be neither joined nor destroyed.
    new std::vector<std::thread>(std::move(threads_));
    threads_.clear();
    busy_ = false;
    job_ = nullptr;
  }
  pid_ = pid;
  for (int i = 0; i < workers_; ++i) threads_.emplace_back([this] { Work(); });
}

void ThreadPool::Work() {
  uint64_t seen = 0;
  absl::MutexLock l(&mu_);
  while (true) {
    auto ready = [&]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
      return stop_ || (job_ != nullptr && job_serial_ != seen);
    };
    mu_.Await(absl::Condition(&ready));
    if (stop_) return;
    seen = job_serial_;
    Job* job = job_;
    while (job->started.load() < job->wanted) {
      const int part = 1 + job->started.fetch_add(1);
      mu_.Unlock();
      (*job->fn)(part);
      mu_.Lock();
      job->finished.fetch_add(1);
    }
  }
}

void ThreadPool::RunOnEach(int threads, const std::function<void(int)>& fn) {
  const int t = Resolve(threads);
  Job job;
  job.fn = &fn;
  job.wanted = t - 1;
  bool shared = false;
  if (t > 1) {
    absl::MutexLock l(&mu_);
    StartLocked();
    if (!busy_ && !threads_.empty()) {
      busy_ = shared = true;
      job_ = &job;
      ++job_serial_;
    }
  }
  if (!shared) {
    // One thread, or the workers serve another call: every part here.
    for (int i = 0; i < t; ++i) fn(i);
    return;
  }
  fn(0);
  absl::MutexLock l(&mu_);
  // Parts no worker took yet are ours.
  while (job.started.load() < job.wanted) {
    const int part = 1 + job.started.fetch_add(1);
    mu_.Unlock();
    fn(part);
    mu_.Lock();
    job.finished.fetch_add(1);
  }
  auto done = [&]()
                  ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return job.finished.load() == job.wanted; };
  mu_.Await(absl::Condition(&done));
  job_ = nullptr;
  busy_ = false;
}

void ThreadPool::ParallelFor(int threads, uint64_t n, uint64_t grain,
                             const std::function<void(uint64_t, uint64_t, int)>& fn) {
  if (n == 0) return;
  grain = std::max<uint64_t>(1, grain);
  const int t = static_cast<int>(std::min<uint64_t>(Resolve(threads), (n + grain - 1) / grain));
  std::atomic<uint64_t> next{0};
  RunOnEach(t, [&](int thread) {
    for (uint64_t begin; (begin = next.fetch_add(grain)) < n;) {
      fn(begin, std::min(n, begin + grain), thread);
    }
  });
}

}  // namespace nendb
