// Random and damaged CSV input: the importers never crash, fail only with
// InvalidArgument (or NotFound for missing nodes), and whatever they accept
// leaves a database that passes Check().
#include <random>
#include <string>

#include "gtest/gtest.h"
#include "import/import_test_util.h"
#include "nendb/import.h"

namespace nendb {
namespace {

using testing::MemoryDb;
using testing::ScratchDir;
using testing::WriteCsv;

// Bytes that matter to a CSV parser, and some that should not be there.
std::string RandomCsv(std::mt19937& rng, size_t max_len) {
  const std::string kPieces[] = {
      ",",  "\"",   "\"\"", "\n",  "\r\n",         "\r",  " ",
      "\t", "a",    "bc",   "1",   "-2",           "3.5", "true",
      "é",  "\xff", "\xc3", "x,y", "\xef\xbb\xbf", ";",   std::string(1, '\0')};
  std::string out = "source,target,w\n";
  std::uniform_int_distribution<size_t> pick(0, std::size(kPieces) - 1);
  const size_t n = std::uniform_int_distribution<size_t>(0, max_len)(rng);
  while (out.size() < n) out += kPieces[pick(rng)];
  return out;
}

int ExpectCleanFailure(const absl::Status& s) {
  if (s.ok()) return 1;
  EXPECT_TRUE(s.code() == absl::StatusCode::kInvalidArgument ||
              s.code() == absl::StatusCode::kNotFound ||
              s.code() == absl::StatusCode::kAlreadyExists)
      << s;
  return 0;
}

TEST(HostileInputTest, RandomFilesNeverCrash) {
  ScratchDir dir;
  std::mt19937 rng(20240611);
  auto db = MemoryDb();
  int ok = 0;
  for (int round = 0; round < 300; ++round) {
    const std::string path = WriteCsv(dir, "r.csv", RandomCsv(rng, 400));
    auto tx = db->BeginWrite().value();
    CsvFormat format;
    format.skip_bad_rows = round % 2 == 0;
    NodeCsv nodes{path, "N", round % 3 == 0 ? "" : "source", format};
    ok += ExpectCleanFailure(ImportNodesCsv(*tx, nodes).status());
    EdgeCsv edges;
    edges.path = path;
    edges.source_label = edges.target_label = "N";
    edges.type = "E";
    edges.weight_column = round % 4 == 0 ? "w" : "";
    edges.format = format;
    ok += ExpectCleanFailure(ImportEdgesCsv(*tx, edges).status());
    TriplesCsv triples{path, "T", format};
    ok += ExpectCleanFailure(ImportTriples(*tx, triples).status());
    ASSERT_TRUE(tx->Commit().ok());
  }
  EXPECT_GT(ok, 100);  // many imports succeed, so their results get checked too
  auto rx = testing::Read(*db);
  EXPECT_GT(rx->NumNodes(), 0u);
  EXPECT_GT(rx->NumEdges(), 0u);
  std::string report;
  EXPECT_TRUE(db->Check(&report).ok()) << report;
}

}  // namespace
}  // namespace nendb
