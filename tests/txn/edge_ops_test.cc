// Edges: adjacency in both directions, types, weights, deletes, id reuse.
#include "gtest/gtest.h"
#include "nendb/database.h"
#include "test_util.h"

namespace nendb {
namespace {

class EdgeOpsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = Database::Open(dir_.Sub("db")).value();
    tx_ = db_->BeginWrite().value();
    for (int i = 0; i < 4; ++i) n_.push_back(tx_->AddNode("N", Key(i)).value());
  }
  std::vector<NodeId> Nbrs(NodeId v, Direction d, absl::string_view type = "") {
    std::vector<NodeId> out;
    EXPECT_TRUE(tx_->Neighbors(v, d, type, &out).ok());
    std::sort(out.begin(), out.end());
    return out;
  }
  testing::ScratchDir dir_;
  std::unique_ptr<Database> db_;
  std::unique_ptr<WriteTransaction> tx_;
  std::vector<NodeId> n_;
};

TEST_F(EdgeOpsTest, DirectionsTypesParallelEdgesAndSelfLoops) {
  NENDB_ASSERT_OK(tx_->AddEdge(n_[0], n_[1], "A").status());
  NENDB_ASSERT_OK(tx_->AddEdge(n_[0], n_[1], "A").status());  // parallel
  NENDB_ASSERT_OK(tx_->AddEdge(n_[0], n_[2], "B").status());
  NENDB_ASSERT_OK(tx_->AddEdge(n_[3], n_[0], "A").status());
  NENDB_ASSERT_OK(tx_->AddEdge(n_[0], n_[0], "L").status());  // self-loop
  EXPECT_EQ(Nbrs(n_[0], Direction::kOut), (std::vector<NodeId>{0, 1, 1, 2}));
  EXPECT_EQ(Nbrs(n_[0], Direction::kIn), (std::vector<NodeId>{0, 3}));
  EXPECT_EQ(Nbrs(n_[0], Direction::kBoth), (std::vector<NodeId>{0, 1, 1, 2, 3}));
  EXPECT_EQ(Nbrs(n_[0], Direction::kOut, "A"), (std::vector<NodeId>{1, 1}));
  EXPECT_TRUE(Nbrs(n_[0], Direction::kOut, "missing").empty());
  EXPECT_EQ(tx_->Degree(n_[0], Direction::kOut).value(), 4u);
  EXPECT_EQ(tx_->Degree(n_[0], Direction::kBoth).value(), 5u);
  EXPECT_EQ(tx_->Degree(n_[0], Direction::kIn, "A").value(), 1u);
  // The same after a checkpoint folds the edges into the compact base.
  NENDB_ASSERT_OK(tx_->Commit());
  NENDB_ASSERT_OK(db_->Checkpoint());
  tx_ = db_->BeginWrite().value();
  EXPECT_EQ(Nbrs(n_[0], Direction::kBoth), (std::vector<NodeId>{0, 1, 1, 2, 3}));
  EXPECT_EQ(tx_->Degree(n_[0], Direction::kOut).value(), 4u);
}

TEST_F(EdgeOpsTest, NeighborsReportEdgeIds) {
  EdgeId e1 = tx_->AddEdge(n_[1], n_[2], "A", 0.5).value();
  EdgeId e2 = tx_->AddEdge(n_[1], n_[3], "B").value();
  std::vector<NodeId> nodes;
  std::vector<EdgeId> edges;
  NENDB_ASSERT_OK(tx_->Neighbors(n_[1], Direction::kOut, "", &nodes, &edges));
  EXPECT_EQ(nodes, (std::vector<NodeId>{2, 3}));
  EXPECT_EQ(edges, (std::vector<EdgeId>{e1, e2}));
  EXPECT_EQ(tx_->GetEdge(e1).value().weight, 0.5);
  NENDB_ASSERT_OK(tx_->SetWeight(e1, 4.0));
  EXPECT_EQ(tx_->GetEdge(e1).value().weight, 4.0);
  NENDB_ASSERT_OK(tx_->SetEdgeProperty(e2, "note", "hi"));
  EXPECT_EQ(tx_->GetEdgeProperty(e2, "note").value(), Value("hi"));
  EXPECT_ERROR_KIND(tx_->SetEdgeProperty(e2, "note", 1), kInvalidArgument);
}

TEST_F(EdgeOpsTest, DeletedEdgesDisappearAndStaleIdsStayDead) {
  EdgeId e = tx_->AddEdge(n_[0], n_[1], "A", 1.0, {{"p", 1}}).value();
  NENDB_ASSERT_OK(tx_->AddEdge(n_[0], n_[2], "A").status());
  NENDB_ASSERT_OK(tx_->DeleteEdge(e));
  EXPECT_EQ(Nbrs(n_[0], Direction::kOut), std::vector<NodeId>{2});
  EXPECT_EQ(Nbrs(n_[1], Direction::kIn), std::vector<NodeId>{});
  EXPECT_ERROR_KIND(tx_->DeleteEdge(e), kNotFound);
  EXPECT_ERROR_KIND(tx_->GetEdge(e), kNotFound);
  NENDB_ASSERT_OK(tx_->Commit());
  NENDB_ASSERT_OK(db_->Checkpoint());  // the slot becomes reusable
  tx_ = db_->BeginWrite().value();
  EdgeId f = tx_->AddEdge(n_[2], n_[3], "B").value();
  EXPECT_EQ(static_cast<uint32_t>(f), static_cast<uint32_t>(e));  // same slot
  EXPECT_NE(f, e);                                                // new generation
  EXPECT_ERROR_KIND(tx_->GetEdge(e), kNotFound);
  EXPECT_EQ(tx_->GetEdge(f).value().source, n_[2]);
  EXPECT_TRUE(tx_->GetEdge(f).value().properties.empty());
}

TEST_F(EdgeOpsTest, EdgeTypeInfoCountsEdges) {
  EdgeId e = tx_->AddEdge(n_[0], n_[1], "A", 1.0, {{"since", 1999}}).value();
  NENDB_ASSERT_OK(tx_->AddEdge(n_[1], n_[2], "A").status());
  NENDB_ASSERT_OK(tx_->AddEdge(n_[1], n_[2], "B").status());
  NENDB_ASSERT_OK(tx_->DeleteEdge(e));
  EdgeTypeInfo a = tx_->GetEdgeTypeInfo("A").value();
  EXPECT_EQ(a.num_edges, 1u);
  ASSERT_EQ(a.columns.size(), 1u);
  EXPECT_EQ(a.columns[0].name, "since");
  EXPECT_EQ(tx_->GetEdgeTypeInfo("B").value().num_edges, 1u);
  EXPECT_ERROR_KIND(tx_->GetEdgeTypeInfo("C"), kNotFound);
  NENDB_ASSERT_OK(tx_->Commit());
  NENDB_ASSERT_OK(db_->Close());
  db_ = Database::Open(dir_.Sub("db")).value();
  auto rx = db_->BeginRead().value();
  EXPECT_EQ(rx->GetEdgeTypeInfo("A").value().num_edges, 1u);
}

TEST_F(EdgeOpsTest, BadEdgesAreRefused) {
  EXPECT_ERROR_KIND(tx_->AddEdge(n_[0], 99, "A"), kNotFound);
  EXPECT_ERROR_KIND(tx_->AddEdge(99, n_[0], "A"), kNotFound);
  EXPECT_ERROR_KIND(tx_->AddEdge(n_[0], n_[1], "A", std::nan("")), kInvalidArgument);
  EXPECT_ERROR_KIND(tx_->AddEdge(n_[0], n_[1], "A", INFINITY), kInvalidArgument);
  EXPECT_ERROR_KIND(tx_->AddEdge(n_[0], n_[1], ""), kInvalidArgument);
  EXPECT_ERROR_KIND(tx_->GetEdge(12345), kNotFound);
  EXPECT_EQ(tx_->NumEdges(), 0u);
  EXPECT_TRUE(tx_->EdgeTypes().empty());
}

TEST_F(EdgeOpsTest, ManySmallInsertsCompactTheAdjacency) {
  // Enough single inserts to cross the delta threshold and trigger rebuilds.
  for (int i = 0; i < 70000; ++i) {
    NENDB_ASSERT_OK(tx_->AddEdge(n_[i % 4], n_[(i + 1) % 4], "E").status());
  }
  NENDB_ASSERT_OK(tx_->Commit());
  tx_ = db_->BeginWrite().value();
  EXPECT_EQ(tx_->Degree(n_[0], Direction::kOut).value(), 17500u);
  EXPECT_EQ(tx_->Degree(n_[1], Direction::kIn).value(), 17500u);
  std::string report;
  EXPECT_TRUE(db_->Check(&report).ok()) << report;
}

}  // namespace
}  // namespace nendb
