// The `nendb algo` algorithms that score or group every node: pagerank
// (personalized with a source), betweenness, k-core and triangles list the
// top nodes by score; wcc, scc, louvain, leiden and label-propagation the
// largest groups.
#include <cmath>
#include <iostream>
#include <map>
#include <utility>

#include "absl/strings/str_format.h"
#include "cli/algo_report.h"

namespace nendb::cli {
namespace {

using nlohmann::ordered_json;

// Nodes of the projection: live, with one of its labels if it names any.
absl::StatusOr<std::vector<bool>> Members(const AlgoRun& a, const ReadTransaction& tx) {
  std::vector<bool> in(tx.NodeIdBound(), a.projection.labels.empty());
  if (a.projection.labels.empty()) {
    for (NodeId id = 0; id < in.size(); ++id) in[id] = tx.HasNode(id);
  }
  for (const std::string& label : a.projection.labels) {
    auto nodes = tx.NodesWithLabel(label);
    if (!nodes.ok()) return nodes.status();
    for (NodeId id : *nodes) in[id] = true;
  }
  return in;
}

absl::StatusOr<std::vector<double>> PageRankScores(const AlgoRun& a, const ReadTransaction& tx,
                                                   ordered_json& out) {
  PageRankOptions o;
  o.graph = a.projection;
  o.run = a.run;
  if (!a.source.empty()) {
    auto source = tx.FindNode(a.source_label, ParseKey(a.source));
    if (!source.ok()) return source.status();
    o.personalization.assign(tx.NodeIdBound(), 0.0);
    o.personalization[*source] = 1.0;
    out["source"] = *source;
  }
  auto r = PageRank(tx, o);
  if (!r.ok()) return r.status();
  out["iterations"] = r->iterations;
  return std::move(r->rank);
}

// k-core and triangles count per node; -1 (no node) becomes NaN.
absl::StatusOr<std::vector<double>> CountScores(const AlgoRun& a, const ReadTransaction& tx,
                                                ordered_json& out) {
  ComponentsOptions c;
  c.graph = a.projection;
  c.run = a.run;
  absl::StatusOr<std::vector<int64_t>> counts;
  if (a.algorithm == "k-core") {
    counts = CoreNumbers(tx, c);
  } else {
    auto t = Triangles(tx, c);
    if (!t.ok()) return t.status();
    out["total"] = t->total;
    if (!a.json) std::cout << "triangles: " << t->total << "\n";
    counts = std::move(t->triangles);
  }
  if (!counts.ok()) return counts.status();
  std::vector<double> scores(counts->size(), std::nan(""));
  for (NodeId id = 0; id < scores.size(); ++id) {
    if ((*counts)[id] >= 0) scores[id] = static_cast<double>((*counts)[id]);
  }
  return scores;
}

absl::StatusOr<std::vector<double>> Scores(const AlgoRun& a, const ReadTransaction& tx,
                                           ordered_json& out) {
  if (a.algorithm == "pagerank") return PageRankScores(a, tx, out);
  if (a.algorithm == "betweenness") {
    BetweennessOptions o;
    o.graph = a.projection;
    o.run = a.run;
    o.samples = a.samples;
    return Betweenness(tx, o);
  }
  return CountScores(a, tx, out);
}

// Each node's group, -1 for none.
absl::StatusOr<std::vector<int64_t>> Groups(const AlgoRun& a, const ReadTransaction& tx,
                                            ordered_json& out) {
  if (a.algorithm == "wcc" || a.algorithm == "scc") {
    ComponentsOptions c;
    c.graph = a.projection;
    c.run = a.run;
    auto labels = a.algorithm == "wcc" ? WeaklyConnectedComponents(tx, c)
                                       : StronglyConnectedComponents(tx, c);
    if (!labels.ok()) return labels.status();
    std::vector<int64_t> groups(labels->size(), -1);
    for (NodeId id = 0; id < labels->size(); ++id) {
      if ((*labels)[id] != kNoNode) groups[id] = static_cast<int64_t>((*labels)[id]);
    }
    return groups;
  }
  CommunityOptions o;
  o.graph = a.projection;
  o.run = a.run;
  const CommunityMethod method = a.algorithm == "louvain"  ? CommunityMethod::kLouvain
                                 : a.algorithm == "leiden" ? CommunityMethod::kLeiden
                                                           : CommunityMethod::kLabelPropagation;
  auto r = DetectCommunities(tx, method, o);
  if (!r.ok()) return r.status();
  out["modularity"] = r->modularity;
  if (!a.json) std::cout << absl::StrFormat("modularity: %.6f\n", r->modularity);
  return std::move(r->community);
}

// The top nodes by score; NaN scores (and non-members) left out.
absl::Status TopScores(const AlgoRun& a, const ReadTransaction& tx, std::vector<double> scores,
                       WriteTransaction* write, ordered_json& out) {
  auto members = Members(a, tx);
  if (!members.ok()) return members.status();
  for (NodeId id = 0; id < scores.size(); ++id) {
    if (!(*members)[id] || std::isnan(scores[id])) {
      (*members)[id] = false;
      scores[id] = std::nan("");
    }
  }
  ordered_json top = ordered_json::array();
  for (const Ranked& e : Top(scores, *members, a.top)) {
    top.push_back({{"node", e.node}, {"name", NodeName(tx, e.node)}, {"score", e.score}});
    if (!a.json) std::cout << absl::StrFormat("%14.8g  %s\n", e.score, NodeName(tx, e.node));
  }
  out["top"] = top;
  if (write == nullptr) return absl::OkStatus();
  return WriteNodeProperty(*write, a.write_property, scores);
}

// The largest groups (components, communities), named by their smallest node.
absl::Status LargestGroups(const AlgoRun& a, const ReadTransaction& tx,
                           const std::vector<int64_t>& groups, WriteTransaction* write,
                           ordered_json& out) {
  std::map<int64_t, std::pair<NodeId, uint64_t>> by_group;  // first node, size
  for (NodeId id = 0; id < groups.size(); ++id) {
    if (groups[id] < 0) continue;
    auto [it, fresh] = by_group.try_emplace(groups[id], id, 0);
    ++it->second.second;
  }
  std::vector<double> size_of(groups.size(), 0);
  std::vector<bool> firsts(groups.size(), false);
  for (const auto& [group, first_and_size] : by_group) {
    size_of[first_and_size.first] = static_cast<double>(first_and_size.second);
    firsts[first_and_size.first] = true;
  }
  ordered_json top = ordered_json::array();
  if (!a.json) std::cout << "groups: " << by_group.size() << "\n";
  for (const Ranked& e : Top(size_of, firsts, a.top)) {
    const auto nodes = static_cast<uint64_t>(e.score);
    top.push_back({{"group", groups[e.node]}, {"name", NodeName(tx, e.node)}, {"nodes", nodes}});
    if (!a.json) std::cout << absl::StrFormat("%10d nodes  with %s\n", nodes, NodeName(tx, e.node));
  }
  out["groups"] = by_group.size();
  out["largest"] = top;
  if (write == nullptr) return absl::OkStatus();
  return WriteNodeProperty(*write, a.write_property, groups, -1);
}

}  // namespace

absl::Status ScoresReport(const AlgoRun& a, const ReadTransaction& tx, WriteTransaction* write,
                          ordered_json& out) {
  if (a.algorithm == "pagerank" || a.algorithm == "betweenness" || a.algorithm == "k-core" ||
      a.algorithm == "triangles") {
    auto scores = Scores(a, tx, out);
    if (!scores.ok()) return scores.status();
    return TopScores(a, tx, *std::move(scores), write, out);
  }
  auto groups = Groups(a, tx, out);
  if (!groups.ok()) return groups.status();
  return LargestGroups(a, tx, *groups, write, out);
}

}  // namespace nendb::cli
