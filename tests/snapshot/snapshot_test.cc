// Snapshot files: round trips, and damage reported as Corruption naming the
// file and offset, never a crash.
#include <filesystem>
#include <fstream>
#include <random>

#include "absl/strings/str_cat.h"
#include "dump.h"
#include "gtest/gtest.h"
#include "nendb/database.h"
#include "snapshot/format.h"
#include "test_util.h"
#include "util/crc32c.h"

namespace nendb {
namespace {

using testing::Dump;

std::string SnapshotFile(const std::string& dir) {
  for (const auto& e : std::filesystem::directory_iterator(dir)) {
    if (e.path().filename().string().rfind("snapshot-", 0) == 0) return e.path().string();
  }
  return "";
}

class SnapshotTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto db = Database::Open(dir_.Sub("db")).value();
    ASSERT_TRUE(testing::WriteTxn(*db, [](WriteTransaction& tx) {
                  LabelSchema s;
                  s.properties = {{"name", ValueType::kString, 0, true}};
                  NENDB_RETURN_IF_ERROR_FOR_TEST(tx.DefineLabel("Person", s));
                  std::vector<NodeId> ids;
                  for (int i = 0; i < 60; ++i) {
                    auto id = tx.AddNode(i % 3 ? std::vector<std::string>{"Person"}
                                               : std::vector<std::string>{"Person", "Admin"},
                                         Key(absl::StrCat("user", i)),
                                         {{"name", absl::StrCat("Name ", i)},
                                          {"score", i * 1.5},
                                          {"emb", std::vector<float>{float(i), 1, 2, 3}}});
                    if (!id.ok()) return id.status();
                    ids.push_back(*id);
                  }
                  for (int i = 0; i < 200; ++i) {
                    auto e = tx.AddEdge(ids[i % 60], ids[(i * 7 + 3) % 60],
                                        i % 2 ? "FOLLOWS" : "LIKES", 1.0 + i, {{"w", int64_t{i}}});
                    if (!e.ok()) return e.status();
                  }
                  NENDB_RETURN_IF_ERROR_FOR_TEST(tx.DeleteNode(ids[5], true));
                  return tx.AddNode("City", Key(int64_t{42})).status();
                }).ok());
    ASSERT_TRUE(db->Close().ok());
    db.reset();
    file_ = SnapshotFile(dir_.Sub("db"));
    std::ifstream in(file_, std::ios::binary);
    original_.assign(std::istreambuf_iterator<char>(in), {});
    auto reopened = Database::Open(dir_.Sub("db")).value();
    expected_ = Dump(*reopened).value();
  }

  void WriteFile(const std::string& bytes) {
    std::ofstream(file_, std::ios::binary | std::ios::trunc) << bytes;
  }

  // Opens the damaged database read-only and reads everything.
  absl::StatusOr<std::string> OpenAndDump() {
    Options o;
    o.read_only = true;
    auto db = Database::Open(dir_.Sub("db"), o);
    if (!db.ok()) return db.status();
    return Dump(**db);
  }

  testing::ScratchDir dir_;
  std::string file_;
  std::string original_;
  std::string expected_;
};

TEST_F(SnapshotTest, RoundTripKeepsEverything) {
  EXPECT_NE(expected_.find("name=\"Name 59\""), std::string::npos);
  EXPECT_NE(expected_.find(":Admin"), std::string::npos);
  EXPECT_EQ(OpenAndDump().value(), expected_);
}

TEST_F(SnapshotTest, TruncationIsCorruptionAtOpen) {
  for (size_t len :
       {size_t{0}, size_t{100}, size_t{4096}, original_.size() / 2, original_.size() - 1}) {
    WriteFile(original_.substr(0, len));
    auto r = OpenAndDump();
    ASSERT_FALSE(r.ok()) << len;
    EXPECT_EQ(ErrorKindOf(r.status()), ErrorKind::kCorruption) << r.status();
    EXPECT_EQ(CorruptionFile(r.status()).value_or(""), file_);
    EXPECT_NE(r.status().message().find(file_), std::string::npos);
  }
}

TEST_F(SnapshotTest, FlippedBytesAreDetectedOrHarmless) {
  std::mt19937_64 rng(7);
  int detected = 0, harmless = 0;
  const int kTrials = 600;
  for (int t = 0; t < kTrials; ++t) {
    std::string bytes = original_;
    const size_t at = rng() % bytes.size();
    bytes[at] ^= static_cast<char>(1u << (rng() % 8));
    WriteFile(bytes);
    auto r = OpenAndDump();
    if (r.ok()) {
      // Only bytes no checksum covers (alignment padding) may change silently.
      ASSERT_EQ(*r, expected_) << "flip at " << at << " went unnoticed";
      ++harmless;
    } else {
      ASSERT_EQ(ErrorKindOf(r.status()), ErrorKind::kCorruption) << at << ": " << r.status();
      const auto offset = CorruptionOffset(r.status());
      ASSERT_TRUE(offset.has_value());
      EXPECT_LE(*offset, bytes.size());
      ++detected;
    }
  }
  EXPECT_GT(detected, kTrials * 9 / 10);
  EXPECT_EQ(detected + harmless, kTrials);
}

TEST_F(SnapshotTest, NewerFormatVersionAsksForAnUpgrade) {
  std::string bytes = original_;
  const uint32_t v = snapshot::kFormatVersion + 1;
  std::memcpy(bytes.data() + 8, &v, 4);
  const uint32_t crc = crc32c::Value(bytes.data(), snapshot::kHeaderBytes - 4);
  std::memcpy(bytes.data() + snapshot::kHeaderBytes - 4, &crc, 4);
  WriteFile(bytes);
  auto r = OpenAndDump();
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("Upgrade"), std::string::npos) << r.status();
}

TEST_F(SnapshotTest, VerifyOnOpenChecksEveryColumn) {
  std::string bytes = original_;
  // Damage the last section before the table: the property tables.
  bytes[bytes.size() / 2] ^= 0x40;
  WriteFile(bytes);
  Options o;
  o.read_only = true;
  o.verify_on_open = true;
  auto db = Database::Open(dir_.Sub("db"), o);
  if (db.ok()) {
    // The flip hit padding; everything must still read back the same.
    EXPECT_EQ(Dump(**db).value(), expected_);
  } else {
    EXPECT_EQ(ErrorKindOf(db.status()), ErrorKind::kCorruption);
  }
}

}  // namespace
}  // namespace nendb
