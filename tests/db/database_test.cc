#include "nendb/database.h"

#include "gtest/gtest.h"
#include "test_util.h"

namespace nendb {
namespace {

using testing::ScratchDir;

TEST(DatabaseTest, AddReadCheckpointReopen) {
  ScratchDir dir;
  const std::string path = dir.Sub("db");
  NodeId a, b;
  EdgeId e;
  {
    NENDB_ASSERT_OK_AND_ASSIGN(auto db, Database::Open(path));
    NENDB_ASSERT_OK_AND_ASSIGN(auto tx, db->BeginWrite());
    NENDB_ASSERT_OK_AND_ASSIGN(a, tx->AddNode("Person", Key("alice"), {{"age", 30}}));
    NENDB_ASSERT_OK_AND_ASSIGN(b, tx->AddNode("Person", Key("bob"), {{"name", "Bob"}}));
    NENDB_ASSERT_OK_AND_ASSIGN(e, tx->AddEdge(a, b, "KNOWS", 2.0, {{"since", 2020}}));
    NENDB_ASSERT_OK(tx->Commit());
    NENDB_ASSERT_OK_AND_ASSIGN(auto rx, db->BeginRead());
    EXPECT_EQ(rx->NumNodes(), 2u);
    NENDB_ASSERT_OK_AND_ASSIGN(NodeId found, rx->FindNode("Person", Key("bob")));
    EXPECT_EQ(found, b);
    NENDB_ASSERT_OK(db->Close());
  }
  NENDB_ASSERT_OK_AND_ASSIGN(auto db, Database::Open(path));
  NENDB_ASSERT_OK_AND_ASSIGN(auto rx, db->BeginRead());
  EXPECT_EQ(rx->NumNodes(), 2u);
  EXPECT_EQ(rx->NumEdges(), 1u);
  NENDB_ASSERT_OK_AND_ASSIGN(Node na, rx->GetNode(a));
  EXPECT_EQ(na.key, Key("alice"));
  ASSERT_EQ(na.properties.size(), 1u);
  EXPECT_EQ(na.properties[0].second, Value(30));
  NENDB_ASSERT_OK_AND_ASSIGN(Edge ed, rx->GetEdge(e));
  EXPECT_EQ(ed.source, a);
  EXPECT_EQ(ed.target, b);
  EXPECT_EQ(ed.weight, 2.0);
  EXPECT_EQ(ed.type, "KNOWS");
  std::vector<NodeId> nbrs;
  NENDB_ASSERT_OK(rx->Neighbors(a, Direction::kOut, "", &nbrs));
  EXPECT_EQ(nbrs, std::vector<NodeId>{b});
  std::string report;
  NENDB_EXPECT_OK(db->Check(&report));
}

}  // namespace
}  // namespace nendb
