// The `nendb` command-line tool, run as a program: info, import and check,
// their JSON output, exit codes and error messages.
#include <sys/wait.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "gtest/gtest.h"
#include "nendb/database.h"
#include "nendb/vector_index.h"
#include "nlohmann/json.hpp"
#include "test_util.h"

namespace nendb {
namespace {

using testing::ScratchDir;

std::string Example(const std::string& name) {
  return std::string(NENDB_EXAMPLE_DATA) + "/" + name;
}
std::string TestData(const std::string& name) { return std::string(NENDB_TEST_DATA) + "/" + name; }

std::string Slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string ShellQuote(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

struct Output {
  int code = -1;
  std::string out, err;
};

// Runs `nendb args...` and collects its exit code, stdout and stderr.
class Cli {
 public:
  Output operator()(const std::vector<std::string>& args) const {
    std::string cmd = ShellQuote(NENDB_CLI);
    for (const auto& a : args) cmd += " " + ShellQuote(a);
    cmd += " >" + ShellQuote(dir_.Sub("out")) + " 2>" + ShellQuote(dir_.Sub("err")) + " </dev/null";
    const int status = std::system(cmd.c_str());
    Output r;
    r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    r.out = Slurp(dir_.Sub("out"));
    r.err = Slurp(dir_.Sub("err"));
    return r;
  }

 private:
  ScratchDir dir_;
};

nlohmann::json Json(const Output& r) {
  auto j = nlohmann::json::parse(r.out, nullptr, /*allow_exceptions=*/false);
  EXPECT_FALSE(j.is_discarded()) << r.out;
  return j;
}

std::string LesMis(const ScratchDir& dir) { return dir.Sub("lesmis"); }

Output ImportLesMis(const Cli& cli, const std::string& db) {
  return cli({"import", db, "--nodes", Example("lesmis_characters.csv"), "--label", "Character",
              "--key", "name", "--edges", Example("lesmis_cooccurrence.csv"), "--label",
              "Character", "--type", "APPEARS_WITH", "--weight", "weight"});
}

TEST(CliTest, HelpVersionAndUsageErrors) {
  Cli cli;
  Output r = cli({"--help"});
  EXPECT_EQ(r.code, 0);
  EXPECT_TRUE(absl::StrContains(r.out, "Exit codes: 0")) << r.out;
  for (const char* cmd : {"info", "import", "check"}) {
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

namespace nendb {
namespace {

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

  r = cli({"algo", db, "pagerank", "--undirected", "--write-property", "rank", "--top", "0"});
  ASSERT_EQ(r.code, 0) << r.err;
  r = cli({"info", db});
  EXPECT_TRUE(absl::StrContains(r.out, "rank float64")) << r.out;
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
