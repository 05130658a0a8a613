// mp_worker: a process of the multi-process stress test (multiprocess_test.cc).
//
//   mp_worker writer DIR ID SYNC STOP   commit transactions until file STOP exists
//   mp_worker reader DIR ID STOP        check invariants until file STOP exists
//
// Writer ID's transaction c (key ID << 32 | c) adds 1 to 5 W nodes, each with
// t = the transaction's key and an edge IN to the transaction's C node, and
// that C node with n = the number of W nodes and sum = the sum of their keys;
// sometimes a bulk batch of W nodes. It prints "ack KEY" once Commit() has
// returned, and "slow MS" if waiting for the write lock took over a second.
// Now and then it rolls a transaction back or checkpoints. Killed and started
// again, it continues after the last transaction of its own the database
// holds.
//
// A reader checks every snapshot it reads: sequences never go backwards;
// the W nodes number exactly the sum of the C nodes' n (no partial
// transaction); for a sample of C nodes, their W nodes are there with the
// right t and sum and an edge to them; an old snapshot held for a while still
// reads the same; every few reads the full Check(). It prints "violation
// TEXT" for each problem and "reads N" at the end.
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <random>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "nendb/database.h"

namespace nendb {
namespace {

using Clock = std::chrono::steady_clock;

void Say(const std::string& line) {
  const std::string out = line + "\n";
  if (::write(STDOUT_FILENO, out.data(), out.size()) != static_cast<ssize_t>(out.size())) _exit(3);
}

[[noreturn]] void Die(const std::string& what, const absl::Status& s) {
  Say(absl::StrCat("error ", what, ": ", s.ToString()));
  _exit(2);
}

uint64_t TxnKey(uint64_t writer, uint64_t counter) { return writer << 32 | counter; }

// The first counter of this writer the database does not hold (they form a
// prefix: each writer commits in order).
uint64_t NextCounter(const Database& db, uint64_t writer) {
  auto rx = db.BeginRead();
  if (!rx.ok()) Die("begin read", rx.status());
  auto has = [&](uint64_t c) {
    return (*rx)->FindNode("C", Key(static_cast<int64_t>(TxnKey(writer, c)))).ok();
  };
  if (!has(0)) return 0;
  uint64_t lo = 0, hi = 1;  // has(lo), and hi unknown
  while (has(hi)) {
    lo = hi;
    hi *= 2;
  }
  while (hi - lo > 1) {
    const uint64_t mid = lo + (hi - lo) / 2;
    (has(mid) ? lo : hi) = mid;
  }
  return hi;
}

absl::Status OneTransaction(WriteTransaction& tx, uint64_t key, std::mt19937_64& rng) {
  const int n = 1 + static_cast<int>(rng() % 5);
  const bool bulk = rng() % 40 == 0;
  const int count = bulk ? 500 : n;
  auto c =
      tx.AddNode("C", Key(static_cast<int64_t>(key)), {{"n", int64_t{count}}, {"sum", int64_t{0}}});
  if (!c.ok()) return c.status();
  int64_t sum = 0;
  std::vector<int64_t> keys(count);
  for (int j = 0; j < count; ++j) {
    keys[j] = static_cast<int64_t>(key << 10 | static_cast<uint64_t>(j));
    sum += keys[j];
  }
  if (bulk) {
    std::vector<int64_t> t(count, static_cast<int64_t>(key));
    NodeBatch batch;
    batch.labels = {"W"};
    batch.count = static_cast<size_t>(count);
    batch.keys.ints = keys;
    batch.properties.push_back(BulkColumn::Int64("t", t));
    std::vector<NodeId> ids(count);
    if (absl::Status s = tx.AddNodes(batch, absl::MakeSpan(ids)); !s.ok()) return s;
    std::vector<NodeId> to(count, *c);
    EdgeBatch edges;
    edges.sources = ids;
    edges.targets = to;
    edges.type = "IN";
    if (absl::Status s = tx.AddEdges(edges, {}); !s.ok()) return s;
  } else {
    for (int j = 0; j < count; ++j) {
      auto w = tx.AddNode("W", Key(keys[j]), {{"t", static_cast<int64_t>(key)}});
      if (!w.ok()) return w.status();
      if (auto e = tx.AddEdge(*w, *c, "IN"); !e.ok()) return e.status();
    }
  }
  return tx.SetProperty(*c, "sum", sum);
}

int Writer(const std::string& dir, uint64_t id, const std::string& sync, const std::string& stop) {
  Options o;
  o.sync = sync == "full" ? SyncMode::kFull : SyncMode::kNormal;
  o.busy_timeout = absl::Seconds(30);
  o.checkpoint_log_bytes = 256 << 10;
  auto db = Database::Open(dir, o);
  if (!db.ok()) Die("open", db.status());
  std::mt19937_64 rng(id * 7919 + static_cast<uint64_t>(::getpid()));
  uint64_t counter = NextCounter(**db, id);
  Say("ready");
  while (::access(stop.c_str(), F_OK) != 0) {
    const auto t0 = Clock::now();
    auto tx = (*db)->BeginWrite();
    if (!tx.ok()) Die("begin write", tx.status());
    const auto waited =
        std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - t0).count();
    if (waited > 1000) Say(absl::StrCat("slow ", waited));
    const uint64_t key = TxnKey(id, counter);
    if (absl::Status s = OneTransaction(**tx, key, rng); !s.ok()) Die("write", s);
    if (rng() % 25 == 0) {
      (*tx)->Rollback();
      continue;
    }
    if (absl::Status s = (*tx)->Commit(); !s.ok()) Die("commit", s);
    Say(absl::StrCat("ack ", key));
    ++counter;
    if (rng() % 50 == 0) {
      if (absl::Status s = (*db)->Checkpoint(); !s.ok()) Die("checkpoint", s);
    }
    ::usleep(static_cast<useconds_t>(rng() % 3000));
  }
  return 0;
}

// The problems of one snapshot, or "" if none.
std::string Violations(const ReadTransaction& rx, std::mt19937_64& rng) {
  auto cs = rx.NodesWithLabel("C");
  if (!cs.ok()) return cs.status().code() == absl::StatusCode::kNotFound ? "" : "no C list";
  int64_t expected_w = 0;
  for (NodeId c : *cs) {
    auto n = rx.GetProperty(c, "n");
    if (!n.ok() || n->type() != ValueType::kInt64) return "a C node without n";
    expected_w += n->int64();
  }
  auto w = rx.GetLabelInfo("W");
  const int64_t have_w = w.ok() ? static_cast<int64_t>(w->num_nodes) : 0;
  if (have_w != expected_w) {
    return absl::StrCat(have_w, " W nodes but the C nodes account for ", expected_w,
                        " (a partial transaction)");
  }
  for (int sample = 0; sample < 20 && !cs->empty(); ++sample) {
    const NodeId c = (*cs)[rng() % cs->size()];
    const Node node = rx.GetNode(c).value();
    const int64_t key = node.key.int64();
    std::vector<NodeId> from;
    if (!rx.Neighbors(c, Direction::kIn, "IN", &from).ok()) return "unreadable edges";
    const int64_t n = rx.GetProperty(c, "n").value().int64();
    if (static_cast<int64_t>(from.size()) != n) {
      return absl::StrCat("C ", key, " has ", from.size(), " W nodes, n = ", n);
    }
    int64_t sum = 0;
    for (NodeId f : from) {
      auto wn = rx.GetNode(f);  // the edge's endpoint exists
      if (!wn.ok()) return absl::StrCat("an edge of C ", key, " from a missing node");
      auto t = rx.GetProperty(f, "t");
      if (!t.ok() || t->int64() != key) return absl::StrCat("a W node of C ", key, " has wrong t");
      sum += wn->key.int64();
    }
    if (sum != rx.GetProperty(c, "sum").value().int64()) {
      return absl::StrCat("C ", key, ": the keys of its W nodes do not add up");
    }
  }
  return "";
}

int Reader(const std::string& dir, uint64_t id, const std::string& stop) {
  Options o;
  o.read_only = true;
  o.busy_timeout = absl::Seconds(30);
  auto db = Database::Open(dir, o);
  if (!db.ok()) Die("open", db.status());
  std::mt19937_64 rng(id * 104729 + static_cast<uint64_t>(::getpid()));
  Say("ready");
  uint64_t last_sequence = 0, reads = 0;
  while (::access(stop.c_str(), F_OK) != 0) {
    auto rx = (*db)->BeginRead();
    if (!rx.ok()) Die("begin read", rx.status());
    ++reads;
    if ((*rx)->Sequence() < last_sequence) {
      Say(absl::StrCat("violation the sequence went back from ", last_sequence, " to ",
                       (*rx)->Sequence()));
    }
    last_sequence = (*rx)->Sequence();
    if (std::string v = Violations(**rx, rng); !v.empty()) Say("violation " + v);
    if (rng() % 10 == 0) {
      // Hold the snapshot while others commit and checkpoint: it still reads
      // the same.
      const uint64_t nodes = (*rx)->NumNodes(), edges = (*rx)->NumEdges();
      ::usleep(static_cast<useconds_t>(50000 + rng() % 250000));
      if ((*rx)->NumNodes() != nodes || (*rx)->NumEdges() != edges) {
        Say("violation a held snapshot changed");
      }
      if (std::string v = Violations(**rx, rng); !v.empty()) Say("violation held: " + v);
    }
    if (reads % 25 == 0) {
      std::string report;
      if (!(*db)->Check(&report).ok()) Say("violation check: " + report);
    }
  }
  Say(absl::StrCat("reads ", reads));
  return 0;
}

}  // namespace
}  // namespace nendb

int main(int argc, char** argv) {
  const std::string role = argc > 1 ? argv[1] : "";
  uint64_t id = 0;
  if (role == "writer" && argc == 6 && absl::SimpleAtoi(argv[3], &id)) {
    return nendb::Writer(argv[2], id, argv[4], argv[5]);
  }
  if (role == "reader" && argc == 5 && absl::SimpleAtoi(argv[3], &id)) {
    return nendb::Reader(argv[2], id, argv[4]);
  }
  std::fprintf(stderr,
               "usage: mp_worker writer DIR ID full|normal STOPFILE\n"
               "       mp_worker reader DIR ID STOPFILE\n");
  return 2;
}
