// ImportTriples: one node per distinct name (also across calls), predicates
// as edge types, names with commas and non-ASCII characters, bad rows.
#include <string>

#include "gtest/gtest.h"
#include "import/import_test_util.h"
#include "nendb/import.h"

namespace nendb {
namespace {

using testing::Example;
using testing::MemoryDb;
using testing::Read;
using testing::ScratchDir;
using testing::TestData;
using testing::Triples;
using testing::WriteCsv;

TriplesCsv Spec(const std::string& path, const std::string& label = "Entity") {
  TriplesCsv spec;
  spec.path = path;
  spec.label = label;
  return spec;
}

std::vector<std::string> OutNames(const ReadTransaction& rx, NodeId node, const std::string& type) {
  std::vector<NodeId> nbrs;
  EXPECT_TRUE(rx.Neighbors(node, Direction::kOut, type, &nbrs).ok());
  std::vector<std::string> out;
  for (NodeId n : nbrs) out.push_back(rx.GetNode(n).value().key.string());
  std::sort(out.begin(), out.end());
  return out;
}

TEST(ImportTriplesTest, ScienceTriples) {
  auto db = MemoryDb();
  NENDB_ASSERT_OK_AND_ASSIGN(ImportResult r, Triples(*db, Spec(Example("science_triples.csv"))));
  EXPECT_EQ(r.rows, 131u);  // the header row is not data
  EXPECT_EQ(r.edges_added, 131u);
  EXPECT_EQ(r.nodes_added, 121u);
  auto rx = Read(*db);
  EXPECT_EQ(rx->NumNodes(), 121u);
  EXPECT_EQ(rx->NumEdges(), 131u);
  EXPECT_EQ(rx->EdgeTypes().size(), 27u);
  NENDB_ASSERT_OK_AND_ASSIGN(NodeId ada, rx->FindNode("Entity", Key("Ada Lovelace")));
  EXPECT_EQ(OutNames(*rx, ada, "worked_with"), std::vector<std::string>{"Charles Babbage"});
  EXPECT_EQ(OutNames(*rx, ada, "born_in"), std::vector<std::string>{"London"});
  // "Analytical Engine" is one node, reached from Ada and from Babbage.
  NENDB_ASSERT_OK_AND_ASSIGN(NodeId engine, rx->FindNode("Entity", Key("Analytical Engine")));
  std::vector<NodeId> in;
  NENDB_ASSERT_OK(rx->Neighbors(engine, Direction::kIn, "", &in));
  EXPECT_GE(in.size(), 2u);
  NENDB_ASSERT_OK_AND_ASSIGN(NodeId goedel, rx->FindNode("Entity", Key("Kurt Gödel")));
  EXPECT_EQ(OutNames(*rx, goedel, "friend_of"), std::vector<std::string>{"Albert Einstein"});
  EXPECT_TRUE(rx->FindNode("Entity", Key("Backus–Naur form")).ok());
  EXPECT_FALSE(rx->FindNode("Entity", Key("subject")).ok());
}

TEST(ImportTriplesTest, CommasAndNonAsciiNamesWithoutHeader) {
  auto db = MemoryDb();
  NENDB_ASSERT_OK_AND_ASSIGN(ImportResult r,
                             Triples(*db, Spec(TestData("triples_tricky.csv"), "Thing")));
  EXPECT_EQ(r.rows, 5u);
  EXPECT_EQ(r.nodes_added, 7u);
  auto rx = Read(*db);
  NENDB_ASSERT_OK_AND_ASSIGN(NodeId john, rx->FindNode("Thing", Key("Smith, John")));
  EXPECT_EQ(OutNames(*rx, john, "knows"), std::vector<std::string>{"Müller, Jürgen"});
  EXPECT_EQ(OutNames(*rx, john, "lives_in"), std::vector<std::string>{"New York, NY"});
  NENDB_ASSERT_OK_AND_ASSIGN(NodeId tokyo, rx->FindNode("Thing", Key("東京")));
  EXPECT_EQ(OutNames(*rx, tokyo, "located_in"), std::vector<std::string>{"日本"});
  EXPECT_FALSE(rx->FindNode("Thing", Key("Smith")).ok());
}

TEST(ImportTriplesTest, NamesAreReusedAcrossCalls) {
  ScratchDir dir;
  auto db = MemoryDb();
  NENDB_ASSERT_OK(Triples(*db, Spec(WriteCsv(dir, "a.csv", "a,likes,b\nb,likes,c\n"))));
  NENDB_ASSERT_OK_AND_ASSIGN(
      ImportResult r,
      Triples(*db,
              Spec(WriteCsv(dir, "b.csv", "Subject,PREDICATE,object\nc,likes,a\nc,hates,d\n"))));
  EXPECT_EQ(r.rows, 2u);
  EXPECT_EQ(r.nodes_added, 1u);  // only d is new
  auto rx = Read(*db);
  EXPECT_EQ(rx->NumNodes(), 4u);
  EXPECT_EQ(rx->NumEdges(), 4u);
  NENDB_ASSERT_OK_AND_ASSIGN(NodeId c, rx->FindNode("Entity", Key("c")));
  EXPECT_EQ(OutNames(*rx, c, "likes"), std::vector<std::string>{"a"});
  EXPECT_EQ(OutNames(*rx, c, "hates"), std::vector<std::string>{"d"});
}

TEST(ImportTriplesTest, LongNamesAreKeptWhole) {
  ScratchDir dir;
  auto db = MemoryDb();
  const std::string a(4000, 'a'), b = std::string(3999, 'a') + "b";  // share a long prefix
  NENDB_ASSERT_OK_AND_ASSIGN(
      ImportResult r,
      Triples(*db, Spec(WriteCsv(dir, "t.csv", a + ",r," + b + "\n" + b + ",r," + a + "\n"))));
  EXPECT_EQ(r.nodes_added, 2u);
  auto rx = Read(*db);
  EXPECT_EQ(rx->GetNode(rx->FindNode("Entity", Key(a)).value()).value().key, Key(a));
  EXPECT_TRUE(rx->FindNode("Entity", Key(b)).ok());
}

TEST(ImportTriplesTest, BadRows) {
  ScratchDir dir;
  auto db = MemoryDb();
  const std::string path = WriteCsv(dir, "t.csv",
                                    "subject,predicate,object\n"
                                    "a,r,b\n"
                                    "a,r\n"
                                    ",r,b\n"
                                    "a,,b\n"
                                    "a,r,b,c\n"
                                    "b,r,c\n");
  auto r = Triples(*db, Spec(path));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(), path +
                                      ":3: the row has 2 cells; a triple has 3 "
                                      "(subject, predicate, object)");
  EXPECT_EQ(Read(*db)->NumNodes(), 0u);
  TriplesCsv skip = Spec(path);
  skip.format.skip_bad_rows = true;
  NENDB_ASSERT_OK_AND_ASSIGN(ImportResult ok, Triples(*db, skip));
  EXPECT_EQ(ok.rows, 6u);
  EXPECT_EQ(ok.rows_skipped, 4u);
  EXPECT_EQ(ok.edges_added, 2u);
  EXPECT_EQ(ok.nodes_added, 3u);
  ASSERT_EQ(ok.skipped.size(), 4u);
  EXPECT_EQ(ok.skipped[1], path + ":4: the subject in column \"1\" is empty");
  EXPECT_EQ(ok.skipped[2], path + ":5: the predicate must not be empty");
}

TEST(ImportTriplesTest, StrictLabelFailsBeforeInserting) {
  ScratchDir dir;
  auto db = MemoryDb();
  NENDB_ASSERT_OK_AND_ASSIGN(auto tx, db->BeginWrite());
  LabelSchema schema;
  schema.properties = {PropertySpec{"born", ValueType::kInt64, 0, true}};
  NENDB_ASSERT_OK(tx->DefineLabel("Person", schema));
  auto r = ImportTriples(*tx, Spec(Example("science_triples.csv"), "Person"));
  EXPECT_ERROR_KIND(r, kConstraint);
  EXPECT_EQ(tx->NumNodes(), 0u);
  EXPECT_EQ(tx->NumEdges(), 0u);
  EXPECT_TRUE(tx->EdgeTypes().empty());
}

}  // namespace
}  // namespace nendb
