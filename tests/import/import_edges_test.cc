// ImportEdgesCsv: the example graphs end to end, type columns, weights,
// properties, missing nodes and all-or-nothing failures.
#include <string>

#include "gtest/gtest.h"
#include "import/import_test_util.h"
#include "nendb/import.h"

namespace nendb {
namespace {

using testing::Edges;
using testing::Example;
using testing::MemoryDb;
using testing::Nodes;
using testing::Read;
using testing::ScratchDir;
using testing::TestData;
using testing::WriteCsv;

NodeCsv NodeSpec(const std::string& path, const std::string& label, const std::string& key) {
  NodeCsv spec;
  spec.path = path;
  spec.label = label;
  spec.key_column = key;
  return spec;
}

EdgeCsv EdgeSpec(const std::string& path, const std::string& label, const std::string& type) {
  EdgeCsv spec;
  spec.path = path;
  spec.source_label = spec.target_label = label;
  spec.type = type;
  return spec;
}

// The weight of the one edge from a to b.
double WeightBetween(const ReadTransaction& rx, const std::string& label, const Key& a,
                     const Key& b) {
  const NodeId na = rx.FindNode(label, a).value();
  const NodeId nb = rx.FindNode(label, b).value();
  std::vector<NodeId> nbrs;
  std::vector<EdgeId> edges;
  EXPECT_TRUE(rx.Neighbors(na, Direction::kOut, "", &nbrs, &edges).ok());
  for (size_t i = 0; i < nbrs.size(); ++i) {
    if (nbrs[i] == nb) return rx.GetEdge(edges[i]).value().weight;
  }
  ADD_FAILURE() << "no edge " << a.DebugString() << " -> " << b.DebugString();
  return -1;
}

TEST(ImportEdgesTest, LesMiserables) {
  auto db = MemoryDb();
  NENDB_ASSERT_OK(Nodes(*db, NodeSpec(Example("lesmis_characters.csv"), "Character", "name")));
  EdgeCsv spec = EdgeSpec(Example("lesmis_cooccurrence.csv"), "Character", "APPEARS_WITH");
  spec.weight_column = "weight";
  NENDB_ASSERT_OK_AND_ASSIGN(ImportResult r, Edges(*db, spec));
  EXPECT_EQ(r.rows, 254u);
  EXPECT_EQ(r.edges_added, 254u);
  EXPECT_EQ(r.nodes_added, 0u);
  auto rx = Read(*db);
  EXPECT_EQ(rx->NumNodes(), 77u);
  EXPECT_EQ(rx->NumEdges(), 254u);
  EXPECT_EQ(rx->EdgeTypes(), std::vector<std::string>{"APPEARS_WITH"});
  std::vector<EdgeId> ids;
  std::vector<double> weights;
  NENDB_ASSERT_OK(rx->ScanEdges("APPEARS_WITH", &ids, nullptr, nullptr, &weights));
  double total = 0;
  for (double w : weights) total += w;
  EXPECT_EQ(total, 820.0);
  EXPECT_EQ(WeightBetween(*rx, "Character", Key("Myriel"), Key("MlleBaptistine")), 8.0);
  EXPECT_EQ(WeightBetween(*rx, "Character", Key("Babet"), Key("Claquesous")), 4.0);
  NENDB_ASSERT_OK_AND_ASSIGN(Edge e, rx->GetEdge(ids[0]));
  EXPECT_TRUE(e.properties.empty());  // source, target and weight are no properties
  NENDB_ASSERT_OK_AND_ASSIGN(NodeId valjean, rx->FindNode("Character", Key("Valjean")));
  EXPECT_EQ(rx->Degree(valjean, Direction::kBoth).value(), 36u);
}

TEST(ImportEdgesTest, KarateClubWithIntegerKeysInOneTransaction) {
  auto db = MemoryDb();
  NENDB_ASSERT_OK_AND_ASSIGN(auto tx, db->BeginWrite());
  NENDB_ASSERT_OK(ImportNodesCsv(*tx, NodeSpec(Example("karate_members.csv"), "Member", "id")));
  EdgeCsv spec = EdgeSpec(Example("karate_edges.csv"), "Member", "KNOWS");
  spec.weight_column = "weight";
  NENDB_ASSERT_OK_AND_ASSIGN(ImportResult r, ImportEdgesCsv(*tx, spec));
  EXPECT_EQ(r.edges_added, 78u);
  NENDB_ASSERT_OK(tx->Commit());
  auto rx = Read(*db);
  EXPECT_EQ(rx->NumEdges(), 78u);
  EXPECT_EQ(WeightBetween(*rx, "Member", Key(0), Key(1)), 4.0);
  EXPECT_EQ(rx->Degree(rx->FindNode("Member", Key(33)).value(), Direction::kBoth).value(), 17u);
}

TEST(ImportEdgesTest, TypeColumnWeightsAndProperties) {
  ScratchDir dir;
  auto db = MemoryDb();
  const std::string nodes = WriteCsv(dir, "n.csv", "id\na\nb\nc\n");
  NENDB_ASSERT_OK(Nodes(*db, NodeSpec(nodes, "P", "id")));
  EdgeCsv spec;
  spec.path = TestData("edges_typed.csv");
  spec.source_column = "from";
  spec.target_column = "to";
  spec.source_label = spec.target_label = "P";
  spec.type_column = "kind";
  spec.weight_column = "w";
  NENDB_ASSERT_OK_AND_ASSIGN(ImportResult r, Edges(*db, spec));
  EXPECT_EQ(r.edges_added, 4u);
  auto rx = Read(*db);
  auto types = rx->EdgeTypes();
  std::sort(types.begin(), types.end());
  EXPECT_EQ(types, (std::vector<std::string>{"COLLEAGUE", "FRIEND"}));
  std::vector<EdgeId> ids;
  std::vector<NodeId> src, dst;
  std::vector<double> w;
  NENDB_ASSERT_OK(rx->ScanEdges("FRIEND", &ids, &src, &dst, &w));
  ASSERT_EQ(ids.size(), 3u);
  EXPECT_EQ(w, (std::vector<double>{2.5, 1.0, 0.25}));  // file order; empty weight is 1
  NENDB_ASSERT_OK_AND_ASSIGN(Edge e, rx->GetEdge(ids[1]));
  EXPECT_EQ(e.source, rx->FindNode("P", Key("b")).value());
  EXPECT_EQ(e.target, rx->FindNode("P", Key("c")).value());
  EXPECT_EQ(e.properties, (PropertyMap{{"since", Value(2005)}}));
  NENDB_ASSERT_OK(rx->ScanEdges("COLLEAGUE", &ids, nullptr, nullptr, nullptr));
  ASSERT_EQ(ids.size(), 1u);
  NENDB_ASSERT_OK_AND_ASSIGN(Edge c, rx->GetEdge(ids[0]));
  EXPECT_TRUE(c.properties.empty());  // its "since" is empty
  EXPECT_EQ(c.weight, 1.0);
}

TEST(ImportEdgesTest, MissingNodesAndBadWeights) {
  ScratchDir dir;
  auto db = MemoryDb();
  NENDB_ASSERT_OK(Nodes(*db, NodeSpec(WriteCsv(dir, "n.csv", "id\n1\n2\n3\n"), "N", "id")));
  const std::string path = WriteCsv(dir, "e.csv",
                                    "source,target,weight\n1,2,1.5\n1,9,1\n2,3,"
                                    "nan\n3,1,inf\n3,2,heavy\n,1,1\n2,1,\n");
  EdgeCsv spec = EdgeSpec(path, "N", "LINK");
  spec.weight_column = "weight";
  auto r = Edges(*db, spec);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(r.status().message(), path +
                                      ":3: no node with label \"N\" has key \"9\" (the target "
                                      "in column \"target\")");
  EXPECT_EQ(Read(*db)->NumEdges(), 0u);
  spec.format.skip_bad_rows = true;
  NENDB_ASSERT_OK_AND_ASSIGN(ImportResult ok, Edges(*db, spec));
  EXPECT_EQ(ok.rows, 7u);
  EXPECT_EQ(ok.edges_added, 2u);
  EXPECT_EQ(ok.rows_skipped, 5u);
  ASSERT_EQ(ok.skipped.size(), 5u);
  EXPECT_EQ(ok.skipped[1], path + ":4: weight column \"weight\": nan is not a finite number");
  EXPECT_EQ(ok.skipped[2], path + ":5: weight column \"weight\": inf is not a finite number");
  EXPECT_EQ(ok.skipped[3], path + ":6: weight column \"weight\": \"heavy\" is not a float64");
  EXPECT_EQ(ok.skipped[4], path + ":7: the source key in column \"source\" is empty");
  auto rx = Read(*db);
  std::vector<double> w;
  NENDB_ASSERT_OK(rx->ScanEdges("LINK", nullptr, nullptr, nullptr, &w));
  EXPECT_EQ(w, (std::vector<double>{1.5, 1.0}));
}

TEST(ImportEdgesTest, StringKeysThatLookLikeNumbers) {
  ScratchDir dir;
  auto db = MemoryDb();
  NodeCsv nodes = NodeSpec(WriteCsv(dir, "n.csv", "code\n007\n42\n"), "Agent", "code");
  nodes.format.types = {{"code", ValueType::kString}};
  NENDB_ASSERT_OK(Nodes(*db, nodes));
  NENDB_ASSERT_OK_AND_ASSIGN(
      ImportResult r, Edges(*db, EdgeSpec(WriteCsv(dir, "e.csv", "source,target\n007,42\n42,007\n"),
                                          "Agent", "KNOWS")));
  EXPECT_EQ(r.edges_added, 2u);
  auto rx = Read(*db);
  EXPECT_EQ(rx->Degree(rx->FindNode("Agent", Key("007")).value(), Direction::kOut).value(), 1u);
}

TEST(ImportEdgesTest, SpecAndHeaderProblems) {
  ScratchDir dir;
  auto db = MemoryDb();
  NENDB_ASSERT_OK(Nodes(*db, NodeSpec(WriteCsv(dir, "n.csv", "id\n1\n2\n"), "N", "id")));
  const std::string path = WriteCsv(dir, "e.csv", "a,b\n1,2\n");
  EdgeCsv spec = EdgeSpec(path, "N", "T");
  auto r = Edges(*db, spec);
  EXPECT_EQ(r.status().message(), path +
                                      ": the header has no source column "
                                      "\"source\"; its columns are: a, b");
  spec.source_column = "a";
  spec.target_column = "b";
  spec.type_column = "kind";
  EXPECT_EQ(Edges(*db, spec).status().code(),
            absl::StatusCode::kInvalidArgument);  // both
  spec.type_column.clear();
  spec.source_label = "Nobody";
  r = Edges(*db, spec);
  EXPECT_ERROR_KIND(r, kNotFound);
  EXPECT_NE(r.status().message().find("\"Nobody\""), std::string::npos);
  spec.source_label = "N";
  spec.type = std::string(300, 't');
  EXPECT_EQ(Edges(*db, spec).status().code(), absl::StatusCode::kInvalidArgument);
  spec.type = "T";
  NENDB_ASSERT_OK(Edges(*db, spec));
  EXPECT_EQ(Read(*db)->NumEdges(), 1u);
}

TEST(ImportEdgesTest, FailureLeavesTheTransactionUnchanged) {
  ScratchDir dir;
  auto db = MemoryDb();
  NENDB_ASSERT_OK(Nodes(*db, NodeSpec(WriteCsv(dir, "n.csv", "id\n1\n2\n"), "N", "id")));
  NENDB_ASSERT_OK_AND_ASSIGN(auto tx, db->BeginWrite());
  NENDB_ASSERT_OK(tx->AddEdge(0, 1, "B", 1.0, {{"p", Value("text")}}).status());
  // Type A would go in first; type B's "p" column holds strings, so the file
  // fails as a whole.
  EdgeCsv spec = EdgeSpec(WriteCsv(dir, "e.csv", "source,target,t,p\n1,2,A,5\n2,1,B,6\n"), "N", "");
  spec.type_column = "t";
  auto r = ImportEdgesCsv(*tx, spec);
  EXPECT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(r.status().message().find("e.csv: property \"p\" of edge type \"B\""),
            std::string::npos)
      << r.status();
  EXPECT_EQ(tx->NumEdges(), 1u);
  EXPECT_EQ(tx->EdgeTypes(), std::vector<std::string>{"B"});
  // The last row has a bad type name.
  spec.path = WriteCsv(dir, "f.csv", "source,target,t,p\n1,2,A,x\n2,1,\"bad\ttype\",y\n");
  r = ImportEdgesCsv(*tx, spec);
  EXPECT_NE(
      r.status().message().find("f.csv:3: column \"t\": the edge type \"bad\\ttype\" contains "
                                "a control character"),
      std::string::npos)
      << r.status();
  EXPECT_EQ(tx->NumEdges(), 1u);
  spec.path = WriteCsv(dir, "g.csv", "source,target,t,p\n1,2,A,x\n2,1,B,y\n");
  NENDB_ASSERT_OK_AND_ASSIGN(ImportResult ok, ImportEdgesCsv(*tx, spec));
  EXPECT_EQ(ok.edges_added, 2u);
  EXPECT_EQ(tx->NumEdges(), 3u);
}

}  // namespace
}  // namespace nendb
