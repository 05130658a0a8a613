// `nendb knn`: nearest embeddings to a node's vector or a given one, with
// filters, through a vector index or exactly.
#include <cmath>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_join.h"
#include "cli/cli_runner.h"
#include "gtest/gtest.h"
#include "nendb/database.h"
#include "nendb/vector_index.h"
#include "nlohmann/json.hpp"

namespace nendb {
namespace {

using testing::Cli;
using testing::Json;
using testing::Output;
using testing::ScratchDir;

// Five documents with 3-d embeddings, a - b - c linked.
void MakeDocs(const std::string& db) {
  auto d = Database::Open(db).value();
  ASSERT_TRUE(
      testing::WriteTxn(*d, [](WriteTransaction& tx) -> absl::Status {
        const std::vector<std::pair<const char*, std::vector<float>>> docs = {
            {"a", {1, 0, 0}},
            {"b", {0.9f, 0.1f, 0}},
            {"c", {0, 1, 0}},
            {"d", {0.8f, 0, 0.2f}},
            {"e", {0, 0, 1}}};
        std::vector<NodeId> ids;
        for (const auto& [key, e] : docs) {
          const int64_t n = static_cast<int64_t>(ids.size()) + 1;  // a 1 .. e 5
          ids.push_back(
              tx.AddNode("Doc", Key(key), {{"embedding", Value(e)}, {"n", Value(n)}}).value());
        }
        tx.AddEdge(ids[0], ids[1], "LINKS").value();
        return tx.AddEdge(ids[1], ids[2], "LINKS").status();
      }).ok());
  ASSERT_TRUE(d->Close().ok());
}

TEST(CliTest, KnnByANodesVectorOrAGivenOne) {
  Cli cli;
  ScratchDir dir;
  const std::string db = dir.Sub("docs");
  MakeDocs(db);
  Output r =
      cli({"knn", db, "--like", "a", "--like-label", "Doc", "--metric", "l2", "-k", "2", "--json"});
  ASSERT_EQ(r.code, 0) << r.err;
  nlohmann::json j = Json(r);
  ASSERT_EQ(j["hits"].size(), 2u);
  EXPECT_EQ(j["hits"][0]["name"], "Doc:b");  // a itself left out
  EXPECT_EQ(j["hits"][1]["name"], "Doc:d");
  EXPECT_NEAR(j["hits"][0]["distance"].get<double>(), std::sqrt(0.02), 1e-6);
  r = cli({"knn", db, "--vector", "0,0.1,1", "-k", "1", "--json"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(Json(r)["hits"][0]["name"], "Doc:e");
  // Only within one hop of c: b (c itself is the query's node, left out).
  r = cli({"knn", db, "--like", "c", "--like-label", "Doc", "--near", "c", "--near-label", "Doc",
           "--hops", "1", "-k", "1", "--json"});
  ASSERT_EQ(r.code, 0) << r.err;
  j = Json(r);
  ASSERT_EQ(j["hits"].size(), 1u);
  EXPECT_EQ(j["hits"][0]["name"], "Doc:b");
  r = cli({"knn", db, "--vector", "1,0,0", "-k", "3"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_TRUE(absl::StrContains(r.out, "Doc:a")) << r.out;
  // Conditions on properties: d is the nearest with n >= 3; without d, c
  // and e tie (both orthogonal) and the lower id, c, comes first.
  r = cli({"knn", db, "--vector", "1,0,0", "-k", "1", "--where", "n>=3", "--json"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(Json(r)["hits"][0]["name"], "Doc:d");
  r = cli({"knn", db, "--vector", "1,0,0", "-k", "2", "--where", "n >= 3", "--where", "n!=4",
           "--json"});
  ASSERT_EQ(r.code, 0) << r.err;
  ASSERT_EQ(Json(r)["hits"].size(), 2u);
  EXPECT_EQ(Json(r)["hits"][0]["name"], "Doc:c");
  EXPECT_EQ(Json(r)["hits"][1]["name"], "Doc:e");
  // Hamming reads the signs: b (1, 1, 0) is one bit from (1, 1, -1).
  r = cli({"knn", db, "--vector", "1,1,-1", "-k", "1", "--metric", "hamming", "--json"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(Json(r)["hits"][0]["name"], "Doc:b");
  EXPECT_EQ(Json(r)["hits"][0]["distance"].get<double>(), 0.0);
  for (const std::vector<std::string>& bad : {std::vector<std::string>{"knn", db},
                                              {"knn", db, "--vector", "1,0,0", "--where", "n"},
                                              {"knn", db, "--vector", "1,0,0", "--where", "=3"},
                                              {"knn", db, "--vector", "1,0,0", "--where", "n=>3"},
                                              {"knn", db, "--vector", "1,0,0", "--where", "n>9"},
                                              {"knn", db, "--vector", "1,0"},
                                              {"knn", db, "--vector", "1,x,0"},
                                              {"knn", db, "--vector", "1,0,0", "--metric", "nope"},
                                              {"knn", db, "--vector", "1,0,0", "-k", "6"},
                                              {"knn", db, "--like", "zz", "--like-label", "Doc"}}) {
    r = cli(bad);
    EXPECT_EQ(r.code, 2) << absl::StrJoin(bad, " ") << "\n" << r.out;
    EXPECT_FALSE(r.err.empty()) << absl::StrJoin(bad, " ");
  }
}

TEST(CliTest, KnnSearchesAVectorIndexUnlessToldToBeExact) {
  Cli cli;
  ScratchDir dir;
  const std::string db = dir.Sub("indexed");
  {
    auto d = Database::Open(db).value();
    std::mt19937_64 rng(3);
    std::normal_distribution<float> pick(0.0f, 1.0f);
    ASSERT_TRUE(testing::WriteTxn(*d, [&](WriteTransaction& tx) -> absl::Status {
                  for (int i = 0; i < 6000; ++i) {
                    std::vector<float> e(8);
                    for (float& x : e) x = pick(rng);
                    NENDB_RETURN_IF_ERROR_FOR_TEST(
                        tx.AddNode("Doc", Key(i), {{"embedding", Value(e)}}).status());
                  }
                  return absl::OkStatus();
                }).ok());
    ASSERT_TRUE(testing::WriteTxn(*d, [&](WriteTransaction& tx) {
                  return tx.CreateVectorIndex({.label = "Doc", .metric = VectorMetric::kL2});
                }).ok());
    ASSERT_TRUE(d->Close().ok());
  }
  for (bool exact : {false, true}) {
    std::vector<std::string> args = {"knn",  db,    "--like", "17",       "--like-label",
                                     "Doc",  "-k",  "3",      "--metric", "l2",
                                     "--ef", "100", "--json"};
    if (exact) args.push_back("--exact");
    Output r = cli(args);
    ASSERT_EQ(r.code, 0) << r.err;
    nlohmann::json j = Json(r);
    EXPECT_EQ(j["indexed"], !exact);
    EXPECT_EQ(j["hits"].size(), 3u);
  }
  EXPECT_EQ(cli({"knn", db, "--vector", "1,0,0,0,0,0,0,0", "--ef", "-1"}).code, 2);
}
}  // namespace
}  // namespace nendb
