// Write-ahead log framing: round trips, torn tails, damage, salts.
#include <random>

#include "env/fault_env.h"
#include "gtest/gtest.h"
#include "test_util.h"
#include "wal/log_reader.h"
#include "wal/log_writer.h"

namespace nendb::wal {
namespace {

class LogTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(env_.CreateDir("/d").ok());
    info_.generation = 3;
    info_.base_sequence = 10;
    for (int i = 0; i < 16; ++i) info_.database_id[i] = static_cast<uint8_t>(i * 7);
  }
  // Writes transactions 11.. with the given payloads, syncing after each,
  // and cuts the zeros the writer preallocated (so that the tests below see
  // the records alone).
  void WriteLog(const std::vector<std::string>& txns, bool sync = true) {
    auto w = LogWriter::Create(&env_, path_, info_).value();
    uint64_t seq = info_.base_sequence;
    for (const auto& t : txns) {
      ASSERT_TRUE(w->AddTransaction(++seq, t).ok());
      if (sync) {
        ASSERT_TRUE(w->Sync().ok());
      }
    }
    Trim(path_, w->size());
  }
  void Trim(const std::string& path, uint64_t end) {
    env_.SetContents(path, env_.Contents(path).substr(0, end));
  }
  absl::StatusOr<ScanResult> Scan(std::vector<std::string>* got, bool repair = false) {
    ScanOptions o;
    o.expect = info_;
    o.repair = repair;
    return ScanLog(&env_, path_, o, [&](uint64_t seq, absl::string_view ops) {
      EXPECT_EQ(seq, info_.base_sequence + got->size() + 1);
      got->emplace_back(ops);
      return absl::OkStatus();
    });
  }
  FaultEnv env_;
  LogInfo info_;
  std::string path_ = "/d/wal-000000000003.log";
};

TEST_F(LogTest, RoundTripIncludingLargeTransactions) {
  std::string big(3 * kMaxPayload + 5, 'b');
  for (size_t i = 0; i < big.size(); i += 4096) big[i] = static_cast<char>(i);
  std::vector<std::string> txns = {"", "a", big, std::string(1000, 'c')};
  WriteLog(txns);
  std::vector<std::string> got;
  auto r = Scan(&got);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(got, txns);
  EXPECT_EQ(r->last_sequence, 14u);
  EXPECT_FALSE(r->torn_tail);
  EXPECT_EQ(r->committed_end, r->file_bytes);
}

TEST_F(LogTest, PreallocatedZerosAreACleanEnd) {
  auto w = LogWriter::Create(&env_, path_, info_).value();
  for (uint64_t seq = 11; seq < 200; ++seq) ASSERT_TRUE(w->AddTransaction(seq, "txn").ok());
  ASSERT_TRUE(w->Sync().ok());
  const uint64_t file = env_.Contents(path_).size();
  EXPECT_GE(file, w->size() + LogWriter::kPreallocateBytes / 2);  // zeros ahead of the records
  std::vector<std::string> got;
  auto r = Scan(&got);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(got.size(), 189u);
  EXPECT_EQ(r->committed_end, w->size());
  EXPECT_FALSE(r->torn_tail);
  EXPECT_EQ(r->file_bytes, file);
  // Continuing overwrites the zeros.
  w.reset();
  auto c = LogWriter::Continue(&env_, path_, info_, r->committed_end, r->committed_end).value();
  ASSERT_TRUE(c->AddTransaction(200, "more").ok());
  got.clear();
  ASSERT_TRUE(Scan(&got).ok());
  EXPECT_EQ(got.size(), 190u);
}

TEST_F(LogTest, AbortedDataIsNeverApplied) {
  auto w = LogWriter::Create(&env_, path_, info_).value();
  ASSERT_TRUE(w->AddData(11, "partial").ok());
  ASSERT_TRUE(w->AddAbort(11).ok());
  ASSERT_TRUE(w->AddTransaction(11, "real").ok());
  ASSERT_TRUE(w->AddData(12, "unfinished").ok());  // crash before the commit
  ASSERT_TRUE(w->Sync().ok());
  std::vector<std::string> got;
  auto r = Scan(&got);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(got, std::vector<std::string>{"real"});
  EXPECT_TRUE(r->torn_tail);  // the unfinished transaction is cut at recovery
}

TEST_F(LogTest, TornTailsAreCutAtEveryLength) {
  WriteLog({"one", "two", std::string(300, '3')});
  const std::string full = env_.Contents(path_);
  std::vector<std::string> all;
  ASSERT_TRUE(Scan(&all).ok());
  for (size_t len = kFileHeaderBytes; len < full.size(); ++len) {
    env_.SetContents(path_, full.substr(0, len));
    std::vector<std::string> got;
    auto r = Scan(&got);
    ASSERT_TRUE(r.ok()) << len << ": " << r.status();
    ASSERT_LE(got.size(), all.size());
    for (size_t i = 0; i < got.size(); ++i) EXPECT_EQ(got[i], all[i]);
    EXPECT_LE(r->committed_end, len);
  }
}

TEST_F(LogTest, DamageBeforeDurableRecordsIsCorruption) {
  WriteLog({"one", "two", "three", "four"});
  std::string bytes = env_.Contents(path_);
  const size_t at = kFileHeaderBytes + kRecordHeaderBytes + 2;  // inside the first payload
  bytes[at] ^= 1;
  env_.SetContents(path_, bytes);
  std::vector<std::string> got;
  auto r = Scan(&got);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(ErrorKindOf(r.status()), ErrorKind::kCorruption) << r.status();
  EXPECT_EQ(CorruptionOffset(r.status()).value(), kFileHeaderBytes);
  EXPECT_EQ(CorruptionFile(r.status()).value(), path_);
  // Repair keeps what precedes the damage.
  got.clear();
  auto repaired = Scan(&got, /*repair=*/true);
  ASSERT_TRUE(repaired.ok());
  EXPECT_TRUE(got.empty());
  EXPECT_EQ(repaired->repaired_at, kFileHeaderBytes);
  EXPECT_GT(repaired->dropped_transactions, 0u);
}

TEST_F(LogTest, DamageInUnsyncedRecordsIsATornTail) {
  WriteLog({"one", "two", "three"}, /*sync=*/false);  // nothing was durable
  std::string bytes = env_.Contents(path_);
  bytes[kFileHeaderBytes + kRecordHeaderBytes + 1] ^= 1;
  env_.SetContents(path_, bytes);
  std::vector<std::string> got;
  auto r = Scan(&got);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_TRUE(got.empty());
  EXPECT_TRUE(r->torn_tail);
}

TEST_F(LogTest, ForeignAndStaleLogsAreRejected) {
  WriteLog({"one"});
  std::vector<std::string> got;
  ScanOptions o;
  o.expect = info_;
  o.expect.generation = 4;  // a log from another generation
  auto r = ScanLog(&env_, path_, o, [](uint64_t, absl::string_view) { return absl::OkStatus(); });
  EXPECT_EQ(ErrorKindOf(r.status()), ErrorKind::kCorruption);
  // Records salted for another database never verify, even inside our file.
  LogInfo other = info_;
  other.database_id[0] ^= 1;
  const std::string ours = env_.Contents(path_);
  auto w = LogWriter::Create(&env_, "/d/other.log", other).value();
  ASSERT_TRUE(w->AddTransaction(11, "foreign").ok());
  Trim("/d/other.log", w->size());
  const std::string theirs = env_.Contents("/d/other.log");
  env_.SetContents(path_, ours + theirs.substr(kFileHeaderBytes));
  auto scan = Scan(&got);
  ASSERT_TRUE(scan.ok()) << scan.status();
  EXPECT_EQ(got, std::vector<std::string>{"one"});
}

TEST_F(LogTest, ContinueCutsTheTornTailAndAppends) {
  auto w = LogWriter::Create(&env_, path_, info_).value();
  ASSERT_TRUE(w->AddTransaction(11, "a").ok());
  ASSERT_TRUE(w->AddData(12, "lost").ok());
  ASSERT_TRUE(w->Sync().ok());
  w.reset();
  std::vector<std::string> got;
  auto r = Scan(&got);
  ASSERT_TRUE(r.ok());
  auto c = LogWriter::Continue(&env_, path_, info_, r->committed_end, r->committed_end).value();
  ASSERT_TRUE(c->AddTransaction(12, "b").ok());
  ASSERT_TRUE(c->Sync().ok());
  got.clear();
  ASSERT_TRUE(Scan(&got).ok());
  EXPECT_EQ(got, (std::vector<std::string>{"a", "b"}));
}

TEST_F(LogTest, RandomDamageNeverCrashesTheReader) {
  WriteLog({"alpha", std::string(5000, 'x'), "gamma", "delta"});
  const std::string full = env_.Contents(path_);
  std::mt19937_64 rng(11);
  for (int t = 0; t < 500; ++t) {
    std::string bytes = full;
    const int flips = 1 + rng() % 4;
    for (int i = 0; i < flips; ++i) bytes[rng() % bytes.size()] = static_cast<char>(rng());
    if (rng() % 3 == 0) bytes.resize(rng() % bytes.size());
    env_.SetContents(path_, bytes);
    std::vector<std::string> got;
    auto r = Scan(&got);
    if (r.ok()) {
      EXPECT_LE(got.size(), 4u);
    } else {
      EXPECT_EQ(ErrorKindOf(r.status()), ErrorKind::kCorruption) << r.status();
    }
  }
}

}  // namespace
}  // namespace nendb::wal
