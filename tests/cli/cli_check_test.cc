// `nendb check` on damaged databases: what it finds, its exit codes and
// `--repair`.
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>

#include "absl/strings/match.h"
#include "cli/cli_runner.h"
#include "gtest/gtest.h"
#include "nendb/database.h"
#include "nlohmann/json.hpp"

namespace nendb {
namespace {

using testing::Cli;
using testing::ImportLesMis;
using testing::Json;
using testing::LesMis;
using testing::Output;
using testing::ScratchDir;

std::string SnapshotFile(const std::string& db) {
  for (const auto& e : std::filesystem::directory_iterator(db)) {
    if (absl::EndsWith(e.path().string(), ".nds")) return e.path().string();
  }
  return "";
}

void FlipByte(const std::string& path, uint64_t offset) {
  std::fstream f(path, std::ios::in | std::ios::out | std::ios::binary);
  f.seekg(offset);
  char c = 0;
  f.read(&c, 1);
  c ^= 0x5a;
  f.seekp(offset);
  f.write(&c, 1);
}

TEST(CliTest, CheckFindsDamage) {
  Cli cli;
  ScratchDir dir;
  const std::string db = LesMis(dir);
  ASSERT_EQ(ImportLesMis(cli, db).code, 0);
  const std::string snap = SnapshotFile(db);
  ASSERT_FALSE(snap.empty());
  const uint64_t size = std::filesystem::file_size(snap);
  // A byte in the data sections: the file opens, the checksums catch it.
  FlipByte(snap, 4096 + (size - 4096) / 3);
  Output r = cli({"check", db});
  EXPECT_EQ(r.code, 1) << r.out << r.err;
  EXPECT_TRUE(absl::StrContains(r.out + r.err, snap)) << r.out << r.err;
  r = cli({"check", db, "--json"});
  EXPECT_EQ(r.code, 1);
  nlohmann::json j = Json(r);
  EXPECT_EQ(j["ok"], false);
  EXPECT_FALSE(j["problems"].empty());
  EXPECT_TRUE(absl::StrContains(j["error"].get<std::string>(), snap));
  // A damaged header: the database does not even open.
  FlipByte(snap, 20);
  r = cli({"check", db});
  EXPECT_TRUE(r.code == 1 || r.code == 2) << r.code;
  EXPECT_TRUE(absl::StrContains(r.out + r.err, snap)) << r.out << r.err;
  r = cli({"info", db});
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.err.rfind("nendb: ", 0), 0u);
  EXPECT_TRUE(absl::StrContains(r.err, snap)) << r.err;
}

TEST(CliTest, CheckRepairsALogDamagedInTheMiddle) {
  Cli cli;
  ScratchDir dir;
  const std::string db = dir.Sub("db");
  uint64_t log_end = 0;  // where the records end; zeros follow
  {
    // A snapshot large enough that close() keeps the small commits in the log.
    auto d = Database::Open(db).value();
    ASSERT_TRUE(testing::WriteTxn(*d, [](WriteTransaction& tx) {
                  NodeBatch b;
                  b.labels = {"Bulk"};
                  b.count = 50000;
                  return tx.AddNodes(b, {});
                }).ok());
    ASSERT_TRUE(d->Checkpoint().ok());
    for (int i = 0; i < 20; ++i) {
      ASSERT_TRUE(testing::WriteTxn(*d, [&](WriteTransaction& tx) {
                    return tx.AddNode("N", Key(int64_t{i})).status();
                  }).ok());
    }
    log_end = d->Stats().value().log_bytes;
    ASSERT_TRUE(d->Close().ok());
  }
  std::string log;
  for (const auto& e : std::filesystem::directory_iterator(db)) {
    if (e.path().extension() == ".log") log = e.path().string();
  }
  FlipByte(log, log_end / 2);
  Output r = cli({"check", db});
  EXPECT_EQ(r.code, 1) << r.out << r.err;
  EXPECT_TRUE(absl::StrContains(r.out + r.err, log)) << r.out << r.err;
  EXPECT_TRUE(absl::StrContains(r.out + r.err, "--repair")) << r.out << r.err;
  r = cli({"check", db, "--repair"});
  EXPECT_EQ(r.code, 0) << r.out << r.err;
  EXPECT_TRUE(absl::StrContains(r.out, "was damaged at offset")) << r.out;
  EXPECT_TRUE(absl::StrContains(r.out, "dropped")) << r.out;
  r = cli({"check", db, "--repair", "--json"});
  EXPECT_EQ(r.code, 0) << r.out << r.err;
  nlohmann::json j = Json(r);
  EXPECT_EQ(j["ok"], true);
  EXPECT_EQ(j["repair"]["damaged"], false);  // already repaired
  const uint64_t kept = j["repair"]["kept_transactions"].get<uint64_t>();
  EXPECT_EQ(kept, 0u);  // the repair checkpointed them into the snapshot
  r = cli({"info", db, "--json"});
  ASSERT_EQ(r.code, 0) << r.err;
  const uint64_t nodes = Json(r)["nodes"].get<uint64_t>();
  EXPECT_GT(nodes, 50000u);
  EXPECT_LT(nodes, 50020u);
}

}  // namespace
}  // namespace nendb
