// Atomicity and isolation of transactions.
#include <thread>

#include "gtest/gtest.h"
#include "nendb/database.h"
#include "test_util.h"

namespace nendb {
namespace {

using testing::Read;

std::unique_ptr<Database> Memory() { return Database::Open(":memory:").value(); }

TEST(TransactionTest, RollbackLeavesNoTrace) {
  auto db = Memory();
  {
    auto tx = db->BeginWrite().value();
    NENDB_ASSERT_OK(tx->AddNode("Kept", Key("k")).status());
    NENDB_ASSERT_OK(tx->Commit());
  }
  {
    auto tx = db->BeginWrite().value();
    NodeId a = tx->AddNode("New", Key("a"), {{"p", "x"}}).value();
    NENDB_ASSERT_OK(tx->AddEdge(a, 0, "T").status());
    NENDB_ASSERT_OK(tx->SetProperty(0, "q", 5));
    EXPECT_EQ(tx->NumNodes(), 2u);
    tx->Rollback();
    EXPECT_ERROR_KIND(tx->AddNode("X"), kClosed);
  }
  {
    auto tx = db->BeginWrite().value();
    NENDB_ASSERT_OK(tx->AddNode("Dropped").status());
    // destroyed without Commit()
  }
  auto rx = Read(*db);
  EXPECT_EQ(rx->NumNodes(), 1u);
  EXPECT_EQ(rx->NumEdges(), 0u);
  EXPECT_EQ(rx->Labels(), std::vector<std::string>{"Kept"});
  EXPECT_TRUE(rx->EdgeTypes().empty());
  EXPECT_TRUE(rx->GetNode(0).value().properties.empty());
  EXPECT_ERROR_KIND(rx->FindNode("New", Key("a")), kNotFound);
}

TEST(TransactionTest, WriterSeesItsOwnWrites) {
  auto db = Memory();
  auto tx = db->BeginWrite().value();
  NodeId a = tx->AddNode("P", Key("a")).value();
  NodeId b = tx->AddNode("P", Key("b")).value();
  NENDB_ASSERT_OK(tx->AddEdge(a, b, "R").status());
  EXPECT_EQ(tx->FindNode("P", Key("b")).value(), b);
  EXPECT_EQ(tx->Degree(a, Direction::kOut).value(), 1u);
  NENDB_ASSERT_OK(tx->SetProperty(a, "n", 1));
  EXPECT_EQ(tx->GetProperty(a, "n").value(), Value(1));
  // Others do not see them until commit.
  EXPECT_EQ(Read(*db)->NumNodes(), 0u);
  NENDB_ASSERT_OK(tx->Commit());
  EXPECT_EQ(Read(*db)->NumNodes(), 2u);
  // Reads through a committed transaction still work.
  EXPECT_EQ(tx->NumNodes(), 2u);
  EXPECT_ERROR_KIND(tx->Commit(), kClosed);
}

TEST(TransactionTest, ReaderKeepsItsSnapshot) {
  auto db = Memory();
  NENDB_ASSERT_OK(testing::WriteTxn(*db, [](WriteTransaction& tx) {
    return tx.AddNode("P", Key("a"), {{"v", 1}}).status();
  }));
  auto before = Read(*db);
  NENDB_ASSERT_OK(testing::WriteTxn(*db, [](WriteTransaction& tx) {
    NENDB_RETURN_IF_ERROR_FOR_TEST(tx.SetProperty(0, "v", 2));
    NENDB_RETURN_IF_ERROR_FOR_TEST(tx.AddNode("P", Key("b")).status());
    return tx.DeleteNode(0);
  }));
  EXPECT_EQ(before->NumNodes(), 1u);
  EXPECT_EQ(before->GetProperty(0, "v").value(), Value(1));
  EXPECT_EQ(before->FindNode("P", Key("a")).value(), 0u);
  EXPECT_ERROR_KIND(before->FindNode("P", Key("b")), kNotFound);
  auto after = Read(*db);
  EXPECT_EQ(after->NumNodes(), 1u);
  EXPECT_FALSE(after->HasNode(0));
  EXPECT_GT(after->Sequence(), before->Sequence());
}

TEST(TransactionTest, SecondWriterWaitsThenTimesOut) {
  Options o;
  o.busy_timeout = absl::Milliseconds(100);
  auto db = Database::Open(":memory:", o).value();
  auto first = db->BeginWrite().value();
  const absl::Time start = absl::Now();
  EXPECT_ERROR_KIND(db->BeginWrite(), kBusy);
  EXPECT_GE(absl::Now() - start, absl::Milliseconds(90));
  // Once the first finishes, a waiting writer gets in.
  std::thread finisher([&] {
    absl::SleepFor(absl::Milliseconds(30));
    first->Rollback();
  });
  auto second = db->BeginWrite();
  finisher.join();
  NENDB_EXPECT_OK(second.status());
}

TEST(TransactionTest, ReadersRunBesideAWriter) {
  auto db = Memory();
  std::atomic<bool> done{false};
  std::thread writer([&] {
    for (int i = 0; i < 200; ++i) {
      ASSERT_TRUE(testing::WriteTxn(*db, [&](WriteTransaction& tx) {
                    auto a = tx.AddNode("N", Key(2 * i));
                    auto b = tx.AddNode("N", Key(2 * i + 1));
                    if (!a.ok()) return a.status();
                    return tx.AddEdge(*a, *b, "E").status();
                  }).ok());
    }
    done = true;
  });
  while (!done) {
    auto rx = Read(*db);
    // Every snapshot is a whole number of transactions.
    ASSERT_EQ(rx->NumNodes(), 2 * rx->NumEdges());
    ASSERT_EQ(rx->NumNodes(), 2 * rx->Sequence());
  }
  writer.join();
  EXPECT_EQ(Read(*db)->NumEdges(), 200u);
}

}  // namespace
}  // namespace nendb
