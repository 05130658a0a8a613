// Control: what every analytics kernel takes besides its input: how many
// threads to use, and a progress callback that can also cancel the run.
//
// Plain value; the callback is called from the thread that runs the kernel.
#ifndef NENDB_ALGO_CONTROL_H_
#define NENDB_ALGO_CONTROL_H_

#include <functional>

#include "absl/status/status.h"

namespace nendb::algo {

struct Control {
  int threads = 0;  // <= 0: every core
  // Called between rounds with the fraction done so far (an estimate for
  // kernels whose length is not known in advance); returning false stops
  // the kernel with a Cancelled error.
  std::function<bool(double)> progress;

  absl::Status Report(double fraction) const {
    if (progress && !progress(fraction)) return absl::CancelledError("cancelled by the caller");
    return absl::OkStatus();
  }
};

}  // namespace nendb::algo

#endif  // NENDB_ALGO_CONTROL_H_
