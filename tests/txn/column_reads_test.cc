// Bulk reads of properties, keys, labels and edge types (column_reads.cc):
// each row agrees with the one-at-a-time reads, nulls stay nulls and
// conflicting types across labels are refused.
#include "gtest/gtest.h"
#include "nendb/database.h"
#include "test_util.h"
#include "util/status_macros.h"

namespace nendb {
namespace {

std::string StringAt(const ColumnData& c, size_t i) {
  return c.bytes.substr(c.offsets[i], c.offsets[i + 1] - c.offsets[i]);
}

class ColumnReadsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = Database::Open(":memory:").value();
    NENDB_ASSERT_OK(testing::WriteTxn(*db_, [&](WriteTransaction& tx) -> absl::Status {
      // Ann has every type; Bob has no age and a string key; Cid (a City)
      // keeps "name" under another label; Dee has an int key, extra label.
      NENDB_ASSIGN_OR_RETURN(ann_, tx.AddNode("Person", Key(1),
                                              {{"age", Value(int64_t{30})},
                                               {"score", Value(0.5)},
                                               {"vip", Value(true)},
                                               {"name", Value("Ann")},
                                               {"emb", Value(std::vector<float>{1, 2})}}));
      NENDB_ASSIGN_OR_RETURN(bob_, tx.AddNode("Person", Key("bob"), {{"name", Value("Bob")}}));
      NENDB_ASSIGN_OR_RETURN(cid_, tx.AddNode("City", Key(), {{"name", Value("Oslo")}}));
      NENDB_ASSIGN_OR_RETURN(dee_, tx.AddNode(std::vector<std::string>{"Person", "Admin"},
                                              Key(4), {{"age", Value(int64_t{41})}}));
      NENDB_ASSIGN_OR_RETURN(knows_, tx.AddEdge(ann_, bob_, "KNOWS", 2.0,
                                                {{"since", Value(int64_t{2020})}}));
      NENDB_ASSIGN_OR_RETURN(lives_, tx.AddEdge(bob_, cid_, "LIVES_IN", 1.0,
                                                {{"since", Value("2019")}}));
      return absl::OkStatus();
    }));
    rx_ = testing::Read(*db_);
  }

  std::unique_ptr<Database> db_;
  std::unique_ptr<ReadTransaction> rx_;
  NodeId ann_ = 0, bob_ = 0, cid_ = 0, dee_ = 0;
  EdgeId knows_ = 0, lives_ = 0;
};

TEST_F(ColumnReadsTest, ScanNodesListsLiveNodesInIdOrder) {
  EXPECT_EQ(rx_->ScanNodes().value(), (std::vector<NodeId>{ann_, bob_, cid_, dee_}));
}

TEST_F(ColumnReadsTest, EveryTypeWithNulls) {
  const std::vector<NodeId> nodes = {dee_, ann_, bob_};
  ColumnData c;
  NENDB_ASSERT_OK(rx_->ReadNodeColumn(nodes, "age", &c));
  EXPECT_EQ(c.type, ValueType::kInt64);
  EXPECT_EQ(c.int64s, (std::vector<int64_t>{41, 30, 0}));
  EXPECT_EQ(c.valid, (std::vector<uint8_t>{1, 1, 0}));
  NENDB_ASSERT_OK(rx_->ReadNodeColumn(nodes, "score", &c));
  EXPECT_EQ(c.type, ValueType::kFloat64);
  EXPECT_EQ(c.float64s[1], 0.5);
  EXPECT_EQ(c.valid, (std::vector<uint8_t>{0, 1, 0}));
  NENDB_ASSERT_OK(rx_->ReadNodeColumn(nodes, "vip", &c));
  EXPECT_EQ(c.type, ValueType::kBool);
  EXPECT_EQ(c.bools, (std::vector<uint8_t>{0, 1, 0}));
  NENDB_ASSERT_OK(rx_->ReadNodeColumn(nodes, "emb", &c));
  EXPECT_EQ(c.type, ValueType::kVector);
  EXPECT_EQ(c.dim, 2u);
  EXPECT_EQ(c.floats, (std::vector<float>{0, 0, 1, 2, 0, 0}));
  // "name" is a string under both labels, read across them.
  NENDB_ASSERT_OK(rx_->ReadNodeColumn({dee_, cid_, ann_, bob_}, "name", &c));
  EXPECT_EQ(c.type, ValueType::kString);
  EXPECT_EQ(c.valid, (std::vector<uint8_t>{0, 1, 1, 1}));
  EXPECT_EQ(StringAt(c, 0), "");
  EXPECT_EQ(StringAt(c, 1), "Oslo");
  EXPECT_EQ(StringAt(c, 2), "Ann");
  EXPECT_EQ(StringAt(c, 3), "Bob");
  EXPECT_EQ(c.CountValid(), 3u);
}

TEST_F(ColumnReadsTest, UnknownPropertyIsAllNull) {
  ColumnData c;
  NENDB_ASSERT_OK(rx_->ReadNodeColumn({ann_, bob_}, "nothing", &c));
  EXPECT_EQ(c.type, ValueType::kNull);
  EXPECT_EQ(c.rows, 2u);
  EXPECT_EQ(c.valid, (std::vector<uint8_t>{0, 0}));
}

TEST_F(ColumnReadsTest, DeletedOrUnknownIdsAreNotFound) {
  ColumnData c;
  EXPECT_EQ(rx_->ReadNodeColumn({ann_, 99}, "age", &c).code(), absl::StatusCode::kNotFound);
  NameCodes n;
  EXPECT_EQ(rx_->ReadLabels({99}, &n).code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(rx_->ReadEdgeTypes({knows_ + (uint64_t{1} << 32)}, &n).code(),
            absl::StatusCode::kNotFound);
}

TEST_F(ColumnReadsTest, TypesThatDisagreeAcrossEdgeTypesAreRefused) {
  ColumnData c;
  NENDB_ASSERT_OK(rx_->ReadEdgeColumn({knows_}, "since", &c));
  EXPECT_EQ(c.int64s, (std::vector<int64_t>{2020}));
  const absl::Status s = rx_->ReadEdgeColumn({knows_, lives_}, "since", &c);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("int64 under edge type \"KNOWS\" but string under edge type "
                             "\"LIVES_IN\""),
            absl::string_view::npos)
      << s;
}

TEST_F(ColumnReadsTest, KeysSplitByKind) {
  ColumnData ints, strings;
  NENDB_ASSERT_OK(rx_->ReadKeys({ann_, bob_, cid_, dee_}, &ints, &strings));
  EXPECT_EQ(ints.valid, (std::vector<uint8_t>{1, 0, 0, 1}));
  EXPECT_EQ(ints.int64s[0], 1);
  EXPECT_EQ(ints.int64s[3], 4);
  EXPECT_EQ(strings.valid, (std::vector<uint8_t>{0, 1, 0, 0}));
  EXPECT_EQ(StringAt(strings, 1), "bob");
  EXPECT_EQ(StringAt(strings, 3), "");
}

TEST_F(ColumnReadsTest, LabelsPrimaryFirstAndEdgeTypes) {
  NameCodes n;
  NENDB_ASSERT_OK(rx_->ReadLabels({dee_, cid_}, &n));
  ASSERT_EQ(n.offsets, (std::vector<uint64_t>{0, 2, 3}));
  EXPECT_EQ(n.names[n.codes[0]], "Person");
  EXPECT_EQ(n.names[n.codes[1]], "Admin");
  EXPECT_EQ(n.names[n.codes[2]], "City");
  NENDB_ASSERT_OK(rx_->ReadEdgeTypes({lives_, knows_}, &n));
  ASSERT_EQ(n.codes.size(), 2u);
  EXPECT_EQ(n.names[n.codes[0]], "LIVES_IN");
  EXPECT_EQ(n.names[n.codes[1]], "KNOWS");
}

TEST_F(ColumnReadsTest, AWriteTransactionReadsItsOwnRows) {
  auto tx = db_->BeginWrite().value();
  NENDB_ASSERT_OK(tx->SetProperty(bob_, "age", Value(int64_t{7})));
  NENDB_ASSERT_OK(tx->DeleteNode(cid_, /*detach=*/true));
  ColumnData c;
  NENDB_ASSERT_OK(tx->ReadNodeColumn({bob_}, "age", &c));
  EXPECT_EQ(c.int64s, (std::vector<int64_t>{7}));
  EXPECT_EQ(tx->ScanNodes().value(), (std::vector<NodeId>{ann_, bob_, dee_}));
  // The snapshot taken before is unchanged.
  NENDB_ASSERT_OK(rx_->ReadNodeColumn({bob_}, "age", &c));
  EXPECT_EQ(c.valid, (std::vector<uint8_t>{0}));
}

}  // namespace
}  // namespace nendb
