// Bad input gets a clear error and changes nothing.
#include "gtest/gtest.h"
#include "nendb/database.h"
#include "test_util.h"

namespace nendb {
namespace {

class BadInputTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = Database::Open(":memory:").value();
    tx_ = db_->BeginWrite().value();
    a_ = tx_->AddNode("A", Key("a")).value();
  }
  void ExpectUnchanged() {
    EXPECT_EQ(tx_->NumNodes(), 1u);
    EXPECT_EQ(tx_->NumEdges(), 0u);
    EXPECT_EQ(tx_->Labels(), std::vector<std::string>{"A"});
    EXPECT_TRUE(tx_->GetNode(a_).value().properties.empty());
  }
  std::unique_ptr<Database> db_;
  std::unique_ptr<WriteTransaction> tx_;
  NodeId a_ = 0;
};

TEST_F(BadInputTest, NamesHaveDocumentedLimits) {
  const std::string long_name(kMaxNameBytes + 1, 'x');
  EXPECT_ERROR_KIND(tx_->AddNode(""), kInvalidArgument);
  EXPECT_ERROR_KIND(tx_->AddNode(long_name), kInvalidArgument);
  NENDB_EXPECT_OK(tx_->AddNode(std::string(kMaxNameBytes, 'y')).status());
  EXPECT_ERROR_KIND(tx_->AddNode("bad\nlabel"), kInvalidArgument);
  EXPECT_ERROR_KIND(tx_->AddNode("\xff\xfe"), kInvalidArgument);
  EXPECT_ERROR_KIND(tx_->AddNode(std::vector<std::string>{}), kInvalidArgument);
  EXPECT_ERROR_KIND(tx_->AddNode(std::vector<std::string>{"A", "A"}), kInvalidArgument);
  EXPECT_ERROR_KIND(tx_->SetProperty(a_, "", 1), kInvalidArgument);
  EXPECT_ERROR_KIND(tx_->SetProperty(a_, long_name, 1), kInvalidArgument);
  EXPECT_ERROR_KIND(tx_->AddEdge(a_, a_, long_name), kInvalidArgument);
  absl::Status s = tx_->AddNode(long_name).status();
  EXPECT_NE(s.message().find("255"), absl::string_view::npos) << s;  // says the limit
}

TEST_F(BadInputTest, KeysAndStringsHaveDocumentedLimits) {
  NodeId before = tx_->NodeIdBound();
  EXPECT_ERROR_KIND(tx_->AddNode("A", Key("")), kInvalidArgument);
  EXPECT_ERROR_KIND(tx_->AddNode("A", Key(std::string(kMaxKeyBytes + 1, 'k'))), kInvalidArgument);
  NENDB_EXPECT_OK(tx_->AddNode("B", Key(std::string(kMaxKeyBytes, 'k'))).status());
  EXPECT_ERROR_KIND(tx_->AddNode("A", Key("\xc3")), kInvalidArgument);  // cut UTF-8
  EXPECT_ERROR_KIND(tx_->SetProperty(a_, "s", std::string(kMaxStringBytes + 1, 's')),
                    kInvalidArgument);
  EXPECT_ERROR_KIND(tx_->SetProperty(a_, "s", "\x80"), kInvalidArgument);
  NENDB_EXPECT_OK(tx_->SetProperty(a_, "empty", ""));  // empty values are values
  EXPECT_EQ(tx_->GetProperty(a_, "empty").value(), Value(""));
  EXPECT_EQ(tx_->NodeIdBound(), before + 1);
}

TEST_F(BadInputTest, VectorsMustBeFiniteAndSized) {
  EXPECT_ERROR_KIND(tx_->SetProperty(a_, "v", std::vector<float>{}), kInvalidArgument);
  EXPECT_ERROR_KIND(tx_->SetProperty(a_, "v", std::vector<float>{1, NAN}), kInvalidArgument);
  EXPECT_ERROR_KIND(tx_->SetProperty(a_, "v", std::vector<float>{INFINITY}), kInvalidArgument);
  EXPECT_ERROR_KIND(tx_->SetProperty(a_, "v", std::vector<float>(kMaxVectorDim + 1, 1.f)),
                    kInvalidArgument);
  ExpectUnchanged();
  NENDB_ASSERT_OK(tx_->SetProperty(a_, "v", std::vector<float>{1, 2}));
  EXPECT_ERROR_KIND(tx_->SetProperty(a_, "v", std::vector<float>{1, 2, 3}), kInvalidArgument);
}

TEST_F(BadInputTest, DuplicatePropertyNamesInOneCall) {
  EXPECT_ERROR_KIND(tx_->AddNode("A", {}, {{"x", 1}, {"x", 2}}), kInvalidArgument);
  ExpectUnchanged();
}

TEST(BadPathTest, UnusablePathsAreErrors) {
  EXPECT_ERROR_KIND(Database::Open(""), kInvalidArgument);
  auto r = Database::Open("/proc/self/no-such-dir/db");
  EXPECT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("/proc/self/no-such-dir/db"), absl::string_view::npos)
      << r.status();
}

}  // namespace
}  // namespace nendb
