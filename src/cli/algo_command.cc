// `nendb algo DB ALGORITHM [options]`: runs an analytics kernel on the
// database's latest commit and prints the top nodes by score (PageRank,
// betweenness, core number, triangles), the largest groups (components,
// communities) or the nodes per depth (BFS), as text or JSON; with
// --write-property the results are stored on the nodes in one write
// transaction.
#include <algorithm>
#include <cmath>
#include <iostream>
#include <map>
#include <numeric>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "cli/command.h"
#include "cli/util.h"
#include "nendb/algorithms.h"
#include "nendb/database.h"
#include "nendb/errors.h"
#include "nlohmann/json.hpp"

namespace nendb::cli {
namespace {

using nlohmann::ordered_json;

// "Person:ada" (or "#17" for a node without a key).
std::string NodeName(const ReadTransaction& tx, NodeId id) {
  auto node = tx.GetNode(id);
  if (!node.ok()) return absl::StrCat("#", id);
  std::string key = node->key.kind() == Key::Kind::kInt      ? absl::StrCat(node->key.int64())
                    : node->key.kind() == Key::Kind::kString ? node->key.string()
                                                             : absl::StrCat("#", id);
  return node->labels.empty() ? key : node->labels[0] + ":" + key;
}

struct Ranked {
  NodeId node;
  double score;
};

// The `top` entries with the highest score, ties by node id.
std::vector<Ranked> Top(const std::vector<double>& score, const std::vector<bool>& in, size_t top) {
  std::vector<Ranked> all;
  for (NodeId id = 0; id < score.size(); ++id) {
    if (in[id]) all.push_back({id, score[id]});
  }
  const size_t k = std::min(top, all.size());
  std::partial_sort(all.begin(), all.begin() + k, all.end(), [](const Ranked& a, const Ranked& b) {
    return a.score != b.score ? a.score > b.score : a.node < b.node;
  });
  all.resize(k);
  return all;
}

class AlgoCommand : public Command {
 public:
  CLI::App* Register(CLI::App& app) override {
    CLI::App* sub = app.add_subcommand("algo", "Run graph analytics on a database.");
    sub->add_option("DB", path_, "Database directory")->required();
    sub->add_option("ALGORITHM", algorithm_,
                    "pagerank, betweenness, k-core, triangles (top nodes); wcc, scc, louvain, "
                    "leiden, label-propagation (largest groups); bfs (nodes per depth)")
        ->required()
        ->check(CLI::IsMember({"pagerank", "betweenness", "k-core", "triangles", "wcc", "scc",
                               "louvain", "leiden", "label-propagation", "bfs"}));
    sub->add_option("--top", top_, "How many nodes (or components) to list")
        ->default_val(20)
        ->check(CLI::NonNegativeNumber);
    sub->add_option("--labels", projection_.labels, "Only nodes with these labels")->delimiter(',');
    sub->add_option("--edge-types", projection_.edge_types, "Only edges of these types")
        ->delimiter(',');
    sub->add_flag("--undirected", undirected_, "Follow every edge both ways");
    sub->add_option("--weight", projection_.weight,
                    "PageRank weights: 'weight' or a numeric edge property");
    sub->add_option("--samples", samples_, "betweenness: sampled sources (default: all)");
    sub->add_option("--source", source_, "bfs: the key of the source node");
    sub->add_option("--source-label", source_label_, "bfs: the label of the source node");
    sub->add_option("--threads", threads_, "Threads (default: every core)")
        ->check(CLI::PositiveNumber);
    sub->add_option("--write-property", write_property_,
                    "Store each node's result as this property (one write transaction)");
    sub->add_flag("--json", json_, "Print one JSON object instead of text");
    return sub;
  }

  int Run() override {
    projection_.directed = !undirected_;
    if (algorithm_ == "bfs" && (source_.empty() || source_label_.empty())) {
      return Fail("bfs needs --source KEY and --source-label LABEL");
    }
    auto db = OpenExisting(path_, /*read_only=*/write_property_.empty());
    if (!db.ok()) return Fail(db.status());
    if (write_property_.empty()) {
      auto rx = (*db)->BeginRead();
      if (!rx.ok()) return Fail(rx.status());
      return Analyse(**rx, nullptr);
    }
    auto tx = (*db)->BeginWrite();
    if (!tx.ok()) return Fail(tx.status());
    if (int code = Analyse(**tx, tx->get()); code != kExitOk) return code;
    if (absl::Status s = (*tx)->Commit(); !s.ok()) return Fail(s);
    return kExitOk;
  }

 private:
  int Analyse(const ReadTransaction& tx, WriteTransaction* write) {
    RunOptions run;
    run.threads = threads_;
    ordered_json out{{"algorithm", algorithm_}};
    absl::Status s =
        algorithm_ == "bfs" ? BfsReport(tx, run, write, out) : ScoresOrGroups(tx, run, write, out);
    if (!s.ok()) return Fail(s);
    if (json_) std::cout << out.dump(2) << "\n";
    return kExitOk;
  }

  // Nodes of the projection: live, with one of its labels if it names any.
  absl::StatusOr<std::vector<bool>> Members(const ReadTransaction& tx) const {
    std::vector<bool> in(tx.NodeIdBound(), projection_.labels.empty());
    if (projection_.labels.empty()) {
      for (NodeId id = 0; id < in.size(); ++id) in[id] = tx.HasNode(id);
    }
    for (const std::string& label : projection_.labels) {
      auto nodes = tx.NodesWithLabel(label);
      if (!nodes.ok()) return nodes.status();
      for (NodeId id : *nodes) in[id] = true;
    }
    return in;
  }

  absl::Status ScoresOrGroups(const ReadTransaction& tx, const RunOptions& run,
                              WriteTransaction* write, ordered_json& out) {
    ComponentsOptions c;
    c.graph = projection_;
    c.run = run;
    if (algorithm_ == "pagerank" || algorithm_ == "betweenness") {
      absl::StatusOr<std::vector<double>> scores;
      if (algorithm_ == "pagerank") {
        PageRankOptions o;
        o.graph = projection_;
        o.run = run;
        auto r = PageRank(tx, o);
        if (!r.ok()) return r.status();
        out["iterations"] = r->iterations;
        scores = std::move(r->rank);
      } else {
        BetweennessOptions o;
        o.graph = projection_;
        o.run = run;
        o.samples = samples_;
        scores = Betweenness(tx, o);
      }
      if (!scores.ok()) return scores.status();
      return ScoresReport(tx, *scores, write, out);
    }
    if (algorithm_ == "k-core" || algorithm_ == "triangles") {
      absl::StatusOr<std::vector<int64_t>> counts;
      if (algorithm_ == "k-core") {
        counts = CoreNumbers(tx, c);
      } else {
        auto t = Triangles(tx, c);
        if (!t.ok()) return t.status();
        out["total"] = t->total;
        counts = std::move(t->triangles);
      }
      if (!counts.ok()) return counts.status();
      std::vector<double> scores(counts->size(), std::nan(""));
      for (NodeId id = 0; id < scores.size(); ++id) {
        if ((*counts)[id] >= 0) scores[id] = static_cast<double>((*counts)[id]);
      }
      return ScoresReport(tx, scores, write, out);
    }
    absl::StatusOr<std::vector<int64_t>> groups;
    if (algorithm_ == "wcc" || algorithm_ == "scc") {
      auto labels = algorithm_ == "wcc" ? WeaklyConnectedComponents(tx, c)
                                        : StronglyConnectedComponents(tx, c);
      if (!labels.ok()) return labels.status();
      groups = std::vector<int64_t>(labels->size(), -1);
      for (NodeId id = 0; id < labels->size(); ++id) {
        if ((*labels)[id] != kNoNode) (*groups)[id] = static_cast<int64_t>((*labels)[id]);
      }
    } else {
      CommunityOptions o;
      o.graph = projection_;
      o.run = run;
      auto r = DetectCommunities(tx,
                                 algorithm_ == "louvain"  ? CommunityMethod::kLouvain
                                 : algorithm_ == "leiden" ? CommunityMethod::kLeiden
                                                          : CommunityMethod::kLabelPropagation,
                                 o);
      if (!r.ok()) return r.status();
      out["modularity"] = r->modularity;
      if (!json_) std::cout << absl::StrFormat("modularity: %.6f\n", r->modularity);
      groups = std::move(r->community);
    }
    return GroupsReport(tx, *groups, write, out);
  }

  // The top nodes by score; NaN scores (and non-members) left out.
  absl::Status ScoresReport(const ReadTransaction& tx, std::vector<double> scores,
                            WriteTransaction* write, ordered_json& out) {
    auto members = Members(tx);
    if (!members.ok()) return members.status();
    for (NodeId id = 0; id < scores.size(); ++id) {
      if (!(*members)[id] || std::isnan(scores[id])) {
        (*members)[id] = false;
        scores[id] = std::nan("");
      }
    }
    ordered_json top = ordered_json::array();
    for (const Ranked& e : Top(scores, *members, top_)) {
      top.push_back({{"node", e.node}, {"name", NodeName(tx, e.node)}, {"score", e.score}});
      if (!json_) std::cout << absl::StrFormat("%14.8g  %s\n", e.score, NodeName(tx, e.node));
    }
    out["top"] = top;
    if (write == nullptr) return absl::OkStatus();
    return WriteNodeProperty(*write, write_property_, scores);
  }

  // The largest groups (components, communities), named by their smallest node.
  absl::Status GroupsReport(const ReadTransaction& tx, const std::vector<int64_t>& groups,
                            WriteTransaction* write, ordered_json& out) {
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
    if (!json_) std::cout << "groups: " << by_group.size() << "\n";
    for (const Ranked& e : Top(size_of, firsts, top_)) {
      const auto nodes = static_cast<uint64_t>(e.score);
      top.push_back({{"group", groups[e.node]}, {"name", NodeName(tx, e.node)}, {"nodes", nodes}});
      if (!json_)
        std::cout << absl::StrFormat("%10d nodes  with %s\n", nodes, NodeName(tx, e.node));
    }
    out["groups"] = by_group.size();
    out["largest"] = top;
    if (write == nullptr) return absl::OkStatus();
    return WriteNodeProperty(*write, write_property_, groups, -1);
  }

  absl::Status BfsReport(const ReadTransaction& tx, const RunOptions& run, WriteTransaction* write,
                         ordered_json& out) {
    auto source = tx.FindNode(source_label_, ParseKey(source_));
    if (!source.ok()) return source.status();
    BfsOptions o;
    o.graph = projection_;
    o.run = run;
    auto r = Bfs(tx, {*source}, o);
    if (!r.ok()) return r.status();
    std::map<int32_t, uint64_t> per_depth;
    for (int32_t d : r->depth) {
      if (d >= 0) ++per_depth[d];
    }
    ordered_json depths = ordered_json::array();
    for (const auto& [d, n] : per_depth) {
      depths.push_back({{"depth", d}, {"nodes", n}});
      if (!json_) std::cout << absl::StrFormat("depth %3d: %d nodes\n", d, n);
    }
    out["source"] = *source;
    out["depths"] = depths;
    if (write == nullptr) return absl::OkStatus();
    std::vector<int64_t> values(r->depth.begin(), r->depth.end());
    return WriteNodeProperty(*write, write_property_, values, -1);
  }

  // An integer key if the text is one, else a string key.
  static Key ParseKey(const std::string& text) {
    int64_t i;
    if (absl::SimpleAtoi(text, &i)) return Key(i);
    return Key(text);
  }

  std::string path_, algorithm_;
  size_t top_ = 20;
  GraphProjection projection_;
  bool undirected_ = false;
  std::string source_, source_label_;
  int threads_ = 0;
  uint64_t samples_ = 0;
  std::string write_property_;
  bool json_ = false;
};

}  // namespace

std::unique_ptr<Command> NewAlgoCommand() { return std::make_unique<AlgoCommand>(); }

}  // namespace nendb::cli
