// The numbered transactions of the crash tests, and the check that a database
// holds exactly a prefix of them.
//
// Transaction i adds node T:i (properties n = i and a string s of varying
// length), an edge NEXT from T:i-1 with weight i, marks T:i-1 `seen` when i is
// a multiple of 3, bulk-adds 20 B nodes owned by i when i is a multiple of 10
// and 2000 Big nodes when i % 25 == 7 (about 32 KB of log: large enough to
// commit as a snapshot under a small checkpoint threshold), and when i is a
// multiple of 4 (i >= 5) deletes the NEXT edge into T:i-5.
// Every effect of a transaction is visible or none is, so VerifyPrefix can
// tell a missing, partial or extra transaction from the database alone.
#ifndef NENDB_TESTS_CRASH_WORKLOAD_H_
#define NENDB_TESTS_CRASH_WORKLOAD_H_

#include <cstdint>
#include <string>
#include <tuple>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "nendb/transaction.h"

namespace nendb::crash {

inline constexpr int64_t kBulkEvery = 10;
inline constexpr int64_t kBulkNodes = 20;
inline constexpr int64_t kBigNodes = 2000;

inline bool AddsBigNodes(int64_t i) { return i % 25 == 7; }

inline std::string PayloadOf(int64_t i) {
  return std::string(static_cast<size_t>((i * 7919) % 300), static_cast<char>('a' + i % 26));
}

inline bool DeletesAnEdge(int64_t i) { return i >= 5 && i % 4 == 0; }

inline absl::Status ApplyTxn(WriteTransaction& tx, int64_t i) {
  auto node = tx.AddNode("T", Key(i), {{"n", i}, {"s", PayloadOf(i)}});
  if (!node.ok()) return node.status();
  if (i > 0) {
    auto prev = tx.FindNode("T", Key(i - 1));
    if (!prev.ok()) return prev.status();
    if (auto e = tx.AddEdge(*prev, *node, "NEXT", static_cast<double>(i)); !e.ok()) {
      return e.status();
    }
    if (i % 3 == 0) {
      if (absl::Status s = tx.SetProperty(*prev, "seen", true); !s.ok()) return s;
    }
  }
  for (const auto& [label, count, every] :
       {std::tuple<const char*, int64_t, bool>{"B", kBulkNodes, i % kBulkEvery == 0},
        {"Big", kBigNodes, AddsBigNodes(i)}}) {
    if (!every) continue;
    std::vector<int64_t> keys(count), owner(count, i);
    for (int64_t k = 0; k < count; ++k) keys[k] = i * 10000 + k;
    NodeBatch batch;
    batch.labels = {label};
    batch.count = static_cast<size_t>(count);
    batch.keys.ints = keys;
    batch.properties.push_back(BulkColumn::Int64("owner", owner));
    if (absl::Status s = tx.AddNodes(batch, {}); !s.ok()) return s;
  }
  if (DeletesAnEdge(i)) {
    auto victim = tx.FindNode("T", Key(i - 5));
    if (!victim.ok()) return victim.status();
    std::vector<NodeId> nodes;
    std::vector<EdgeId> edges;
    if (absl::Status s = tx.Neighbors(*victim, Direction::kIn, "NEXT", &nodes, &edges); !s.ok()) {
      return s;
    }
    if (edges.size() == 1) return tx.DeleteEdge(edges[0]);
    if (i - 5 != 0) return absl::InternalError(absl::StrCat("T:", i - 5, " has no NEXT edge"));
  }
  return absl::OkStatus();
}

// The number m of transactions the database holds, if it holds exactly
// transactions [0, m) and nothing else; a DataLoss error saying what is wrong
// otherwise, or the error of a read that failed (a damaged file).
inline absl::StatusOr<int64_t> VerifyPrefix(const ReadTransaction& rx) {
  int64_t m = 0;
  std::vector<NodeId> ids;
  while (true) {
    auto id = rx.FindNode("T", Key(m));
    if (!id.ok() && id.status().code() != absl::StatusCode::kNotFound) return id.status();
    if (!id.ok()) break;
    ids.push_back(*id);
    ++m;
  }
  int64_t bulk = 0, edges = 0;
  for (int64_t j = 0; j < m; ++j) {
    auto wrong = [&](absl::string_view what) {
      return absl::DataLossError(absl::StrCat("of ", m, " transactions, T:", j, " ", what));
    };
    auto is = [&](NodeId id, absl::string_view name, const Value& want) -> absl::StatusOr<bool> {
      auto v = rx.GetProperty(id, name);
      if (!v.ok()) return v.status();
      return *v == want;
    };
    const bool seen = j + 1 < m && (j + 1) % 3 == 0;
    for (auto [name, want] : {std::pair<absl::string_view, Value>{"n", Value(j)},
                              {"s", Value(PayloadOf(j))},
                              {"seen", seen ? Value(true) : Value()}}) {
      auto ok = is(ids[j], name, want);
      if (!ok.ok()) return ok.status();
      if (!*ok) return wrong(absl::StrCat("has the wrong ", name));
    }
    std::vector<NodeId> from;
    std::vector<EdgeId> via;
    if (absl::Status s = rx.Neighbors(ids[j], Direction::kIn, "NEXT", &from, &via); !s.ok()) {
      return s;
    }
    const bool deleted = DeletesAnEdge(j + 5) && j + 5 < m;
    const size_t want = j > 0 && !deleted ? 1 : 0;
    if (from.size() != want) return wrong(absl::StrCat("has ", from.size(), " NEXT edges in"));
    if (want == 1) {
      auto e = rx.GetEdge(via[0]);
      if (!e.ok()) return e.status();
      if (e->weight != static_cast<double>(j) || e->source != ids[j - 1]) {
        return wrong("has the wrong NEXT edge");
      }
    }
    edges += static_cast<int64_t>(want);
    for (const auto& [label, count, every] :
         {std::tuple<const char*, int64_t, bool>{"B", kBulkNodes, j % kBulkEvery == 0},
          {"Big", kBigNodes, AddsBigNodes(j)}}) {
      if (!every) continue;
      for (int64_t k = 0; k < count; ++k) {
        auto b = rx.FindNode(label, Key(j * 10000 + k));
        if (!b.ok() && b.status().code() != absl::StatusCode::kNotFound) return b.status();
        if (!b.ok()) return wrong(absl::StrCat("misses ", label, " nodes"));
        auto ok = is(*b, "owner", Value(j));
        if (!ok.ok()) return ok.status();
        if (!*ok) return wrong(absl::StrCat("has ", label, " nodes of the wrong owner"));
      }
      bulk += count;
    }
  }
  if (rx.NumNodes() != static_cast<uint64_t>(m + bulk) ||
      rx.NumEdges() != static_cast<uint64_t>(edges)) {
    return absl::DataLossError(absl::StrCat(m, " transactions, but ", rx.NumNodes(), " nodes and ",
                                            rx.NumEdges(), " edges (a partial transaction)"));
  }
  return m;
}

}  // namespace nendb::crash

#endif  // NENDB_TESTS_CRASH_WORKLOAD_H_
