// The `nendb` command-line tool, run as a program: help, import, info and
// their JSON output, exit codes and error messages.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_split.h"
#include "cli/cli_runner.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"

namespace nendb {
namespace {

using testing::Cli;
using testing::Example;
using testing::ImportLesMis;
using testing::Json;
using testing::LesMis;
using testing::Output;
using testing::ScratchDir;
using testing::TestData;

TEST(CliTest, HelpVersionAndUsageErrors) {
  Cli cli;
  Output r = cli({"--help"});
  EXPECT_EQ(r.code, 0);
  EXPECT_TRUE(absl::StrContains(r.out, "Exit codes: 0")) << r.out;
  for (const char* cmd : {"info", "import", "check", "algo", "knn", "shell"}) {
    EXPECT_TRUE(absl::StrContains(r.out, cmd));
    Output h = cli({cmd, "--help"});
    EXPECT_EQ(h.code, 0) << cmd;
    EXPECT_TRUE(absl::StrContains(h.out, "Usage: nendb " + std::string(cmd))) << h.out;
    EXPECT_TRUE(absl::StrContains(h.out, "Exit codes: 0")) << h.out;
  }
  EXPECT_TRUE(absl::StrContains(cli({"import", "--help"}).out, "--type-column"));
  r = cli({"--version"});
  EXPECT_EQ(r.code, 0);
  EXPECT_EQ(r.out, "nendb 0.1.0\n");
  r = cli({});
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.err.rfind("nendb: ", 0), 0u) << r.err;
  r = cli({"info"});  // DB missing
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.err.rfind("nendb: ", 0), 0u);
  r = cli({"frobnicate"});
  EXPECT_EQ(r.code, 2);
  r = cli({"info", "db", "--bogus"});
  EXPECT_EQ(r.code, 2);
}

// CLI11 starts an option's description at column 30, on the option's line
// or, when the option's name and type run past it, on the next line.
bool EveryOptionIsDescribed(const std::string& help, std::string* undescribed) {
  constexpr size_t kColumn = 30;
  const auto starts_description = [&](const std::string& line) {
    return line.size() > kColumn && line[kColumn - 1] == ' ' && line[kColumn] != ' ';
  };
  const std::vector<std::string> lines = absl::StrSplit(help, '\n');
  for (size_t i = 0; i < lines.size(); ++i) {
    if (!absl::StartsWith(lines[i], "  -") || starts_description(lines[i])) continue;
    if (i + 1 < lines.size() && starts_description(lines[i + 1]) &&
        lines[i + 1].find_first_not_of(' ') == kColumn) {
      continue;
    }
    *undescribed = lines[i];
    return false;
  }
  return true;
}

TEST(CliTest, EveryOptionIsDescribedAndEveryCommandHasExamples) {
  Cli cli;
  for (const char* cmd : {"info", "import", "check", "algo", "knn", "shell"}) {
    Output h = cli({cmd, "--help"});
    ASSERT_EQ(h.code, 0) << cmd;
    std::string undescribed;
    EXPECT_TRUE(EveryOptionIsDescribed(h.out, &undescribed)) << cmd << ": " << undescribed;
    EXPECT_TRUE(absl::StrContains(h.out, "Examples:\n  nendb " + std::string(cmd) + " ")) << h.out;
  }
  // Defaults show beside the option.
  EXPECT_TRUE(absl::StrContains(cli({"algo", "--help"}).out, "--top UINT:NONNEGATIVE=20"));
  EXPECT_TRUE(absl::StrContains(cli({"knn", "--help"}).out, "--metric TEXT=cosine"));
  std::string undescribed;
  EXPECT_FALSE(EveryOptionIsDescribed(
      "Options:\n  --json                      Print JSON\n  --bare TEXT\n"
      "  --long-option-name TYPE:CHECK\n                              Desc\n",
      &undescribed));
  EXPECT_EQ(undescribed, "  --bare TEXT");
}

TEST(CliTest, ImportInfoCheck) {
  Cli cli;
  ScratchDir dir;
  const std::string db = LesMis(dir);
  Output r = ImportLesMis(cli, db);
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_TRUE(absl::StrContains(r.out, "lesmis_characters.csv: 77 rows, 77 nodes")) << r.out;
  EXPECT_TRUE(absl::StrContains(r.out, "lesmis_cooccurrence.csv: 254 rows, 254 edges")) << r.out;
  EXPECT_TRUE(absl::StrContains(r.out, "committed 77 nodes and 254 edges")) << r.out;

  r = cli({"info", db});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_TRUE(absl::StrContains(r.out, "nodes:       77\n")) << r.out;
  EXPECT_TRUE(absl::StrContains(r.out, "edges:       254\n")) << r.out;
  EXPECT_TRUE(absl::StrContains(r.out, "Character: 77 nodes; appearances int64")) << r.out;
  EXPECT_TRUE(absl::StrContains(r.out, "APPEARS_WITH")) << r.out;

  r = cli({"info", db, "--json"});
  ASSERT_EQ(r.code, 0) << r.err;
  nlohmann::json j = Json(r);
  EXPECT_EQ(j["nodes"], 77);
  EXPECT_EQ(j["edges"], 254);
  ASSERT_EQ(j["labels"].size(), 1u);
  EXPECT_EQ(j["labels"][0]["name"], "Character");
  EXPECT_EQ(j["labels"][0]["nodes"], 77);
  EXPECT_EQ(j["labels"][0]["columns"][0]["name"], "appearances");
  EXPECT_EQ(j["labels"][0]["columns"][0]["type"], "int64");
  EXPECT_EQ(j["edge_types"], nlohmann::json::array({"APPEARS_WITH"}));
  EXPECT_GE(j["stats"]["sequence"].get<int>(), 1);
  EXPECT_GT(j["stats"]["snapshot_file_bytes"].get<int64_t>(), 0);
  EXPECT_GT(j["stats"]["bytes_per_edge"].get<double>(), 0);
  for (const char* k : {"snapshot_generation", "resident_bytes", "bytes_per_node"}) {
    EXPECT_TRUE(j["stats"].contains(k)) << k;
  }

  r = cli({"check", db});
  EXPECT_EQ(r.code, 0) << r.out << r.err;
  r = cli({"check", db, "--json"});
  EXPECT_EQ(r.code, 0);
  j = Json(r);
  EXPECT_EQ(j["ok"], true);
  EXPECT_TRUE(j["problems"].empty());
}

TEST(CliTest, SeveralFilesAreOneTransaction) {
  Cli cli;
  ScratchDir dir;
  const std::string db = dir.Sub("db");
  ASSERT_EQ(cli({"import", db, "--triples", Example("science_triples.csv")}).code, 0);
  // The second edge file names a character that does not exist: nothing of
  // this command may be committed, not even the good node file.
  std::ofstream(dir.Sub("bad.csv")) << "source,target\nValjean,Javert\nValjean,Nobody\n";
  Output r =
      cli({"import", db, "--edges", dir.Sub("bad.csv"), "--label", "Character", "--type", "X",
           "--nodes", Example("lesmis_characters.csv"), "--label", "Character", "--key", "name"});
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.err.rfind("nendb: " + dir.Sub("bad.csv") + ":3: no node with label \"Character\"", 0),
            0u)
      << r.err;
  nlohmann::json j = Json(cli({"info", db, "--json"}));
  EXPECT_EQ(j["nodes"], 121);
  EXPECT_EQ(j["edges"], 131);
  EXPECT_EQ(j["labels"].size(), 1u);  // no Character

  r = cli({"import", db, "--nodes", dir.Sub("missing.csv"), "--label", "X"});
  EXPECT_EQ(r.code, 2);
  EXPECT_TRUE(absl::StrContains(r.err, dir.Sub("missing.csv"))) << r.err;
}

TEST(CliTest, OptionsApplyToTheFileBeforeThem) {
  Cli cli;
  ScratchDir dir;
  const std::string db = dir.Sub("db");
  // Defaults before any file, types per file, triples with their own label.
  Output r =
      cli({"import",  db,      "--label",  "Member",    "--nodes",   Example("karate_members.csv"),
           "--key",   "id",    "--types",  "id:string", "--edges",   Example("karate_edges.csv"),
           "--type",  "KNOWS", "--weight", "weight",    "--triples", TestData("triples_tricky.csv"),
           "--label", "Thing", "--json"});
  ASSERT_EQ(r.code, 0) << r.err;
  nlohmann::json j = Json(r);
  EXPECT_EQ(j["nodes_added"], 34 + 7);
  EXPECT_EQ(j["edges_added"], 78 + 5);
  ASSERT_EQ(j["files"].size(), 3u);
  EXPECT_EQ(j["files"][0]["kind"], "nodes");
  EXPECT_EQ(j["files"][2]["kind"], "triples");
  j = Json(cli({"info", db, "--json"}));
  std::vector<std::string> labels;
  for (const auto& l : j["labels"]) labels.push_back(l["name"]);
  std::sort(labels.begin(), labels.end());
  EXPECT_EQ(labels, (std::vector<std::string>{"Member", "Thing"}));

  r = cli({"import", db, "--edges", Example("karate_edges.csv"), "--key", "id"});
  EXPECT_EQ(r.code, 2);
  EXPECT_TRUE(absl::StrContains(r.err, "--key does not apply to --edges")) << r.err;
  r = cli({"import", db, "--nodes", Example("karate_members.csv")});
  EXPECT_EQ(r.code, 2);
  EXPECT_TRUE(absl::StrContains(r.err, "needs --label")) << r.err;
  r = cli({"import", db, "--nodes", Example("karate_members.csv"), "--label", "A", "--label", "B"});
  EXPECT_EQ(r.code, 2);
  EXPECT_TRUE(absl::StrContains(r.err, "--label is given twice")) << r.err;
  r = cli({"import", db, "--nodes", Example("karate_members.csv"), "--label", "A", "--types",
           "id:integr"});
  EXPECT_EQ(r.code, 2);
  EXPECT_TRUE(absl::StrContains(r.err, "unknown column type \"integr\"")) << r.err;
  r = cli({"import", db});
  EXPECT_EQ(r.code, 2);
  EXPECT_TRUE(absl::StrContains(r.err, "nothing to import")) << r.err;
}

TEST(CliTest, DelimiterAndSkipBadRows) {
  Cli cli;
  ScratchDir dir;
  std::ofstream(dir.Sub("n.tsv")) << "id\tname\n1\tone\n2\ttwo\textra\n3\tthree\n";
  const std::string db = dir.Sub("db");
  Output r = cli({"import", db, "--delimiter", "tab", "--nodes", dir.Sub("n.tsv"), "--label", "N",
                  "--key", "id"});
  EXPECT_EQ(r.code, 2);
  EXPECT_TRUE(absl::StrContains(r.err, "n.tsv:3: the row has 3 cells; the header has 2")) << r.err;
  r = cli({"import", db, "--delimiter", "tab", "--skip-bad-rows", "--nodes", dir.Sub("n.tsv"),
           "--label", "N", "--key", "id"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_TRUE(absl::StrContains(r.out, "3 rows, 2 nodes, 1 bad rows skipped")) << r.out;
  EXPECT_TRUE(absl::StrContains(r.err, "n.tsv:3:")) << r.err;
  EXPECT_EQ(Json(cli({"info", db, "--json"}))["nodes"], 2);
  EXPECT_EQ(
      cli({"import", db, "--delimiter", "ab", "--nodes", dir.Sub("n.tsv"), "--label", "N"}).code,
      2);
}

TEST(CliTest, MissingDatabase) {
  Cli cli;
  ScratchDir dir;
  for (const char* cmd : {"info", "check"}) {
    Output r = cli({cmd, dir.Sub("nope")});
    EXPECT_EQ(r.code, 2) << cmd;
    EXPECT_EQ(r.err.rfind("nendb: ", 0), 0u) << r.err;
    EXPECT_TRUE(absl::StrContains(r.err, dir.Sub("nope"))) << r.err;
    EXPECT_FALSE(std::filesystem::exists(dir.Sub("nope")));  // not created
  }
}
}  // namespace
}  // namespace nendb
