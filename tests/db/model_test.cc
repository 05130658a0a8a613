// Randomized operations checked against a plain in-memory model, across
// commits, rollbacks, checkpoints and reopens.
#include <map>
#include <random>
#include <set>

#include "gtest/gtest.h"
#include "nendb/database.h"
#include "test_util.h"

namespace nendb {
namespace {

struct MNode {
  std::string primary;
  std::set<std::string> labels;
  Key key;
  std::map<std::string, Value> props;
};
struct MEdge {
  NodeId src, dst;
  std::string type;
  double weight;
  std::map<std::string, Value> props;
};
struct Model {
  std::map<NodeId, MNode> nodes;
  std::map<EdgeId, MEdge> edges;
};

class ModelTest : public ::testing::TestWithParam<int> {
 protected:
  void Reopen() {
    db_.reset();
    db_ = Database::Open(dir_.Sub("db")).value();
  }

  template <typename T>
  T Pick(const std::map<uint64_t, T>& m, uint64_t* id) {
    auto it = m.begin();
    std::advance(it, rng_() % m.size());
    *id = it->first;
    return it->second;
  }

  Value RandomValue(const std::string& name) {
    if (name == "x") return Value(static_cast<int64_t>(rng_() % 1000) - 500);
    if (name == "y") return Value(std::string(rng_() % 20, static_cast<char>('a' + rng_() % 26)));
    if (name == "z") return Value(static_cast<double>(rng_() % 1000) / 7);
    return Value(std::vector<float>{float(rng_() % 9), 1.0f, -2.5f});
  }

  std::map<std::string, Value> RandomProps() {
    std::map<std::string, Value> p;
    for (const char* name : {"x", "y", "z", "v"}) {
      if (rng_() % 2) p[name] = RandomValue(name);
    }
    return p;
  }

  static PropertyMap ToMap(const std::map<std::string, Value>& p) {
    return PropertyMap(p.begin(), p.end());
  }

  void Step(WriteTransaction& tx, Model& m) {
    static const char* kLabels[] = {"A", "B", "C"};
    const int op = rng_() % 100;
    if (op < 30 || m.nodes.size() < 2) {  // add node
      MNode n;
      n.primary = kLabels[rng_() % 3];
      n.labels = {n.primary};
      std::vector<std::string> labels = {n.primary};
      if (rng_() % 4 == 0) {
        std::string extra = kLabels[rng_() % 3];
        if (!n.labels.count(extra)) {
          labels.push_back(extra);
          n.labels.insert(extra);
        }
      }
      if (rng_() % 3) n.key = Key(static_cast<int64_t>(rng_() % 200));
      if (rng_() % 3 == 0) n.key = Key("k" + std::to_string(rng_() % 200));
      n.props = RandomProps();
      bool clash = false;
      if (!n.key.empty()) {
        for (const auto& [id, other] : m.nodes) {
          if (other.key == n.key) {
            for (const auto& l : n.labels) clash |= other.labels.count(l) > 0;
          }
        }
      }
      auto r = tx.AddNode(labels, n.key, ToMap(n.props));
      ASSERT_EQ(r.ok(), !clash) << r.status();
      if (clash) {
        EXPECT_EQ(ErrorKindOf(r.status()), ErrorKind::kConstraint);
        return;
      }
      ASSERT_FALSE(m.nodes.count(*r));
      m.nodes[*r] = n;
    } else if (op < 60) {  // add edge
      uint64_t a, b;
      Pick(m.nodes, &a);
      Pick(m.nodes, &b);
      MEdge e{a, b, rng_() % 2 ? "R" : "S", double(rng_() % 100) / 4, {}};
      if (rng_() % 2) e.props["x"] = RandomValue("x");
      auto r = tx.AddEdge(a, b, e.type, e.weight, ToMap(e.props));
      ASSERT_TRUE(r.ok()) << r.status();
      ASSERT_FALSE(m.edges.count(*r));
      m.edges[*r] = e;
    } else if (op < 70) {  // set a property
      uint64_t a;
      Pick(m.nodes, &a);
      const std::string name = std::string(1, "xyzv"[rng_() % 4]);
      Value v = rng_() % 5 ? RandomValue(name) : Value::Null();
      ASSERT_TRUE(tx.SetProperty(a, name, v).ok());
      if (v.is_null()) {
        m.nodes[a].props.erase(name);
      } else {
        m.nodes[a].props[name] = v;
      }
    } else if (op < 80 && !m.edges.empty()) {  // delete an edge
      uint64_t e;
      Pick(m.edges, &e);
      ASSERT_TRUE(tx.DeleteEdge(e).ok());
      m.edges.erase(e);
    } else if (op < 87) {  // delete a node and its edges
      uint64_t a;
      Pick(m.nodes, &a);
      ASSERT_TRUE(tx.DeleteNode(a, true).ok());
      m.nodes.erase(a);
      for (auto it = m.edges.begin(); it != m.edges.end();) {
        it = (it->second.src == a || it->second.dst == a) ? m.edges.erase(it) : std::next(it);
      }
    } else if (op < 94) {  // add a label
      uint64_t a;
      MNode n = Pick(m.nodes, &a);
      const std::string l = kLabels[rng_() % 3];
      bool clash = n.labels.count(l) > 0;
      if (!n.key.empty()) {
        for (const auto& [id, other] : m.nodes)
          clash |= id != a && other.key == n.key && other.labels.count(l);
      }
      absl::Status s = tx.AddLabel(a, l);
      ASSERT_EQ(s.ok(), !clash) << s;
      if (s.ok()) m.nodes[a].labels.insert(l);
    } else {  // remove a label
      uint64_t a;
      MNode n = Pick(m.nodes, &a);
      const std::string l = *std::next(n.labels.begin(), rng_() % n.labels.size());
      absl::Status s = tx.RemoveLabel(a, l);
      ASSERT_EQ(s.ok(), n.labels.size() > 1) << s;
      if (!s.ok()) return;
      MNode& mn = m.nodes[a];
      mn.labels.erase(l);
      if (mn.primary == l) {
        // The new primary is the remaining label interned first.
        std::string best;
        size_t best_rank = 99;
        auto rank = [&](const std::string& x) {
          auto ls = tx.Labels();
          return size_t(std::find(ls.begin(), ls.end(), x) - ls.begin());
        };
        for (const auto& x : mn.labels) {
          if (rank(x) < best_rank) {
            best = x;
            best_rank = rank(x);
          }
        }
        mn.primary = best;
      }
    }
  }

  void Compare(const ReadTransaction& rx, const Model& m) {
    ASSERT_EQ(rx.NumNodes(), m.nodes.size());
    ASSERT_EQ(rx.NumEdges(), m.edges.size());
    for (NodeId id = 0; id < rx.NodeIdBound(); ++id)
      ASSERT_EQ(rx.HasNode(id), m.nodes.count(id) > 0);
    std::map<NodeId, std::multiset<std::pair<NodeId, EdgeId>>> out, in;
    for (const auto& [id, e] : m.edges) {
      out[e.src].insert({e.dst, id});
      in[e.dst].insert({e.src, id});
      auto got = rx.GetEdge(id);
      ASSERT_TRUE(got.ok()) << got.status();
      EXPECT_EQ(got->source, e.src);
      EXPECT_EQ(got->target, e.dst);
      EXPECT_EQ(got->type, e.type);
      EXPECT_EQ(got->weight, e.weight);
      EXPECT_EQ(got->properties, ToMap(e.props));
    }
    for (const auto& [id, n] : m.nodes) {
      auto got = rx.GetNode(id);
      ASSERT_TRUE(got.ok()) << got.status();
      EXPECT_EQ(got->labels[0], n.primary);
      EXPECT_EQ(std::set<std::string>(got->labels.begin(), got->labels.end()), n.labels);
      EXPECT_EQ(got->key, n.key);
      std::map<std::string, Value> props(got->properties.begin(), got->properties.end());
      EXPECT_EQ(props, n.props) << "node " << id;
      if (!n.key.empty()) {
        for (const auto& l : n.labels) EXPECT_EQ(rx.FindNode(l, n.key).value(), id);
      }
      for (Direction d : {Direction::kOut, Direction::kIn}) {
        std::vector<NodeId> nodes;
        std::vector<EdgeId> edges;
        ASSERT_TRUE(rx.Neighbors(id, d, "", &nodes, &edges).ok());
        std::multiset<std::pair<NodeId, EdgeId>> got_pairs;
        for (size_t i = 0; i < nodes.size(); ++i) got_pairs.insert({nodes[i], edges[i]});
        EXPECT_EQ(got_pairs, (d == Direction::kOut ? out : in)[id]) << "node " << id;
      }
    }
  }

  testing::ScratchDir dir_;
  std::unique_ptr<Database> db_;
  std::mt19937_64 rng_{static_cast<uint64_t>(GetParam())};
};

TEST_P(ModelTest, RandomOperationsMatchTheModel) {
  db_ = Database::Open(dir_.Sub("db")).value();
  Model committed;
  for (int round = 0; round < 150; ++round) {
    Model working = committed;
    auto tx = db_->BeginWrite().value();
    const int ops = 1 + rng_() % 8;
    for (int i = 0; i < ops; ++i) {
      Step(*tx, working);
      if (HasFatalFailure()) return;
    }
    if (rng_() % 8 == 0) {
      tx->Rollback();
    } else {
      ASSERT_TRUE(tx->Commit().ok());
      committed = std::move(working);
    }
    tx.reset();
    if (rng_() % 20 == 0) {
      ASSERT_TRUE(db_->Checkpoint().ok());
    }
    if (rng_() % 30 == 0) Reopen();
    if (round % 10 == 9) {
      Compare(*testing::Read(*db_), committed);
      std::string report;
      ASSERT_TRUE(db_->Check(&report).ok()) << report;
    }
  }
  Reopen();
  Compare(*testing::Read(*db_), committed);
}

INSTANTIATE_TEST_SUITE_P(Seeds, ModelTest, ::testing::Range(1, 9));

}  // namespace
}  // namespace nendb
