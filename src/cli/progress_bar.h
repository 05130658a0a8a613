// A one-line progress bar on stderr for long imports: drawn only when stderr
// is a terminal and once the task has run for more than a second, redrawn
// at most ten times a second, and erased when done.
//
// Not thread-safe; one bar per task.
#ifndef NENDB_CLI_PROGRESS_BAR_H_
#define NENDB_CLI_PROGRESS_BAR_H_

#include <chrono>
#include <cstdint>
#include <string>

namespace nendb::cli {

class ProgressBar {
 public:
  explicit ProgressBar(std::string label);
  ~ProgressBar() { Finish(); }

  // Records progress (total 0: unknown); always returns true (go on).
  bool Update(uint64_t done, uint64_t total);
  // Erases the bar if it was drawn.
  void Finish();

 private:
  using Clock = std::chrono::steady_clock;
  void Draw(uint64_t done, uint64_t total, double seconds);

  std::string label_;
  bool enabled_;
  bool drawn_ = false;
  Clock::time_point start_;
  Clock::time_point last_draw_;
};

}  // namespace nendb::cli

#endif  // NENDB_CLI_PROGRESS_BAR_H_
