// Database::Repair on a write-ahead log damaged in the middle: Open() refuses
// it naming the file and offset; Repair keeps exactly the transactions before
// the damage, reports the dropped ones, and the database opens again.
#include <filesystem>
#include <fstream>

#include "gtest/gtest.h"
#include "nendb/database.h"
#include "nendb/errors.h"
#include "test_util.h"

namespace nendb {
namespace {

constexpr int kTxns = 20;

// A database whose log holds kTxns small transactions (node key i each)
// after a snapshot large enough that Close() does not checkpoint them away.
// *log_end: where the log's records end (zeros follow).
std::string MakeDatabase(const testing::ScratchDir& scratch, uint64_t* log_end = nullptr) {
  const std::string dir = scratch.Sub("db");
  auto db = Database::Open(dir).value();
  EXPECT_TRUE(testing::WriteTxn(*db, [](WriteTransaction& tx) {
                NodeBatch b;
                b.labels = {"Bulk"};
                b.count = 50000;
                return tx.AddNodes(b, {});
              }).ok());
  EXPECT_TRUE(db->Checkpoint().ok());
  for (int i = 0; i < kTxns; ++i) {
    EXPECT_TRUE(testing::WriteTxn(*db, [&](WriteTransaction& tx) {
                  return tx.AddNode("N", Key(int64_t{i}), {{"i", int64_t{i}}}).status();
                }).ok());
  }
  if (log_end != nullptr) *log_end = db->Stats().value().log_bytes;
  EXPECT_TRUE(db->Close().ok());
  return dir;
}

std::string LogOf(const std::string& dir) {
  for (const auto& e : std::filesystem::directory_iterator(dir)) {
    if (e.path().extension() == ".log") return e.path().string();
  }
  return "";
}

void FlipByte(const std::string& path, uint64_t offset) {
  std::fstream f(path, std::ios::in | std::ios::out | std::ios::binary);
  f.seekg(static_cast<std::streamoff>(offset));
  char c;
  f.get(c);
  f.seekp(static_cast<std::streamoff>(offset));
  f.put(static_cast<char>(c ^ 0x40));
}

TEST(RepairTest, KeepsTheTransactionsBeforeTheDamage) {
  testing::ScratchDir scratch;
  uint64_t size = 0;
  const std::string dir = MakeDatabase(scratch, &size);
  const std::string log = LogOf(dir);
  ASSERT_FALSE(log.empty());
  FlipByte(log, size / 2);

  auto refused = Database::Open(dir);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(ErrorKindOf(refused.status()), ErrorKind::kCorruption) << refused.status();
  EXPECT_NE(refused.status().message().find(log), absl::string_view::npos) << refused.status();
  EXPECT_NE(refused.status().message().find("--repair"), absl::string_view::npos);

  auto report = Database::Repair(dir);
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_TRUE(report->damaged);
  EXPECT_EQ(report->log, log);
  EXPECT_GT(report->damage_offset, 64u);
  EXPECT_LE(report->damage_offset, size / 2);
  const uint64_t kept = report->kept_transactions;
  EXPECT_GT(kept, 0u);
  EXPECT_LT(kept, uint64_t{kTxns});
  // The damaged transaction's commit may itself be intact (then it counts
  // among the dropped) or be the damaged record.
  EXPECT_GE(report->dropped_transactions + kept + 1, uint64_t{kTxns});
  EXPECT_LE(report->dropped_transactions + kept, uint64_t{kTxns});

  auto db = Database::Open(dir).value();
  auto rx = testing::Read(*db);
  EXPECT_EQ(rx->NumNodes(), 50000 + kept);
  for (uint64_t i = 0; i < kept; ++i) {
    EXPECT_TRUE(rx->FindNode("N", Key(static_cast<int64_t>(i))).ok()) << i;
  }
  EXPECT_FALSE(rx->FindNode("N", Key(static_cast<int64_t>(kept))).ok());
  std::string check;
  EXPECT_TRUE(db->Check(&check).ok()) << check;
}

TEST(RepairTest, AnUndamagedDatabaseLosesNothing) {
  testing::ScratchDir scratch;
  const std::string dir = MakeDatabase(scratch);
  auto report = Database::Repair(dir);
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_FALSE(report->damaged);
  EXPECT_EQ(report->dropped_transactions, 0u);
  EXPECT_EQ(report->kept_transactions, uint64_t{kTxns});
  auto db = Database::Open(dir).value();
  EXPECT_EQ(testing::Read(*db)->NumNodes(), 50000u + kTxns);
}

TEST(RepairTest, AMissingDatabaseIsNotCreated) {
  testing::ScratchDir scratch;
  auto report = Database::Repair(scratch.Sub("nothing"));
  EXPECT_EQ(report.status().code(), absl::StatusCode::kNotFound) << report.status();
  EXPECT_FALSE(std::filesystem::exists(scratch.Sub("nothing")));
}

}  // namespace
}  // namespace nendb
