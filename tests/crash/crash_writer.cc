// crash_writer DIR SYNC: the child process of the kill -9 loop. Opens DIR
// with sync mode SYNC (full, normal or off), prints "ready", then commits the
// workload's transactions from the first one DIR does not hold yet, printing
// each number once Commit() has returned OK, until it is killed. Checkpoints
// now and then, and automatically on a small log, so kills also land inside
// checkpoints.
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <string>

#include "absl/strings/str_cat.h"
#include "crash/workload.h"
#include "nendb/database.h"

namespace {

// Unbuffered, so an acknowledgement is in the pipe before the next commit.
void Say(const std::string& line) {
  const std::string out = line + "\n";
  if (::write(STDOUT_FILENO, out.data(), out.size()) != static_cast<ssize_t>(out.size())) _exit(3);
}

int Fail(const absl::Status& s) {
  Say(absl::StrCat("error ", s.ToString()));
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: crash_writer DIR full|normal|off\n");
    return 2;
  }
  nendb::Options options;
  const std::string sync = argv[2];
  options.sync = sync == "off"      ? nendb::SyncMode::kOff
                 : sync == "normal" ? nendb::SyncMode::kNormal
                                    : nendb::SyncMode::kFull;
  options.checkpoint_log_bytes = 24 << 10;  // the Big transactions commit as snapshots
  auto db = nendb::Database::Open(argv[1], options);
  if (!db.ok()) return Fail(db.status());
  int64_t next;
  {
    auto rx = (*db)->BeginRead();
    if (!rx.ok()) return Fail(rx.status());
    auto held = nendb::crash::VerifyPrefix(**rx);
    if (!held.ok()) return Fail(held.status());
    next = *held;
  }
  Say("ready");
  for (int64_t i = next;; ++i) {
    auto tx = (*db)->BeginWrite();
    if (!tx.ok()) return Fail(tx.status());
    if (absl::Status s = nendb::crash::ApplyTxn(**tx, i); !s.ok()) return Fail(s);
    if (absl::Status s = (*tx)->Commit(); !s.ok()) return Fail(s);
    Say(absl::StrCat(i));
    if (i % 97 == 96) {
      if (absl::Status s = (*db)->Checkpoint(); !s.ok()) return Fail(s);
    }
  }
}
