// The libcsv-based record reader: quoting, line ends, byte order marks, line
// numbers, malformed records and progress.
#include "import/csv_reader.h"

#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "import/import_test_util.h"

namespace nendb::csv_import {
namespace {

using ::nendb::testing::ScratchDir;
using ::nendb::testing::TestData;
using ::nendb::testing::WriteCsv;

struct Row {
  uint64_t line;
  std::vector<std::string> cells;
  std::vector<bool> nulls;
};

struct Read {
  absl::Status status;
  std::vector<Row> rows;
  uint64_t bad = 0;
  std::vector<std::string> reasons;
};

Read ReadAll(const std::string& path, CsvFormat format = {}, ProgressFn progress = {}) {
  Read out;
  BadRows bad(path, format.skip_bad_rows);
  out.status = ReadCsv(path, format, progress, bad, [&](const CsvRecord& r) {
    Row row{r.line, {}, {}};
    for (const CsvCell& c : r.cells) {
      row.cells.emplace_back(c.text);
      row.nulls.push_back(c.null);
    }
    out.rows.push_back(std::move(row));
    return absl::OkStatus();
  });
  out.bad = bad.count();
  out.reasons = bad.reasons();
  return out;
}

TEST(CsvReaderTest, QuotesCrlfAndByteOrderMark) {
  Read r = ReadAll(TestData("quoting.csv"));
  ASSERT_TRUE(r.status.ok()) << r.status;
  ASSERT_EQ(r.rows.size(), 5u);
  EXPECT_EQ(r.rows[0].cells, (std::vector<std::string>{"name", "motto", "n"}));  // no BOM
  EXPECT_EQ(r.rows[1].cells[1], "Count, then compute");
  EXPECT_EQ(r.rows[2].cells[0], "Bob \"the builder\"");
  EXPECT_EQ(r.rows[2].cells[1], "line one\r\nline two");
  EXPECT_EQ(r.rows[3].cells[1], "");
  EXPECT_TRUE(r.rows[3].nulls[1]);   // unquoted empty: null
  EXPECT_FALSE(r.rows[4].nulls[1]);  // quoted empty: the empty string
  EXPECT_TRUE(r.rows[4].nulls[2]);
  // The record with an embedded newline starts on line 3 and ends on line 4.
  std::vector<uint64_t> lines;
  for (const Row& row : r.rows) lines.push_back(row.line);
  EXPECT_EQ(lines, (std::vector<uint64_t>{1, 2, 3, 5, 6}));
}

TEST(CsvReaderTest, OtherDelimiterAndBlankLines) {
  ScratchDir dir;
  const std::string path = WriteCsv(dir, "t.tsv", "a\tb\n\n  \n1\t two words \n\"x\ty\"\t3");
  CsvFormat f;
  f.delimiter = '\t';
  Read r = ReadAll(path, f);
  ASSERT_TRUE(r.status.ok()) << r.status;
  ASSERT_EQ(r.rows.size(), 3u);
  EXPECT_EQ(r.rows[1].line, 4u);
  EXPECT_EQ(r.rows[1].cells, (std::vector<std::string>{"1", "two words"}));
  EXPECT_EQ(r.rows[2].line, 5u);
  EXPECT_EQ(r.rows[2].cells, (std::vector<std::string>{"x\ty", "3"}));
}

TEST(CsvReaderTest, MalformedQuotingNamesTheLine) {
  ScratchDir dir;
  const std::string path = WriteCsv(dir, "bad.csv", "a,b\n1,2\n3,\"x\"y\n4,5\n");
  Read r = ReadAll(path);
  ASSERT_FALSE(r.status.ok());
  EXPECT_EQ(r.status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(r.status.message().find(path + ":3: malformed quoting"), std::string::npos) << r.status;

  CsvFormat skip;
  skip.skip_bad_rows = true;
  r = ReadAll(path, skip);
  ASSERT_TRUE(r.status.ok()) << r.status;
  ASSERT_EQ(r.rows.size(), 3u);  // header, 1,2 and 4,5
  EXPECT_EQ(r.rows[2].cells[0], "4");
  EXPECT_EQ(r.rows[2].line, 4u);
  EXPECT_EQ(r.bad, 1u);
  ASSERT_EQ(r.reasons.size(), 1u);
  EXPECT_EQ(r.reasons[0].rfind(path + ":3:", 0), 0u) << r.reasons[0];
}

TEST(CsvReaderTest, UnclosedQuoteAtTheEnd) {
  ScratchDir dir;
  const std::string path = WriteCsv(dir, "open.csv", "a,b\n1,\"never\nclosed\n");
  Read r = ReadAll(path);
  EXPECT_EQ(r.status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(r.status.message().find(path + ":2: a quoted cell is not closed"), std::string::npos)
      << r.status;
}

TEST(CsvReaderTest, MissingFileIsNotFound) {
  Read r = ReadAll("/nonexistent/people.csv");
  EXPECT_EQ(r.status.code(), absl::StatusCode::kNotFound);
  EXPECT_NE(r.status.message().find("/nonexistent/people.csv"), std::string::npos);
  ScratchDir dir;
  r = ReadAll(dir.path());
  EXPECT_EQ(r.status.code(), absl::StatusCode::kInvalidArgument);
}

TEST(CsvReaderTest, ProgressReachesTheTotalAndCanCancel) {
  ScratchDir dir;
  std::string big = "a,b\n";
  while (big.size() < (size_t{5} << 20)) big += "12345,some text here\n";
  const std::string path = WriteCsv(dir, "big.csv", big);
  std::vector<std::pair<uint64_t, uint64_t>> calls;
  Read r = ReadAll(path, {}, [&](uint64_t done, uint64_t total) {
    calls.emplace_back(done, total);
    return true;
  });
  ASSERT_TRUE(r.status.ok());
  ASSERT_GE(calls.size(), 5u);
  EXPECT_LE(calls.size(), 10u);  // now and then, not per row
  for (size_t i = 1; i < calls.size(); ++i) EXPECT_GT(calls[i].first, calls[i - 1].first);
  EXPECT_EQ(calls.back().first, big.size());
  EXPECT_EQ(calls.back().second, big.size());

  int n = 0;
  r = ReadAll(path, {}, [&](uint64_t, uint64_t) { return ++n < 2; });
  EXPECT_EQ(r.status.code(), absl::StatusCode::kCancelled);
  EXPECT_EQ(n, 2);
  EXPECT_LT(r.rows.size(), big.size() / 21);
}

TEST(CsvReaderTest, OverlongCellIsABadRow) {
  ScratchDir dir;
  std::string text = "a,b\n1,\"";
  text.append(kMaxStringBytes + (size_t{4} << 20), 'x');
  text += "\"\n2,ok\n";
  const std::string path = WriteCsv(dir, "long.csv", text);
  CsvFormat skip;
  skip.skip_bad_rows = true;
  Read r = ReadAll(path, skip);
  ASSERT_TRUE(r.status.ok()) << r.status;
  EXPECT_EQ(r.bad, 1u);
  ASSERT_FALSE(r.reasons.empty());
  EXPECT_NE(r.reasons[0].find(":2: a cell is longer than the limit"), std::string::npos)
      << r.reasons[0];
}

}  // namespace
}  // namespace nendb::csv_import
