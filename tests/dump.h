// Dump(): everything a database holds, as text, for comparing databases in
// tests (a read error is returned instead). Each node's edges are listed by
// edge id: the order neighbours come in is not part of the contract (a
// replayed or compacted adjacency lists them in slot order).
#ifndef NENDB_TESTS_DUMP_H_
#define NENDB_TESTS_DUMP_H_

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "nendb/database.h"

namespace nendb::testing {

inline absl::StatusOr<std::string> Dump(const Database& db) {
  auto rx_or = db.BeginRead();
  if (!rx_or.ok()) return rx_or.status();
  const ReadTransaction& rx = **rx_or;
  std::string out = absl::StrCat(rx.NumNodes(), " nodes ", rx.NumEdges(), " edges\n");
  for (NodeId id = 0; id < rx.NodeIdBound(); ++id) {
    if (!rx.HasNode(id)) continue;
    auto n = rx.GetNode(id);
    if (!n.ok()) return n.status();
    absl::StrAppend(&out, id, " ", n->key.DebugString());
    for (const auto& l : n->labels) absl::StrAppend(&out, " :", l);
    for (const auto& [k, v] : n->properties) absl::StrAppend(&out, " ", k, "=", v.DebugString());
    if (!n->key.empty()) {
      auto f = rx.FindNode(n->labels[0], n->key);
      if (!f.ok()) return f.status();
      absl::StrAppend(&out, " found=", *f);
    }
    std::vector<NodeId> nbrs;
    std::vector<EdgeId> edges;
    if (auto s = rx.Neighbors(id, Direction::kBoth, "", &nbrs, &edges); !s.ok()) return s;
    std::vector<std::pair<EdgeId, NodeId>> listed;
    for (size_t i = 0; i < nbrs.size(); ++i) listed.emplace_back(edges[i], nbrs[i]);
    std::sort(listed.begin(), listed.end());
    for (const auto& [edge, nbr] : listed) {
      auto e = rx.GetEdge(edge);
      if (!e.ok()) return e.status();
      absl::StrAppend(&out, " ->", nbr, ":", edge, ":", e->type, "/", e->weight);
      for (const auto& [k, v] : e->properties) absl::StrAppend(&out, ",", k, "=", v.DebugString());
    }
    out += "\n";
  }
  for (const auto& l : rx.Labels()) {
    auto info = rx.GetLabelInfo(l);
    if (!info.ok()) return info.status();
    absl::StrAppend(&out, l, " ", info->num_nodes, " ", info->columns.size(), "\n");
  }
  std::string report;
  if (auto s = db.Check(&report); !s.ok()) return s;
  return out;
}

}  // namespace nendb::testing

#endif  // NENDB_TESTS_DUMP_H_
