// `nendb algo DB ALGORITHM [options]`: runs an analytics kernel on the
// database's latest commit and prints the top nodes by score (PageRank,
// personalized with --source, betweenness, core number, triangles), the
// largest groups (components, communities), or, from a --source node
// (algo_paths.cc), the nodes per depth (BFS), the k-hop neighbourhood, the
// nearest nodes (SSSP) or a shortest path; as text or JSON. With
// --write-property the results are stored on the nodes in one write
// transaction.
#include <algorithm>
#include <cmath>
#include <iostream>
#include <map>
#include <numeric>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "cli/algo_report.h"
#include "cli/command.h"
#include "cli/util.h"
#include "nendb/algorithms.h"
#include "nendb/database.h"
#include "nendb/errors.h"
#include "nlohmann/json.hpp"

namespace nendb::cli {
namespace {

using nlohmann::ordered_json;

class AlgoCommand : public Command {
 public:
  CLI::App* Register(CLI::App& app) override {
    CLI::App* sub = app.add_subcommand("algo", "Run graph analytics on a database.");
    sub->add_option("DB", path_, "Database directory")->required();
    sub->add_option("ALGORITHM", algorithm_,
                    "pagerank, betweenness, k-core, triangles (top nodes); wcc, scc, louvain, "
                    "leiden, label-propagation (largest groups); from --source: bfs (nodes per "
                    "depth), k-hop (--k), sssp (nearest nodes), shortest-path (to --target)")
        ->required()
        ->check(CLI::IsMember({"pagerank", "betweenness", "k-core", "triangles", "wcc", "scc",
                               "louvain", "leiden", "label-propagation", "bfs", "k-hop", "sssp",
                               "shortest-path"}));
    sub->add_option("--top", top_, "How many nodes (or components) to list")
        ->default_val(20)
        ->check(CLI::NonNegativeNumber);
    sub->add_option("--labels", projection_.labels, "Only nodes with these labels")->delimiter(',');
    sub->add_option("--edge-types", projection_.edge_types, "Only edges of these types")
        ->delimiter(',');
    sub->add_flag("--undirected", undirected_, "Follow every edge both ways");
    sub->add_option("--weight", projection_.weight,
                    "Edge weights: 'weight' or a numeric edge property (pagerank, "
                    "shortest-path; sssp: 'weight' unless given)");
    sub->add_option("--samples", samples_, "betweenness: sampled sources (default: all)");
    sub->add_option("--source", path_run_.source,
                    "The key of the source node (pagerank: personalized, restarting there)");
    sub->add_option("--source-label", path_run_.source_label, "The label of the source node");
    sub->add_option("--target", path_run_.target, "shortest-path: the key of the target node");
    sub->add_option("--target-label", path_run_.target_label,
                    "shortest-path: the label of the target node (default: the source's)");
    sub->add_option("--k", k_, "k-hop: hops")->check(CLI::NonNegativeNumber);
    sub->add_option("--max-depth", max_depth_, "bfs: stop after this many hops")
        ->check(CLI::NonNegativeNumber);
    sub->add_option("--threads", threads_, "Threads (default: every core)")
        ->check(CLI::PositiveNumber);
    sub->add_option("--write-property", write_property_,
                    "Store each node's result as this property (one write transaction)");
    sub->add_flag("--json", json_, "Print one JSON object instead of text");
    return sub;
  }

  int Run() override {
    projection_.directed = !undirected_;
    const bool from_source = IsPath();
    if ((from_source || !path_run_.source.empty()) &&
        (path_run_.source.empty() || path_run_.source_label.empty())) {
      return Fail(absl::StrCat(algorithm_, " needs --source KEY and --source-label LABEL"));
    }
    if (algorithm_ == "shortest-path" && path_run_.target.empty()) {
      return Fail("shortest-path needs --target KEY (and --target-label unless the source's)");
    }
    if (algorithm_ == "k-hop" && k_ < 0) return Fail("k-hop needs --k HOPS");
    if (!from_source && !path_run_.source.empty() && algorithm_ != "pagerank") {
      return Fail(absl::StrCat("--source does not apply to ", algorithm_));
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
    absl::Status s;
    if (IsPath()) {
      PathRun p = path_run_;
      p.algorithm = algorithm_;
      p.projection = projection_;
      p.run = run;
      p.hops = algorithm_ == "k-hop" ? k_ : max_depth_;
      p.top = top_;
      p.json = json_;
      p.write_property = write_property_;
      s = PathReport(p, tx, write, out);
    } else {
      s = ScoresOrGroups(tx, run, write, out);
    }
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
        if (!path_run_.source.empty()) {
          auto source = tx.FindNode(path_run_.source_label, ParseKey(path_run_.source));
          if (!source.ok()) return source.status();
          o.personalization.assign(tx.NodeIdBound(), 0.0);
          o.personalization[*source] = 1.0;
          out["source"] = *source;
        }
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

  bool IsPath() const {
    return algorithm_ == "bfs" || algorithm_ == "k-hop" || algorithm_ == "sssp" ||
           algorithm_ == "shortest-path";
  }

  std::string path_, algorithm_;
  size_t top_ = 20;
  GraphProjection projection_;
  bool undirected_ = false;
  PathRun path_run_;
  int64_t k_ = -1, max_depth_ = -1;
  int threads_ = 0;
  uint64_t samples_ = 0;
  std::string write_property_;
  bool json_ = false;
};

}  // namespace

std::unique_ptr<Command> NewAlgoCommand() { return std::make_unique<AlgoCommand>(); }

}  // namespace nendb::cli
