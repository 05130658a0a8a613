// ChildProcess: a program the crash tests start, read line by line, and kill.
// Its standard output comes back through a pipe; Poll() hands each complete
// line to a callback without blocking longer than asked.
#ifndef NENDB_TESTS_CRASH_CHILD_PROCESS_H_
#define NENDB_TESTS_CRASH_CHILD_PROCESS_H_

#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <functional>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace nendb::testing {

class ChildProcess {
 public:
  using Clock = std::chrono::steady_clock;

  // Starts argv[0] with argv.
  explicit ChildProcess(const std::vector<std::string>& argv) {
    int fds[2];
    if (::pipe(fds) != 0) return;
    pid_ = ::fork();
    if (pid_ == 0) {
      ::dup2(fds[1], STDOUT_FILENO);
      ::close(fds[0]);
      ::close(fds[1]);
      std::vector<char*> args;
      for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
      args.push_back(nullptr);
      ::execv(args[0], args.data());
      _exit(127);
    }
    ::close(fds[1]);
    out_ = fds[0];
  }
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;
  ~ChildProcess() {
    if (pid_ > 0) Kill();
    if (out_ >= 0) ::close(out_);
  }

  bool started() const { return pid_ > 0 && out_ >= 0; }
  pid_t pid() const { return pid_; }
  bool running() const { return pid_ > 0; }

  // Passes each line the child writes to on_line until `until`, or until
  // on_line returns false; returns false once the child closed its output.
  bool Poll(Clock::time_point until, const std::function<bool(absl::string_view)>& on_line) {
    // Lines left over when on_line last said stop come first.
    if (!Deliver(on_line)) return true;
    while (true) {
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(until - Clock::now());
      if (left.count() < 0) return true;
      pollfd p{out_, POLLIN, 0};
      const int r = ::poll(&p, 1, static_cast<int>(left.count()));
      if (r == 0) return true;
      if (r < 0) continue;
      char buf[4096];
      const ssize_t n = ::read(out_, buf, sizeof(buf));
      if (n <= 0) return false;
      partial_.append(buf, static_cast<size_t>(n));
      if (!Deliver(on_line)) return true;
    }
  }

  // SIGKILL (or none if it already exited), then every line it wrote before
  // it died; returns its wait status.
  int Kill(const std::function<bool(absl::string_view)>& on_line = {}) {
    if (pid_ > 0) ::kill(pid_, SIGKILL);
    return Reap(on_line);
  }
  // Waits for the child to exit by itself, reading the rest of its output.
  int Reap(const std::function<bool(absl::string_view)>& on_line = {}) {
    int status = 0;
    if (pid_ > 0) ::waitpid(pid_, &status, 0);
    pid_ = -1;
    auto take = [&](absl::string_view line) { return on_line ? on_line(line) || true : true; };
    while (out_ >= 0 && Poll(Clock::now() + std::chrono::seconds(5), take)) {
    }
    return status;
  }

 private:
  // Hands complete lines to on_line; false if it asked to stop.
  bool Deliver(const std::function<bool(absl::string_view)>& on_line) {
    size_t nl;
    while ((nl = partial_.find('\n')) != std::string::npos) {
      const std::string line = partial_.substr(0, nl);
      partial_.erase(0, nl + 1);
      if (!on_line(line)) return false;
    }
    return true;
  }

  pid_t pid_ = -1;
  int out_ = -1;
  std::string partial_;
};

}  // namespace nendb::testing

#endif  // NENDB_TESTS_CRASH_CHILD_PROCESS_H_
