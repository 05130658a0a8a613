// `nendb algo`: analytics results as JSON, checked against NetworkX on the
// same graph, write-back and usage errors.
#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "cli/cli_runner.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"

namespace nendb {
namespace {

using testing::Cli;
using testing::ImportLesMis;
using testing::Json;
using testing::LesMis;
using testing::Output;
using testing::ScratchDir;

TEST(CliTest, AlgoPageRankComponentsBfsAndWriteBack) {
  Cli cli;
  ScratchDir dir;
  const std::string db = LesMis(dir);
  ASSERT_EQ(ImportLesMis(cli, db).code, 0);
  Output r = cli({"algo", db, "pagerank", "--undirected", "--top", "3", "--json"});
  ASSERT_EQ(r.code, 0) << r.err;
  nlohmann::json j = Json(r);
  ASSERT_EQ(j["top"].size(), 3u);
  EXPECT_EQ(j["top"][0]["name"], "Character:Valjean");  // as NetworkX ranks them
  EXPECT_GT(j["top"][0]["score"].get<double>(), j["top"][1]["score"].get<double>());

  r = cli({"algo", db, "wcc", "--json"});
  ASSERT_EQ(r.code, 0) << r.err;
  j = Json(r);
  EXPECT_EQ(j["groups"], 1);
  EXPECT_EQ(j["largest"][0]["nodes"], 77);

  r = cli({"algo", db, "louvain", "--json"});
  ASSERT_EQ(r.code, 0) << r.err;
  j = Json(r);
  EXPECT_GT(j["modularity"].get<double>(), 0.5);  // the optimum is 0.56
  EXPECT_GT(j["groups"].get<int>(), 3);
  r = cli({"algo", db, "k-core", "--top", "1", "--json"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(Json(r)["top"][0]["score"], 9);  // NetworkX: max(core_number) = 9
  r = cli({"algo", db, "triangles", "--top", "1", "--json"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(Json(r)["total"], 467);

  r = cli({"algo", db, "bfs", "--source", "Valjean", "--source-label", "Character", "--undirected",
           "--json"});
  ASSERT_EQ(r.code, 0) << r.err;
  j = Json(r);
  uint64_t reached = 0;
  for (const auto& d : j["depths"]) reached += d["nodes"].get<uint64_t>();
  EXPECT_EQ(reached, 77u);
  EXPECT_EQ(j["depths"][0]["nodes"], 1);

  r = cli({"algo", db, "triangles", "--top", "1"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_TRUE(absl::StrContains(r.out, "triangles: 467\n")) << r.out;

  r = cli({"algo", db, "pagerank", "--undirected", "--write-property", "rank", "--top", "0"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_TRUE(absl::StrContains(r.out, "stored as node property rank (commit 2)")) << r.out;
  r = cli({"info", db});
  EXPECT_TRUE(absl::StrContains(r.out, "rank float64")) << r.out;
}

TEST(CliTest, AlgoJsonOnlyAfterTheResultsAreStored) {
  Cli cli;
  ScratchDir dir;
  const std::string db = LesMis(dir);
  ASSERT_EQ(ImportLesMis(cli, db).code, 0);
  Output r = cli({"algo", db, "wcc", "--write-property", "component", "--json"});
  ASSERT_EQ(r.code, 0) << r.err;
  nlohmann::json j = Json(r);
  EXPECT_EQ(j["write_property"], "component");
  EXPECT_EQ(j["groups"], 1);
  const uint64_t sequence = j["sequence"].get<uint64_t>();
  EXPECT_EQ(Json(cli({"info", db, "--json"}))["stats"]["sequence"], sequence);
  // int64 components into the float64 property of a PageRank: refused, and
  // no JSON a script could take for results.
  ASSERT_EQ(cli({"algo", db, "pagerank", "--write-property", "rank"}).code, 0);
  r = cli({"algo", db, "wcc", "--write-property", "rank", "--json"});
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.out, "");
  EXPECT_TRUE(absl::StrContains(r.err, "\"rank\"")) << r.err;
  EXPECT_EQ(Json(cli({"info", db, "--json"}))["stats"]["sequence"], sequence + 1);
}

TEST(CliTest, AlgoFromASourceNode) {
  Cli cli;
  ScratchDir dir;
  const std::string db = LesMis(dir);
  ASSERT_EQ(ImportLesMis(cli, db).code, 0);
  const std::vector<std::string> valjean = {"--source",  "Valjean",      "--source-label",
                                            "Character", "--undirected", "--json"};
  auto with = [&](std::vector<std::string> args) {
    args.insert(args.end(), valjean.begin(), valjean.end());
    return cli(args);
  };
  // NetworkX on the same graph: Valjean has 36 neighbours, 74 nodes within
  // two hops besides him; Valjean -> Myriel is one hop.
  Output r = with({"algo", db, "k-hop", "--k", "1"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(Json(r)["nodes"], 36);
  r = with({"algo", db, "k-hop", "--k", "2", "--top", "0"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(Json(r)["nodes"], 74);
  r = with({"algo", db, "bfs", "--max-depth", "1"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(Json(r)["depths"].size(), 2u);
  EXPECT_EQ(Json(r)["depths"][1]["nodes"], 36);

  r = with({"algo", db, "shortest-path", "--target", "Myriel"});
  ASSERT_EQ(r.code, 0) << r.err;
  nlohmann::json j = Json(r);
  EXPECT_EQ(j["hops"], 1);
  EXPECT_EQ(j["path"][0]["name"], "Character:Valjean");
  EXPECT_EQ(j["path"][1]["name"], "Character:Myriel");

  r = with({"algo", db, "sssp", "--top", "2"});
  ASSERT_EQ(r.code, 0) << r.err;
  j = Json(r);
  EXPECT_EQ(j["reached"], 77);
  EXPECT_EQ(j["nearest"][0]["name"], "Character:Valjean");
  EXPECT_EQ(j["nearest"][0]["distance"], 0.0);
  EXPECT_GT(j["nearest"][1]["distance"].get<double>(), 0.0);

  // Personalized PageRank ranks the source first.
  r = with({"algo", db, "pagerank", "--top", "1"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(Json(r)["top"][0]["name"], "Character:Valjean");

  r = with({"algo", db, "sssp", "--write-property", "from_valjean", "--top", "0"});
  ASSERT_EQ(r.code, 0) << r.err;
  r = cli({"info", db});
  EXPECT_TRUE(absl::StrContains(r.out, "from_valjean float64")) << r.out;
}

TEST(CliTest, AlgoUsageErrors) {
  Cli cli;
  ScratchDir dir;
  const std::string db = LesMis(dir);
  ASSERT_EQ(ImportLesMis(cli, db).code, 0);
  Output r = cli({"algo", db, "bfs"});
  EXPECT_EQ(r.code, 2);
  EXPECT_TRUE(absl::StrContains(r.err, "--source")) << r.err;
  r = cli({"algo", db, "pagerank", "--labels", "Robot"});
  EXPECT_EQ(r.code, 2);
  EXPECT_TRUE(absl::StrContains(r.err, "Robot")) << r.err;
  r = cli({"algo", db, "louvainish"});
  EXPECT_EQ(r.code, 2);
  r = cli({"algo", db, "bfs", "--source", "Nobody", "--source-label", "Character"});
  EXPECT_EQ(r.code, 2);
  r = cli({"algo", db, "shortest-path", "--source", "Valjean", "--source-label", "Character"});
  EXPECT_EQ(r.code, 2);
  EXPECT_TRUE(absl::StrContains(r.err, "--target")) << r.err;
  r = cli({"algo", db, "k-hop", "--source", "Valjean", "--source-label", "Character"});
  EXPECT_EQ(r.code, 2);
  EXPECT_TRUE(absl::StrContains(r.err, "--k")) << r.err;
  r = cli({"algo", db, "wcc", "--source", "Valjean", "--source-label", "Character"});
  EXPECT_EQ(r.code, 2);
  EXPECT_TRUE(absl::StrContains(r.err, "does not apply")) << r.err;
}

}  // namespace
}  // namespace nendb
