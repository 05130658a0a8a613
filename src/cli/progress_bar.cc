// Implements progress_bar.h.
#include "cli/progress_bar.h"

#include <unistd.h>

#include <cstdio>

#include "absl/strings/str_format.h"
#include "cli/util.h"

namespace nendb::cli {
namespace {

constexpr auto kDelay = std::chrono::seconds(1);
constexpr auto kRedraw = std::chrono::milliseconds(100);
constexpr int kWidth = 30;

}  // namespace

ProgressBar::ProgressBar(std::string label)
    : label_(std::move(label)), enabled_(::isatty(STDERR_FILENO) == 1), start_(Clock::now()) {}

bool ProgressBar::Update(uint64_t done, uint64_t total) {
  if (!enabled_) return true;
  const auto now = Clock::now();
  if (now - start_ < kDelay || (drawn_ && now - last_draw_ < kRedraw)) return true;
  last_draw_ = now;
  Draw(done, total, std::chrono::duration<double>(now - start_).count());
  return true;
}

void ProgressBar::Draw(uint64_t done, uint64_t total, double seconds) {
  std::string bar;
  if (total > 0) {
    const double f = static_cast<double>(done) / static_cast<double>(total);
    const int filled = static_cast<int>(f * kWidth);
    bar = absl::StrFormat("[%s%s] %3d%%", std::string(filled, '#'),
                          std::string(kWidth - filled, ' '), static_cast<int>(f * 100));
  }
  const std::string rate = FormatBytes(static_cast<uint64_t>(done / seconds)) + "/s";
  std::fprintf(stderr, "\r%s %s %s %s\033[K", label_.c_str(), bar.c_str(),
               FormatBytes(done).c_str(), rate.c_str());
  std::fflush(stderr);
  drawn_ = true;
}

void ProgressBar::Finish() {
  if (!drawn_) return;
  std::fputs("\r\033[K", stderr);
  std::fflush(stderr);
  drawn_ = false;
}

}  // namespace nendb::cli
