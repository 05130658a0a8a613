// Nodes: labels, keys, properties, deletes and slot reuse.
#include <algorithm>

#include "gtest/gtest.h"
#include "nendb/database.h"
#include "test_util.h"

namespace nendb {
namespace {

class NodeOpsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = Database::Open(":memory:").value();
    tx_ = db_->BeginWrite().value();
  }
  std::unique_ptr<Database> db_;
  std::unique_ptr<WriteTransaction> tx_;
};

TEST_F(NodeOpsTest, KeysAreUniquePerLabel) {
  NodeId a = tx_->AddNode("Person", Key("alice")).value();
  EXPECT_ERROR_KIND(tx_->AddNode("Person", Key("alice")), kConstraint);
  NodeId c = tx_->AddNode("City", Key("alice")).value();  // another label: fine
  NodeId i = tx_->AddNode("Person", Key(7)).value();
  NodeId s = tx_->AddNode("Person", Key("7")).value();  // int 7 and "7" differ
  EXPECT_EQ(tx_->FindNode("Person", Key("alice")).value(), a);
  EXPECT_EQ(tx_->FindNode("City", Key("alice")).value(), c);
  EXPECT_EQ(tx_->FindNode("Person", Key(7)).value(), i);
  EXPECT_EQ(tx_->FindNode("Person", Key("7")).value(), s);
  EXPECT_ERROR_KIND(tx_->FindNode("Person", Key("bob")), kNotFound);
  EXPECT_ERROR_KIND(tx_->FindNode("Nobody", Key("alice")), kNotFound);
}

TEST_F(NodeOpsTest, FindNodesLooksUpManyKeys) {
  NodeId a = tx_->AddNode("P", Key(10)).value();
  NodeId b = tx_->AddNode("P", Key(20)).value();
  NodeId c = tx_->AddNode("Q", Key("x")).value();
  std::vector<int64_t> ints = {20, 5, 10};
  std::vector<NodeId> out(3);
  BulkKeys keys;
  keys.ints = ints;
  NENDB_ASSERT_OK(tx_->FindNodes("P", keys, absl::MakeSpan(out)));
  EXPECT_EQ(out, (std::vector<NodeId>{b, kNoNode, a}));
  NENDB_ASSERT_OK(tx_->FindNodes("Nope", keys, absl::MakeSpan(out)));
  EXPECT_EQ(out, (std::vector<NodeId>{kNoNode, kNoNode, kNoNode}));
  std::vector<uint64_t> offsets = {0, 1, 2};
  BulkKeys strings;
  strings.strings = StringColumn{offsets, "yx"};
  std::vector<NodeId> two(2);
  NENDB_ASSERT_OK(tx_->FindNodes("Q", strings, absl::MakeSpan(two)));
  EXPECT_EQ(two, (std::vector<NodeId>{kNoNode, c}));
  EXPECT_ERROR_KIND(tx_->FindNodes("Q", strings, absl::MakeSpan(out)), kInvalidArgument);
}

// More keys than one prefetch block, with misses, deleted nodes and nodes
// whose key lives under another label: the batch agrees with FindNode.
TEST_F(NodeOpsTest, FindNodesAgreesWithFindNodeAcrossBlocks) {
  std::vector<int64_t> ints;
  for (int64_t i = 0; i < 300; ++i) {
    const std::string label = i % 5 == 0 ? "Q" : "P";
    NodeId n = tx_->AddNode(label, Key(i)).value();
    if (i % 7 == 0) NENDB_ASSERT_OK(tx_->DeleteNode(n));
    ints.push_back(i % 11 == 0 ? i + 1000 : i);  // some keys no node has
  }
  std::vector<NodeId> out(ints.size());
  BulkKeys keys;
  keys.ints = ints;
  NENDB_ASSERT_OK(tx_->FindNodes("P", keys, absl::MakeSpan(out)));
  size_t found = 0;
  for (size_t i = 0; i < ints.size(); ++i) {
    auto one = tx_->FindNode("P", Key(ints[i]));
    EXPECT_EQ(out[i], one.ok() ? *one : kNoNode) << ints[i];
    found += out[i] != kNoNode;
  }
  EXPECT_GT(found, 150u);
}

TEST_F(NodeOpsTest, ManyKeysSurviveIndexGrowth) {
  for (int i = 0; i < 5000; ++i) {
    NENDB_ASSERT_OK(tx_->AddNode("N", Key(absl::StrCat("name-", i))).status());
  }
  for (int i = 0; i < 5000; i += 7) {
    EXPECT_EQ(tx_->FindNode("N", Key(absl::StrCat("name-", i))).value(), NodeId(i));
  }
  NENDB_ASSERT_OK(tx_->Commit());
}

// Growth regrows the index from its own slots; deletes leave tombstones that
// a regrowth drops; keys come back after their nodes are deleted.
TEST_F(NodeOpsTest, KeysSurviveGrowthDeletesAndReuse) {
  constexpr int kNodes = 30000;
  std::vector<NodeId> ids;
  for (int i = 0; i < kNodes; ++i) {
    ids.push_back(
        tx_->AddNode(i % 2 ? std::vector<std::string>{"A"} : std::vector<std::string>{"A", "B"},
                     Key(int64_t{i}))
            .value());
  }
  for (int i = 0; i < kNodes; i += 3) NENDB_ASSERT_OK(tx_->DeleteNode(ids[i]));
  for (int i = 0; i < kNodes; i += 3) {
    NENDB_ASSERT_OK(tx_->AddNode("A", Key(int64_t{i})).status());  // the key is free again
  }
  for (int i = kNodes; i < 2 * kNodes; ++i) {
    NENDB_ASSERT_OK(tx_->AddNode("A", Key(int64_t{i})).status());  // more growth
  }
  for (int i = 0; i < 2 * kNodes; ++i) {
    auto a = tx_->FindNode("A", Key(int64_t{i}));
    ASSERT_TRUE(a.ok()) << i;
    const bool was_deleted = i < kNodes && i % 3 == 0;
    if (i < kNodes && !was_deleted) {
      EXPECT_EQ(*a, ids[i]);
    }
    const bool in_b = i < kNodes && i % 2 == 0 && !was_deleted;
    EXPECT_EQ(tx_->FindNode("B", Key(int64_t{i})).ok(), in_b) << i;
  }
  EXPECT_ERROR_KIND(tx_->AddNode("A", Key(int64_t{5})), kConstraint);
  NENDB_ASSERT_OK(tx_->Commit());
}

TEST_F(NodeOpsTest, SeveralLabels) {
  NodeId a = tx_->AddNode(std::vector<std::string>{"Person", "Employee"}, Key("ann"), {{"age", 40}})
                 .value();
  Node n = tx_->GetNode(a).value();
  EXPECT_EQ(n.labels, (std::vector<std::string>{"Person", "Employee"}));
  EXPECT_EQ(tx_->FindNode("Employee", Key("ann")).value(), a);
  EXPECT_EQ(tx_->NodesWithLabel("Employee").value(), std::vector<NodeId>{a});
  // Adding a label indexes the key under it; a clash is refused.
  NodeId b = tx_->AddNode("Manager", Key("ann")).value();
  EXPECT_ERROR_KIND(tx_->AddLabel(a, "Manager"), kConstraint);
  NENDB_ASSERT_OK(tx_->AddLabel(a, "Parent"));
  EXPECT_EQ(tx_->FindNode("Parent", Key("ann")).value(), a);
  EXPECT_ERROR_KIND(tx_->AddLabel(a, "Parent"), kInvalidArgument);
  // Removing the primary label moves the properties to the next label.
  NENDB_ASSERT_OK(tx_->RemoveLabel(a, "Person"));
  n = tx_->GetNode(a).value();
  EXPECT_EQ(n.labels, (std::vector<std::string>{"Employee", "Parent"}));
  EXPECT_EQ(n.properties, (PropertyMap{{"age", 40}}));
  EXPECT_ERROR_KIND(tx_->FindNode("Person", Key("ann")), kNotFound);
  NENDB_ASSERT_OK(tx_->RemoveLabel(a, "Parent"));
  EXPECT_ERROR_KIND(tx_->RemoveLabel(a, "Employee"), kInvalidArgument);  // the last one
  EXPECT_ERROR_KIND(tx_->RemoveLabel(b, "Person"), kNotFound);
  EXPECT_EQ(tx_->GetLabelInfo("Employee").value().num_nodes, 1u);
  EXPECT_EQ(tx_->GetLabelInfo("Person").value().num_nodes, 0u);
}

TEST_F(NodeOpsTest, PropertyTypesAreFixedByFirstUse) {
  NodeId a = tx_->AddNode("P", {}, {{"age", 30}, {"name", "A"}}).value();
  NodeId b = tx_->AddNode("P").value();
  EXPECT_ERROR_KIND(tx_->SetProperty(b, "age", 31.5), kInvalidArgument);
  EXPECT_ERROR_KIND(tx_->SetProperty(b, "age", "31"), kInvalidArgument);
  NENDB_EXPECT_OK(tx_->SetProperty(b, "age", 31));
  EXPECT_ERROR_KIND(tx_->AddNode("P", {}, {{"name", 5}}), kInvalidArgument);
  // Another label may use the same name with another type.
  NENDB_EXPECT_OK(tx_->AddNode("Q", {}, {{"age", "old"}}).status());
  // Null removes.
  NENDB_ASSERT_OK(tx_->SetProperty(a, "name", Value::Null()));
  EXPECT_TRUE(tx_->GetProperty(a, "name").value().is_null());
  EXPECT_EQ(tx_->GetNode(a).value().properties, (PropertyMap{{"age", 30}}));
  EXPECT_TRUE(tx_->GetProperty(a, "never-set").value().is_null());
}

TEST_F(NodeOpsTest, AllValueTypesRoundTrip) {
  const PropertyMap props = {
      {"i", int64_t{-5}},        {"f", 2.25},          {"b", true},
      {"s", "héllo, wörld"},     {"e", std::string()}, {"v", std::vector<float>{1, -2, 3.5}},
      {"big", int64_t{1} << 62}, {"nan", std::nan("")}};
  NodeId a = tx_->AddNode("T", Key(int64_t{-1}), props).value();
  Node n = tx_->GetNode(a).value();
  ASSERT_EQ(n.properties.size(), props.size());
  for (size_t i = 0; i + 1 < props.size(); ++i) EXPECT_EQ(n.properties[i], props[i]);
  EXPECT_TRUE(std::isnan(n.properties.back().second.float64()));
  EXPECT_EQ(n.key, Key(int64_t{-1}));
}

TEST_F(NodeOpsTest, DeleteNeedsDetachWhenEdgesRemain) {
  NodeId a = tx_->AddNode("P").value();
  NodeId b = tx_->AddNode("P").value();
  EdgeId e = tx_->AddEdge(a, b, "R").value();
  EXPECT_ERROR_KIND(tx_->DeleteNode(a), kInvalidArgument);
  NENDB_ASSERT_OK(tx_->DeleteNode(a, /*detach=*/true));
  EXPECT_FALSE(tx_->HasNode(a));
  EXPECT_FALSE(tx_->HasEdge(e));
  EXPECT_EQ(tx_->Degree(b, Direction::kBoth).value(), 0u);
  EXPECT_ERROR_KIND(tx_->GetNode(a), kNotFound);
  EXPECT_ERROR_KIND(tx_->DeleteNode(a), kNotFound);
  EXPECT_EQ(tx_->NumNodes(), 1u);
  EXPECT_EQ(tx_->NumEdges(), 0u);
}

TEST_F(NodeOpsTest, DeletedSlotsAreReused) {
  NodeId a = tx_->AddNode("P", Key("a"), {{"x", 1}}).value();
  NENDB_ASSERT_OK(tx_->AddNode("P", Key("b")).status());
  NENDB_ASSERT_OK(tx_->DeleteNode(a));
  EXPECT_ERROR_KIND(tx_->FindNode("P", Key("a")), kNotFound);
  NodeId c = tx_->AddNode("Q", Key("a")).value();
  EXPECT_EQ(c, a);  // the slot came back
  Node n = tx_->GetNode(c).value();
  EXPECT_EQ(n.labels, std::vector<std::string>{"Q"});
  EXPECT_TRUE(n.properties.empty());
  EXPECT_EQ(tx_->NodeIdBound(), 2u);
  NENDB_ASSERT_OK(tx_->AddNode("P", Key("a")).status());  // the key is free again
}

TEST_F(NodeOpsTest, UnknownIdsAreNotFound) {
  EXPECT_ERROR_KIND(tx_->GetNode(0), kNotFound);
  EXPECT_ERROR_KIND(tx_->GetNode(kNoNode), kNotFound);
  EXPECT_ERROR_KIND(tx_->SetProperty(3, "x", 1), kNotFound);
  EXPECT_ERROR_KIND(tx_->AddLabel(3, "x"), kNotFound);
  std::vector<NodeId> out;
  EXPECT_ERROR_KIND(tx_->Neighbors(3, Direction::kOut, "", &out), kNotFound);
  EXPECT_ERROR_KIND(tx_->NodesWithLabel("none"), kNotFound);
}

}  // namespace
}  // namespace nendb
