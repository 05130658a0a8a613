// The `nendb algo` algorithms that start from a node: bfs (nodes per depth),
// k-hop (the neighbourhood), sssp (the nearest nodes by weighted distance)
// and shortest-path (the path to a target node).
#include <algorithm>
#include <cmath>
#include <iostream>
#include <map>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "cli/algo_report.h"

namespace nendb::cli {
namespace {

using nlohmann::ordered_json;

absl::Status Bfs(const AlgoRun& p, const ReadTransaction& tx, NodeId source,
                 WriteTransaction* write, ordered_json& out) {
  BfsOptions o;
  o.graph = p.projection;
  o.run = p.run;
  o.max_depth = p.hops;
  auto r = nendb::Bfs(tx, {source}, o);
  if (!r.ok()) return r.status();
  std::map<int32_t, uint64_t> per_depth;
  for (int32_t d : r->depth) {
    if (d >= 0) ++per_depth[d];
  }
  ordered_json depths = ordered_json::array();
  for (const auto& [d, n] : per_depth) {
    depths.push_back({{"depth", d}, {"nodes", n}});
    if (!p.json) std::cout << absl::StrFormat("depth %3d: %d nodes\n", d, n);
  }
  out["depths"] = depths;
  if (write == nullptr) return absl::OkStatus();
  std::vector<int64_t> values(r->depth.begin(), r->depth.end());
  return WriteNodeProperty(*write, p.write_property, values, -1);
}

absl::Status KHop(const AlgoRun& p, const ReadTransaction& tx, NodeId source,
                  WriteTransaction* write, ordered_json& out) {
  KHopOptions o;
  o.graph = p.projection;
  o.run = p.run;
  auto r = nendb::KHop(tx, {source}, p.hops, o);
  if (!r.ok()) return r.status();
  out["nodes"] = r->size();
  if (!p.json) std::cout << absl::StrFormat("%d nodes within %d hops\n", r->size(), p.hops);
  ordered_json listed = ordered_json::array();
  for (size_t i = 0; i < std::min(p.top, r->size()); ++i) {
    listed.push_back({{"node", (*r)[i]}, {"name", NodeName(tx, (*r)[i])}});
    if (!p.json) std::cout << "  " << NodeName(tx, (*r)[i]) << "\n";
  }
  out["first"] = listed;
  if (write == nullptr) return absl::OkStatus();
  std::vector<int64_t> member(tx.NodeIdBound(), 0);
  for (NodeId id : *r) member[id] = 1;
  return WriteNodeProperty(*write, p.write_property, member, 0);
}

absl::Status Sssp(const AlgoRun& p, const ReadTransaction& tx, NodeId source,
                  WriteTransaction* write, ordered_json& out) {
  SsspOptions o;
  o.graph = p.projection;
  if (o.graph.weight.empty()) o.graph.weight = "weight";  // distances are weighted by default
  o.run = p.run;
  auto dist = ShortestDistances(tx, source, o);
  if (!dist.ok()) return dist.status();
  std::vector<bool> reached(dist->size());
  uint64_t count = 0;
  for (NodeId id = 0; id < dist->size(); ++id) {
    reached[id] = std::isfinite((*dist)[id]);
    count += reached[id];
  }
  out["reached"] = count;
  if (!p.json) std::cout << absl::StrFormat("%d nodes reached; the nearest:\n", count);
  ordered_json nearest = ordered_json::array();
  for (const Ranked& e : Top(*dist, reached, p.top, /*ascending=*/true)) {
    nearest.push_back({{"node", e.node}, {"name", NodeName(tx, e.node)}, {"distance", e.score}});
    if (!p.json) std::cout << absl::StrFormat("%14.8g  %s\n", e.score, NodeName(tx, e.node));
  }
  out["nearest"] = nearest;
  if (write == nullptr) return absl::OkStatus();
  for (double& d : *dist) d = std::isfinite(d) ? d : std::nan("");  // unreached: no value
  return WriteNodeProperty(*write, p.write_property, *dist);
}

absl::Status Path(const AlgoRun& p, const ReadTransaction& tx, NodeId source, NodeId target,
                  ordered_json& out) {
  PathOptions o;
  o.graph = p.projection;
  o.run = p.run;
  auto path = ShortestPath(tx, source, target, o);
  if (!path.ok()) return path.status();
  ordered_json nodes = ordered_json::array();
  for (NodeId id : *path) nodes.push_back({{"node", id}, {"name", NodeName(tx, id)}});
  out["path"] = nodes;
  out["hops"] = path->empty() ? -1 : static_cast<int64_t>(path->size()) - 1;
  if (p.json) return absl::OkStatus();
  if (path->empty()) {
    std::cout << "no path\n";
  } else {
    std::cout << path->size() - 1 << " hops:";
    for (NodeId id : *path) std::cout << " " << NodeName(tx, id);
    std::cout << "\n";
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status PathReport(const AlgoRun& p, const ReadTransaction& tx, WriteTransaction* write,
                        ordered_json& out) {
  auto source = tx.FindNode(p.source_label, ParseKey(p.source));
  if (!source.ok()) return source.status();
  out["source"] = *source;
  if (p.algorithm == "bfs") return Bfs(p, tx, *source, write, out);
  if (p.algorithm == "k-hop") return KHop(p, tx, *source, write, out);
  if (p.algorithm == "sssp") return Sssp(p, tx, *source, write, out);
  auto target =
      tx.FindNode(p.target_label.empty() ? p.source_label : p.target_label, ParseKey(p.target));
  if (!target.ok()) return target.status();
  if (write != nullptr) {
    return absl::InvalidArgumentError("shortest-path has no per-node result to write");
  }
  return Path(p, tx, *source, *target, out);
}

bool IsPathAlgorithm(const std::string& algorithm) {
  return algorithm == "bfs" || algorithm == "k-hop" || algorithm == "sssp" ||
         algorithm == "shortest-path";
}

std::string NodeName(const ReadTransaction& tx, NodeId id) {
  auto node = tx.GetNode(id);
  if (!node.ok()) return absl::StrCat("#", id);
  std::string key = node->key.kind() == Key::Kind::kInt      ? absl::StrCat(node->key.int64())
                    : node->key.kind() == Key::Kind::kString ? node->key.string()
                                                             : absl::StrCat("#", id);
  return node->labels.empty() ? key : node->labels[0] + ":" + key;
}

Key ParseKey(const std::string& text) {
  int64_t i;
  if (absl::SimpleAtoi(text, &i)) return Key(i);
  return Key(text);
}

std::vector<Ranked> Top(const std::vector<double>& score, const std::vector<bool>& in, size_t top,
                        bool ascending) {
  std::vector<Ranked> all;
  for (NodeId id = 0; id < score.size(); ++id) {
    if (in[id]) all.push_back({id, score[id]});
  }
  const size_t k = std::min(top, all.size());
  std::partial_sort(all.begin(), all.begin() + k, all.end(), [&](const Ranked& a, const Ranked& b) {
    if (a.score == b.score) return a.node < b.node;
    return ascending ? a.score < b.score : a.score > b.score;
  });
  all.resize(k);
  return all;
}

}  // namespace nendb::cli
