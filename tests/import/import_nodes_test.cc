// ImportNodesCsv: round trips of the example data, type inference and
// declared types, bad rows, all-or-nothing failures and cancellation.
#include <string>

#include "gtest/gtest.h"
#include "import/import_test_util.h"
#include "nendb/import.h"

namespace nendb {
namespace {

using testing::Example;
using testing::MemoryDb;
using testing::Nodes;
using testing::Prop;
using testing::Read;
using testing::ScratchDir;
using testing::TestData;
using testing::WriteCsv;

const ColumnInfo* FindColumn(const LabelInfo& info, const std::string& name) {
  for (const auto& c : info.columns) {
    if (c.name == name) return &c;
  }
  return nullptr;
}

NodeCsv Spec(const std::string& path, const std::string& label, const std::string& key) {
  NodeCsv spec;
  spec.path = path;
  spec.label = label;
  spec.key_column = key;
  return spec;
}

TEST(ImportNodesTest, LesMiserablesCharacters) {
  auto db = MemoryDb();
  NENDB_ASSERT_OK_AND_ASSIGN(
      ImportResult r, Nodes(*db, Spec(Example("lesmis_characters.csv"), "Character", "name")));
  EXPECT_EQ(r.rows, 77u);
  EXPECT_EQ(r.nodes_added, 77u);
  EXPECT_EQ(r.rows_skipped, 0u);
  auto rx = Read(*db);
  EXPECT_EQ(rx->NumNodes(), 77u);
  EXPECT_EQ(Prop(*rx, "Character", Key("Valjean"), "appearances"), Value(158));
  EXPECT_EQ(Prop(*rx, "Character", Key("Myriel"), "appearances"), Value(31));
  NENDB_ASSERT_OK_AND_ASSIGN(NodeId anzelma, rx->FindNode("Character", Key("Anzelma")));
  NENDB_ASSERT_OK_AND_ASSIGN(Node n, rx->GetNode(anzelma));
  EXPECT_EQ(n.labels, std::vector<std::string>{"Character"});
  EXPECT_EQ(n.key, Key("Anzelma"));
  EXPECT_EQ(n.properties, (PropertyMap{{"appearances", Value(5)}}));  // the key is no property
  NENDB_ASSERT_OK_AND_ASSIGN(LabelInfo info, rx->GetLabelInfo("Character"));
  EXPECT_EQ(info.num_nodes, 77u);
  ASSERT_EQ(info.columns.size(), 1u);
  EXPECT_EQ(info.columns[0].name, "appearances");
  EXPECT_EQ(info.columns[0].type, ValueType::kInt64);
}

TEST(ImportNodesTest, KarateMembersHaveIntegerKeys) {
  auto db = MemoryDb();
  NENDB_ASSERT_OK_AND_ASSIGN(ImportResult r,
                             Nodes(*db, Spec(Example("karate_members.csv"), "Member", "id")));
  EXPECT_EQ(r.nodes_added, 34u);
  auto rx = Read(*db);
  EXPECT_EQ(Prop(*rx, "Member", Key(0), "club"), Value("Mr. Hi"));
  EXPECT_EQ(Prop(*rx, "Member", Key(33), "club"), Value("Officer"));
  EXPECT_FALSE(rx->FindNode("Member", Key("0")).ok());  // int, not string, keys
}

TEST(ImportNodesTest, InfersTypesOverWholeColumns) {
  auto db = MemoryDb();
  NENDB_ASSERT_OK_AND_ASSIGN(ImportResult r, Nodes(*db, Spec(TestData("people.csv"), "P", "id")));
  EXPECT_EQ(r.nodes_added, 4u);
  auto rx = Read(*db);
  NENDB_ASSERT_OK_AND_ASSIGN(LabelInfo info, rx->GetLabelInfo("P"));
  const std::pair<const char*, ValueType> expected[] = {
      {"name", ValueType::kString}, {"age", ValueType::kInt64}, {"score", ValueType::kFloat64},
      {"active", ValueType::kBool}, {"zip", ValueType::kInt64}, {"note", ValueType::kString}};
  for (const auto& [name, type] : expected) {
    const ColumnInfo* c = FindColumn(info, name);
    ASSERT_NE(c, nullptr) << name;
    EXPECT_EQ(c->type, type) << name;
  }
  EXPECT_EQ(FindColumn(info, "nothing"),
            nullptr);  // every cell empty: no column
  EXPECT_EQ(Prop(*rx, "P", Key(2), "score"),
            Value(2.0));  // "2" in a float column
  EXPECT_EQ(Prop(*rx, "P", Key(3), "active"), Value(true));
  EXPECT_EQ(Prop(*rx, "P", Key(4), "active"), Value(false));
  EXPECT_TRUE(Prop(*rx, "P", Key(3), "age").is_null());
  EXPECT_EQ(Prop(*rx, "P", Key(4), "zip"), Value(501));
  EXPECT_TRUE(Prop(*rx, "P", Key(1), "note").is_null());  // unquoted empty
  EXPECT_EQ(Prop(*rx, "P", Key(3), "note"), Value(""));   // quoted empty
  EXPECT_EQ(Prop(*rx, "P", Key(4), "note"), Value("says \"hi\""));
}

TEST(ImportNodesTest, DeclaredTypesWin) {
  auto db = MemoryDb();
  NodeCsv spec = Spec(TestData("people.csv"), "P", "id");
  spec.format.types = {{"zip", ValueType::kString},
                       {"age", ValueType::kFloat64},
                       {"id", ValueType::kString},
                       {"nothing", ValueType::kInt64}};
  NENDB_ASSERT_OK(Nodes(*db, spec));
  auto rx = Read(*db);
  EXPECT_EQ(Prop(*rx, "P", Key("4"), "zip"), Value("00501"));
  EXPECT_EQ(Prop(*rx, "P", Key("1"), "age"), Value(30.0));
  NENDB_ASSERT_OK_AND_ASSIGN(LabelInfo info, rx->GetLabelInfo("P"));
  ASSERT_NE(FindColumn(info, "nothing"), nullptr);
  EXPECT_EQ(FindColumn(info, "nothing")->type, ValueType::kInt64);
}

TEST(ImportNodesTest, DeclaredTypeThatDoesNotParseIsABadRow) {
  ScratchDir dir;
  auto db = MemoryDb();
  const std::string path = WriteCsv(dir, "n.csv", "id,age\n1,30\n2,thirty\n3,31\n");
  NodeCsv spec = Spec(path, "P", "id");
  spec.format.types = {{"age", ValueType::kInt64}};
  auto r = Nodes(*db, spec);
  EXPECT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(r.status().message().find(path + ":3: column \"age\": \"thirty\" is not an int64"),
            std::string::npos)
      << r.status();
  EXPECT_EQ(Read(*db)->NumNodes(), 0u);
  spec.format.skip_bad_rows = true;
  NENDB_ASSERT_OK_AND_ASSIGN(ImportResult ok, Nodes(*db, spec));
  EXPECT_EQ(ok.rows, 3u);
  EXPECT_EQ(ok.nodes_added, 2u);
  EXPECT_EQ(ok.rows_skipped, 1u);
  ASSERT_EQ(ok.skipped.size(), 1u);
  EXPECT_EQ(ok.skipped[0].rfind(path + ":3:", 0), 0u);
}

TEST(ImportNodesTest, UsesTheTypesTheLabelAlreadyStores) {
  ScratchDir dir;
  auto db = MemoryDb();
  NENDB_ASSERT_OK(testing::WriteTxn(*db, [](WriteTransaction& tx) {
    return tx.AddNode("P", Key(100), {{"score", Value(1.5)}}).status();
  }));
  // Integers alone would infer int64; the label stores float64.
  const std::string path = WriteCsv(dir, "n.csv", "id,score\n1,2\n2,3\n");
  NENDB_ASSERT_OK(Nodes(*db, Spec(path, "P", "id")));
  EXPECT_EQ(Prop(*Read(*db), "P", Key(2), "score"), Value(3.0));
  const std::string bad = WriteCsv(dir, "m.csv", "id,score\n3,high\n");
  auto r = Nodes(*db, Spec(bad, "P", "id"));
  EXPECT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(
      r.status().message().find(":2: column \"score\": \"high\" is not a float64 (label \"P\" "
                                "stores it as float64)"),
      std::string::npos)
      << r.status();
}

TEST(ImportNodesTest, WrongCellCountNamesFileAndLine) {
  ScratchDir dir;
  auto db = MemoryDb();
  const std::string path = WriteCsv(dir, "n.csv", "id,a,b\n1,x,y\n2,x\n3,x,y,z\n4,x,y\n");
  auto r = Nodes(*db, Spec(path, "N", "id"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(r.status().message(), path + ":3: the row has 2 cells; the header has 3");
  EXPECT_EQ(Read(*db)->NumNodes(), 0u);

  NodeCsv skip = Spec(path, "N", "id");
  skip.format.skip_bad_rows = true;
  NENDB_ASSERT_OK_AND_ASSIGN(ImportResult ok, Nodes(*db, skip));
  EXPECT_EQ(ok.rows, 4u);
  EXPECT_EQ(ok.nodes_added, 2u);
  EXPECT_EQ(ok.rows_skipped, 2u);
  ASSERT_EQ(ok.skipped.size(), 2u);
  EXPECT_EQ(ok.skipped[1], path + ":4: the row has 4 cells; the header has 3");
  auto rx = Read(*db);
  EXPECT_EQ(rx->NumNodes(), 2u);
  EXPECT_TRUE(rx->FindNode("N", Key(4)).ok());
}

TEST(ImportNodesTest, KeyProblems) {
  ScratchDir dir;
  auto db = MemoryDb();
  struct Case {
    std::string csv, message;
  } cases[] = {
      {"id,a\n1,x\n,y\n", ":3: the key in column \"id\" is empty"},
      {"id,a\nk1,x\nk2,y\nk1,z\n", ":4: key \"k1\" appears again (first on line 2)"},
      {"id,a\n1,x\n01,y\n", ":3: key 1 appears again (first on line 2)"},
      {"id,a\n\"a\nb\",1\n\"a\nb\",2\n", ":4: key \"a\\nb\" appears again (first on line 2)"},
      {"id,a\n" + std::string(kMaxKeyBytes + 1, 'k') + ",x\n",
       ":2: the key in column \"id\" is 4097 bytes; the limit is 4096"},
      {"id,a\nk\xff,x\n", ":2: the key in column \"id\" is not valid UTF-8"},
      {"id,a\nk,x\xc3\n", ":2: column \"a\" is not valid UTF-8"},
  };
  for (const Case& c : cases) {
    const std::string path = WriteCsv(dir, "k.csv", c.csv);
    auto r = Nodes(*db, Spec(path, "K", "id"));
    ASSERT_FALSE(r.ok()) << c.csv;
    EXPECT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_EQ(r.status().message().rfind(path + c.message, 0), 0u) << r.status();
  }
  EXPECT_EQ(Read(*db)->NumNodes(), 0u);
}

TEST(ImportNodesTest, ExistingKeysAreBadRows) {
  ScratchDir dir;
  auto db = MemoryDb();
  const std::string first = WriteCsv(dir, "a.csv", "id,v\n1,a\n2,b\n");
  const std::string second = WriteCsv(dir, "b.csv", "id,v\n3,c\n2,dup\n4,d\n");
  NENDB_ASSERT_OK(Nodes(*db, Spec(first, "N", "id")));
  auto r = Nodes(*db, Spec(second, "N", "id"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(),
            second + ":3: a node with label \"N\" and key 2 already exists (node 1)");
  EXPECT_EQ(Read(*db)->NumNodes(), 2u);
  NodeCsv skip = Spec(second, "N", "id");
  skip.format.skip_bad_rows = true;
  NENDB_ASSERT_OK_AND_ASSIGN(ImportResult ok, Nodes(*db, skip));
  EXPECT_EQ(ok.nodes_added, 2u);
  EXPECT_EQ(ok.rows_skipped, 1u);
  auto rx = Read(*db);
  EXPECT_EQ(rx->NumNodes(), 4u);
  EXPECT_EQ(Prop(*rx, "N", Key(2), "v"), Value("b"));
}

TEST(ImportNodesTest, NodesWithoutKeys) {
  auto db = MemoryDb();
  NENDB_ASSERT_OK_AND_ASSIGN(ImportResult r,
                             Nodes(*db, Spec(Example("lesmis_characters.csv"), "C", "")));
  EXPECT_EQ(r.nodes_added, 77u);
  auto rx = Read(*db);
  NENDB_ASSERT_OK_AND_ASSIGN(LabelInfo info, rx->GetLabelInfo("C"));
  EXPECT_NE(FindColumn(info, "name"), nullptr);  // every column is a property
  NENDB_ASSERT_OK_AND_ASSIGN(auto ids, rx->NodesWithLabel("C"));
  ASSERT_EQ(ids.size(), 77u);
  NENDB_ASSERT_OK_AND_ASSIGN(Node n, rx->GetNode(ids[0]));
  EXPECT_TRUE(n.key.empty());
  EXPECT_EQ(n.properties, (PropertyMap{{"name", Value("Anzelma")}, {"appearances", Value(5)}}));
}

TEST(ImportNodesTest, HeaderProblems) {
  ScratchDir dir;
  auto db = MemoryDb();
  const std::string path = WriteCsv(dir, "h.csv", "name,age\nx,1\n");
  auto r = Nodes(*db, Spec(path, "H", "id"));
  EXPECT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(r.status().message(),
            path + ": the header has no key column \"id\"; its columns are: name, age");
  NodeCsv typo = Spec(path, "H", "name");
  typo.format.types = {{"agee", ValueType::kInt64}};
  r = Nodes(*db, typo);
  EXPECT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(r.status().message().find("\"agee\""), std::string::npos);
  r = Nodes(*db, Spec(WriteCsv(dir, "d.csv", "a,b,a\n1,2,3\n"), "H", ""));
  EXPECT_NE(r.status().message().find("names column \"a\" twice"), std::string::npos);
  r = Nodes(*db, Spec(WriteCsv(dir, "e.csv", ",a\n0,x\n"), "H", ""));
  EXPECT_NE(r.status().message().find(":1: column 1 of the header: a property name must not be "
                                      "empty"),
            std::string::npos)
      << r.status();
  r = Nodes(*db, Spec(WriteCsv(dir, "empty.csv", ""), "H", ""));
  EXPECT_NE(r.status().message().find("the file is empty"), std::string::npos);
  NENDB_ASSERT_OK_AND_ASSIGN(ImportResult none,
                             Nodes(*db, Spec(WriteCsv(dir, "o.csv", "a,b\n"), "H", "a")));
  EXPECT_EQ(none.rows, 0u);
  EXPECT_EQ(Read(*db)->NumNodes(), 0u);
}

TEST(ImportNodesTest, MissingFileIsNotFound) {
  auto db = MemoryDb();
  auto r = Nodes(*db, Spec("/nonexistent/dir/nodes.csv", "X", ""));
  EXPECT_ERROR_KIND(r, kNotFound);
  EXPECT_NE(r.status().message().find("/nonexistent/dir/nodes.csv"), std::string::npos);
}

TEST(ImportNodesTest, FailureLeavesTheTransactionUnchanged) {
  ScratchDir dir;
  auto db = MemoryDb();
  NENDB_ASSERT_OK_AND_ASSIGN(auto tx, db->BeginWrite());
  NENDB_ASSERT_OK(tx->AddNode("Other", Key(1)).status());
  // The last row is bad: nothing of the file may go in.
  const std::string path = WriteCsv(dir, "n.csv", "id,v\n1,a\n2,b\n3,c,extra\n");
  EXPECT_FALSE(ImportNodesCsv(*tx, Spec(path, "N", "id")).ok());
  EXPECT_EQ(tx->NumNodes(), 1u);
  EXPECT_FALSE(tx->GetLabelInfo("N").ok());
  // A strict schema refuses the column: also checked before inserting.
  LabelSchema strict;
  strict.strict = true;
  strict.properties = {PropertySpec{"w", ValueType::kString, 0, false}};
  NENDB_ASSERT_OK(tx->DefineLabel("S", strict));
  auto r = ImportNodesCsv(*tx, Spec(WriteCsv(dir, "s.csv", "id,v\n1,a\n2,b\n"), "S", "id"));
  EXPECT_ERROR_KIND(r, kConstraint);
  EXPECT_NE(r.status().message().find("s.csv: "), std::string::npos) << r.status();
  EXPECT_EQ(tx->NumNodes(), 1u);
  // A required property missing in a row.
  LabelSchema required;
  required.properties = {PropertySpec{"v", ValueType::kString, 0, true}};
  NENDB_ASSERT_OK(tx->DefineLabel("R", required));
  r = ImportNodesCsv(*tx, Spec(WriteCsv(dir, "r.csv", "id,v\n1,a\n2,\n"), "R", "id"));
  EXPECT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(
      r.status().message().find("r.csv:3: column \"v\" is empty, but label \"R\" requires a value"),
      std::string::npos)
      << r.status();
  r = ImportNodesCsv(*tx, Spec(WriteCsv(dir, "q.csv", "id,w\n1,a\n"), "R", "id"));
  EXPECT_NE(r.status().message().find("requires property \"v\", but the file has no such column"),
            std::string::npos)
      << r.status();
  EXPECT_EQ(tx->NumNodes(), 1u);
  NENDB_ASSERT_OK(tx->Commit());
  EXPECT_EQ(Read(*db)->NumNodes(), 1u);
}

TEST(ImportNodesTest, CancelledImportChangesNothing) {
  ScratchDir dir;
  auto db = MemoryDb();
  std::string csv = "id,name,score\n";
  for (int i = 0; i < 200000; ++i) {
    csv += std::to_string(i) + ",name number " + std::to_string(i) + "," + std::to_string(i * 0.5) +
           "\n";
  }
  const std::string path = WriteCsv(dir, "big.csv", csv);
  NENDB_ASSERT_OK_AND_ASSIGN(auto tx, db->BeginWrite());
  uint64_t calls = 0, last_done = 0;
  auto r = ImportNodesCsv(*tx, Spec(path, "Big", "id"), [&](uint64_t done, uint64_t total) {
    EXPECT_EQ(total, csv.size());
    last_done = done;
    return ++calls < 3;
  });
  EXPECT_ERROR_KIND(r, kCancelled);
  EXPECT_EQ(calls, 3u);
  EXPECT_LT(last_done, csv.size());
  EXPECT_EQ(tx->NumNodes(), 0u);
  // Cancelled at the very last call, when the whole file is read: still
  // nothing.
  r = ImportNodesCsv(*tx, Spec(path, "Big", "id"),
                     [&](uint64_t done, uint64_t total) { return done < total; });
  EXPECT_ERROR_KIND(r, kCancelled);
  EXPECT_EQ(tx->NumNodes(), 0u);
  // And all of it without cancelling.
  NENDB_ASSERT_OK_AND_ASSIGN(ImportResult ok, ImportNodesCsv(*tx, Spec(path, "Big", "id")));
  EXPECT_EQ(ok.nodes_added, 200000u);
  EXPECT_EQ(Prop(*tx, "Big", Key(199999), "name"), Value("name number 199999"));
  EXPECT_EQ(Prop(*tx, "Big", Key(3), "score"), Value(1.5));
}

TEST(ImportNodesTest, SurvivesCheckpointAndReopen) {
  ScratchDir dir;
  {
    auto db = Database::Open(dir.Sub("db")).value();
    NENDB_ASSERT_OK(Nodes(*db, Spec(TestData("quoting.csv"), "Q", "name")));
    NENDB_ASSERT_OK(db->Close());
  }
  auto db = Database::Open(dir.Sub("db")).value();
  auto rx = Read(*db);
  EXPECT_EQ(rx->NumNodes(), 4u);
  EXPECT_EQ(Prop(*rx, "Q", Key("Bob \"the builder\""), "motto"), Value("line one\r\nline two"));
  EXPECT_EQ(Prop(*rx, "Q", Key("Ada"), "motto"), Value("Count, then compute"));
  EXPECT_EQ(Prop(*rx, "Q", Key("Dee"), "motto"), Value(""));
  EXPECT_TRUE(Prop(*rx, "Q", Key("Cyd"), "motto").is_null());
  EXPECT_TRUE(Prop(*rx, "Q", Key("Dee"), "n").is_null());
  std::string report;
  NENDB_EXPECT_OK(db->Check(&report));
}

}  // namespace
}  // namespace nendb

namespace nendb {
namespace {

// More rows than one bulk batch (2^20): keys, strings and nulls must line up
// across the batch boundary, and edges across theirs.
TEST(ImportBatchesTest, RowsAcrossBatchBoundaries) {
  ScratchDir dir;
  auto db = MemoryDb();
  constexpr int kRows = (1 << 20) + 1000;
  std::string nodes = "id,tag,n\n", edges = "source,target,kind\n";
  nodes.reserve(kRows * 24);
  edges.reserve(kRows * 28);
  for (int i = 0; i < kRows; ++i) {
    const std::string k = "k" + std::to_string(i);
    nodes += k + ",t" + std::to_string(i % 7) + "," + (i % 5 == 0 ? "" : std::to_string(i)) + "\n";
    edges += k + ",k" + std::to_string((i + 1) % kRows) + "," + (i % 50 == 0 ? "A" : "B") + "\n";
  }
  NodeCsv n{WriteCsv(dir, "n.csv", nodes), "K", "id", {}};
  EdgeCsv e;
  e.path = WriteCsv(dir, "e.csv", edges);
  e.source_label = e.target_label = "K";
  e.type_column = "kind";
  NENDB_ASSERT_OK_AND_ASSIGN(auto tx, db->BeginWrite());
  NENDB_ASSERT_OK_AND_ASSIGN(ImportResult rn, ImportNodesCsv(*tx, n));
  NENDB_ASSERT_OK_AND_ASSIGN(ImportResult re, ImportEdgesCsv(*tx, e));
  EXPECT_EQ(rn.nodes_added, uint64_t{kRows});
  EXPECT_EQ(re.edges_added, uint64_t{kRows});
  NENDB_ASSERT_OK(tx->Commit());
  auto rx = Read(*db);
  for (int i : {0, 1, (1 << 20) - 1, 1 << 20, (1 << 20) + 1, kRows - 1}) {
    const Key k("k" + std::to_string(i));
    NENDB_ASSERT_OK_AND_ASSIGN(NodeId id, rx->FindNode("K", k));
    EXPECT_EQ(id, static_cast<NodeId>(i));  // file order
    EXPECT_EQ(Prop(*rx, "K", k, "tag"), Value("t" + std::to_string(i % 7))) << i;
    const Value num = Prop(*rx, "K", k, "n");
    EXPECT_EQ(num, i % 5 == 0 ? Value() : Value(int64_t{i})) << i;
    std::vector<NodeId> out;
    NENDB_ASSERT_OK(rx->Neighbors(id, Direction::kOut, i % 50 == 0 ? "A" : "B", &out));
    EXPECT_EQ(out, std::vector<NodeId>{static_cast<NodeId>((i + 1) % kRows)}) << i;
  }
}

}  // namespace
}  // namespace nendb
