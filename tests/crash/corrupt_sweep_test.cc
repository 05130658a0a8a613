// The corrupt-file sweep: random bit flips, byte overwrites, zeroed sectors,
// truncations and appended garbage applied to every file of a valid database
// directory (snapshot, write-ahead log, projection file, lock file). Opening
// must either succeed with a committed prefix that holds at least what the
// snapshot holds (a cut log tail is indistinguishable from a crash) or fail
// with a Corruption error naming a file, and Check (which loads the
// projection file) must pass or report Corruption; never a crash, hang or
// out-of-bounds read (the suite also runs under ASan+UBSan).
//
// NENDB_SWEEP_MUTATIONS sets the number of mutations (1000 in make test,
// 10000 in make stress).
#include <algorithm>
#include <cstdlib>
#include <map>
#include <random>
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "crash/workload.h"
#include "env/fault_env.h"
#include "gtest/gtest.h"
#include "nendb/algorithms.h"
#include "nendb/database.h"
#include "nendb/errors.h"

namespace nendb {
namespace {

constexpr char kDir[] = "/db";
constexpr int64_t kSnapshotTxns = 16;  // checkpointed; the rest stay in the log
constexpr int64_t kTxns = 30;

int Mutations() {
  const char* env = std::getenv("NENDB_SWEEP_MUTATIONS");
  int n = 0;
  return env != nullptr && absl::SimpleAtoi(env, &n) && n > 0 ? n : 1000;
}

Options On(Env* env) {
  Options o;
  o.env = env;
  o.checkpoint_log_bytes = uint64_t{1} << 30;
  return o;
}

// The files of a database holding kTxns transactions, kSnapshotTxns of them
// in its snapshot.
std::map<std::string, std::string> PristineFiles() {
  FaultEnv env;
  uint64_t log_end = 0;
  {
    auto db = Database::Open(kDir, On(&env)).value();
    for (int64_t i = 0; i < kTxns; ++i) {
      auto tx = db->BeginWrite().value();
      EXPECT_TRUE(crash::ApplyTxn(*tx, i).ok());
      EXPECT_TRUE(tx->Commit().ok());
      if (i + 1 == kSnapshotTxns) {
        EXPECT_TRUE(db->Checkpoint().ok());
        // A projection of the snapshot, kept in a projection file.
        auto rx = db->BeginRead().value();
        PageRankOptions undirected;
        undirected.graph.directed = false;
        EXPECT_TRUE(PageRank(*rx, undirected).ok());
      }
    }
    log_end = db->Stats().value().log_bytes;
    CrashOptions kill;  // the process dies: everything stays in the log
    kill.drop_unsynced_data = kill.drop_unsynced_entries = false;
    env.Crash(kill);
  }
  env.Restart();
  std::map<std::string, std::string> files;
  const std::vector<std::string> names = env.ListDir(kDir).value();
  for (const std::string& name : names) {
    std::string bytes = env.Contents(absl::StrCat(kDir, "/", name));
    // Mutations belong in the records, not in the zeros the log writer
    // preallocates (a log may end without them).
    if (absl::EndsWith(name, ".log")) bytes.resize(log_end);
    files[name] = std::move(bytes);
  }
  return files;
}

void Mutate(std::string* bytes, std::mt19937_64& rng, std::string* what) {
  const size_t size = bytes->size();
  const size_t at = size == 0 ? 0 : rng() % size;
  switch (size == 0 ? 4 : rng() % 5) {
    case 0:
      (*bytes)[at] ^= static_cast<char>(1u << (rng() % 8));
      *what = absl::StrCat("bit flip at ", at);
      break;
    case 1: {
      const size_t n = std::min<size_t>(size - at, 1 + rng() % 16);
      for (size_t i = 0; i < n; ++i) (*bytes)[at + i] = static_cast<char>(rng());
      *what = absl::StrCat(n, " random bytes at ", at);
      break;
    }
    case 2: {
      const size_t start = at / 512 * 512;
      std::fill_n(bytes->begin() + start, std::min<size_t>(512, size - start), '\0');
      *what = absl::StrCat("zeroed sector at ", start);
      break;
    }
    case 3:
      bytes->resize(at);
      *what = absl::StrCat("truncated to ", at);
      break;
    default: {
      const size_t n = 1 + rng() % 200;
      for (size_t i = 0; i < n; ++i) bytes->push_back(static_cast<char>(rng()));
      *what = absl::StrCat(n, " garbage bytes appended");
      break;
    }
  }
}

// Counts of the outcomes, for the summary line.
struct Outcomes {
  int refused = 0, detected_on_read = 0, intact = 0, tail_lost = 0;
};

TEST(CorruptSweep, EveryFileEveryMutationIsDetectedOrHarmless) {
  const std::map<std::string, std::string> pristine = PristineFiles();
  ASSERT_GE(pristine.size(), 3u);
  ASSERT_TRUE(std::any_of(pristine.begin(), pristine.end(),
                          [](const auto& f) { return absl::StartsWith(f.first, "graph-"); }));
  std::vector<std::string> names;
  for (const auto& [name, bytes] : pristine) names.push_back(name);
  std::mt19937_64 rng(4242);
  Outcomes seen;
  const int mutations = Mutations();
  for (int t = 0; t < mutations; ++t) {
    const std::string& victim = names[rng() % names.size()];
    std::string what;
    std::map<std::string, std::string> files = pristine;
    Mutate(&files[victim], rng, &what);
    SCOPED_TRACE(absl::StrCat("mutation ", t, ": ", victim, ", ", what));
    FaultEnv env;
    ASSERT_TRUE(env.CreateDir(kDir).ok());
    for (const auto& [name, bytes] : files) {
      auto f = env.NewWritableFile(absl::StrCat(kDir, "/", name)).value();
      ASSERT_TRUE(f->Append(bytes).ok());
      ASSERT_TRUE(f->Sync().ok());
    }
    Options o = On(&env);
    o.read_only = rng() % 2 == 0;
    o.verify_on_open = rng() % 2 == 0;
    auto db = Database::Open(kDir, o);
    if (!db.ok()) {
      ASSERT_EQ(ErrorKindOf(db.status()), ErrorKind::kCorruption) << db.status();
      ASSERT_TRUE(CorruptionFile(db.status()).has_value()) << db.status();
      ++seen.refused;
      continue;
    }
    auto rx = (*db)->BeginRead();
    ASSERT_TRUE(rx.ok()) << rx.status();
    auto m = crash::VerifyPrefix(**rx);
    std::string report;
    const absl::Status check = (*db)->Check(&report);
    if (!m.ok() || !check.ok()) {
      // A damaged part noticed when it was first read.
      const absl::Status& s = m.ok() ? check : m.status();
      ASSERT_EQ(ErrorKindOf(s), ErrorKind::kCorruption) << s << "\n" << report;
      ++seen.detected_on_read;
      continue;
    }
    ASSERT_GE(*m, kSnapshotTxns) << "checkpointed transactions were lost silently";
    ASSERT_LE(*m, kTxns);
    ++(*m == kTxns ? seen.intact : seen.tail_lost);
  }
  EXPECT_GT(seen.refused + seen.detected_on_read, mutations / 4);
  std::printf(
      "%d mutations: %d refused at open, %d detected on read, %d harmless, %d cut a log "
      "tail\n",
      mutations, seen.refused, seen.detected_on_read, seen.intact, seen.tail_lost);
}

}  // namespace
}  // namespace nendb
