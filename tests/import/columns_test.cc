// Cell parsing and column type inference of the CSV importers.
#include "import/columns.h"

#include "gtest/gtest.h"

namespace nendb::csv_import {
namespace {

RawColumn Column(std::initializer_list<const char*> cells) {
  RawColumn c;
  for (const char* s : cells) c.Append(s == nullptr ? "" : s, s == nullptr);
  return c;
}

TEST(ColumnsTest, ParsesNumbersAndBools) {
  int64_t i = 0;
  double d = 0;
  bool b = false;
  EXPECT_TRUE(ParseInt64("-42", &i));
  EXPECT_EQ(i, -42);
  EXPECT_TRUE(ParseInt64("+7", &i));
  EXPECT_EQ(i, 7);
  EXPECT_TRUE(ParseInt64("9223372036854775807", &i));
  EXPECT_FALSE(ParseInt64("9223372036854775808", &i));  // overflow
  EXPECT_FALSE(ParseInt64("1.0", &i));
  EXPECT_FALSE(ParseInt64("12a", &i));
  EXPECT_FALSE(ParseInt64("", &i));
  EXPECT_FALSE(ParseInt64("+", &i));
  EXPECT_FALSE(ParseInt64("+-1", &i));
  EXPECT_TRUE(ParseFloat64("2.5e3", &d));
  EXPECT_EQ(d, 2500.0);
  EXPECT_TRUE(ParseFloat64("-.5", &d));
  EXPECT_EQ(d, -0.5);
  EXPECT_TRUE(ParseFloat64("inf", &d));
  EXPECT_FALSE(ParseFloat64("1,5", &d));
  EXPECT_FALSE(ParseFloat64("0x10", &d));
  EXPECT_TRUE(ParseBool("TRUE", &b));
  EXPECT_TRUE(b);
  EXPECT_TRUE(ParseBool("False", &b));
  EXPECT_FALSE(b);
  EXPECT_FALSE(ParseBool("1", &b));
  EXPECT_FALSE(ParseBool("yes", &b));
}

TEST(ColumnsTest, InfersTheNarrowestTypeOverTheWholeColumn) {
  EXPECT_EQ(InferType(Column({"1", "2", nullptr, "-3"})), ValueType::kInt64);
  EXPECT_EQ(InferType(Column({"1", "2", "3.5"})), ValueType::kFloat64);
  EXPECT_EQ(InferType(Column({"1e3", "2"})), ValueType::kFloat64);
  EXPECT_EQ(InferType(Column({"true", "FALSE", nullptr})), ValueType::kBool);
  EXPECT_EQ(InferType(Column({"1", "2", "x"})), ValueType::kString);
  EXPECT_EQ(InferType(Column({"true", "1"})), ValueType::kString);
  EXPECT_EQ(InferType(Column({nullptr, nullptr})), ValueType::kNull);
  EXPECT_EQ(InferType(Column({})), ValueType::kNull);
  // A quoted empty cell is no evidence for any type.
  RawColumn quoted_empty;
  quoted_empty.Append("", false);
  quoted_empty.Append("5", false);
  EXPECT_EQ(InferType(quoted_empty), ValueType::kInt64);
}

TEST(ColumnsTest, ConvertsAndSlicesWithNulls) {
  TypedColumn c = TypedColumn::Convert("n", ValueType::kInt64, Column({"1", nullptr, "3", "4"}));
  BulkColumn b = c.Slice(1, 3);
  EXPECT_EQ(b.type, ValueType::kInt64);
  ASSERT_EQ(b.int64s.size(), 2u);
  EXPECT_EQ(b.int64s[1], 3);
  ASSERT_EQ(b.valid.size(), 2u);
  EXPECT_EQ(b.valid[0], 0);
  EXPECT_EQ(b.valid[1], 1);

  TypedColumn s = TypedColumn::Convert("s", ValueType::kString, Column({"ab", nullptr, "c"}));
  BulkColumn bs = s.Slice(1, 3);
  ASSERT_EQ(bs.strings.size(), 2u);
  EXPECT_EQ(bs.strings.at(1), "c");
  EXPECT_EQ(bs.valid[0], 0);
  TypedColumn g = s.Gather(std::vector<uint32_t>{2, 0});
  BulkColumn bg = g.Slice(0, 2);
  EXPECT_EQ(bg.strings.at(0), "c");
  EXPECT_EQ(bg.strings.at(1), "ab");
  EXPECT_TRUE(bg.valid.empty());  // all valid
}

TEST(ColumnsTest, FilterKeepsMarkedRows) {
  RawColumn c = Column({"a", nullptr, "c", "d"});
  const std::vector<uint8_t> keep = {1, 1, 0, 1};
  c.Filter(keep);
  ASSERT_EQ(c.size(), 3u);
  EXPECT_EQ(c.at(0), "a");
  EXPECT_TRUE(c.null(1));
  EXPECT_EQ(c.at(2), "d");
}

}  // namespace
}  // namespace nendb::csv_import
