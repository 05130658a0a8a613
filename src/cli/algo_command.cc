// `nendb algo DB pagerank|wcc|bfs [options]`: runs an analytics kernel on the
// database's latest commit and prints the top nodes (PageRank), the largest
// components (WCC) or the nodes per depth (BFS), as text or JSON; with
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
    sub->add_option("ALGORITHM", algorithm_, "pagerank, wcc or bfs")
        ->required()
        ->check(CLI::IsMember({"pagerank", "wcc", "bfs"}));
    sub->add_option("--top", top_, "How many nodes (or components) to list")
        ->default_val(20)
        ->check(CLI::NonNegativeNumber);
    sub->add_option("--labels", projection_.labels, "Only nodes with these labels")->delimiter(',');
    sub->add_option("--edge-types", projection_.edge_types, "Only edges of these types")
        ->delimiter(',');
    sub->add_flag("--undirected", undirected_, "Follow every edge both ways");
    sub->add_option("--weight", projection_.weight,
                    "PageRank weights: 'weight' or a numeric edge property");
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
    absl::Status s;
    if (algorithm_ == "pagerank") {
      s = PageRankReport(tx, run, write, out);
    } else if (algorithm_ == "wcc") {
      s = ComponentsReport(tx, run, write, out);
    } else {
      s = BfsReport(tx, run, write, out);
    }
    if (!s.ok()) return Fail(s);
    if (json_) std::cout << out.dump(2) << "\n";
    return kExitOk;
  }

  absl::Status PageRankReport(const ReadTransaction& tx, const RunOptions& run,
                              WriteTransaction* write, ordered_json& out) {
    PageRankOptions o;
    o.graph = projection_;
    o.run = run;
    auto r = PageRank(tx, o);
    if (!r.ok()) return r.status();
    // Without personalization every node of the projection has a rank of at
    // least (1 - damping) / n; ids outside it have 0.
    std::vector<bool> in(r->rank.size());
    for (NodeId id = 0; id < in.size(); ++id) in[id] = r->rank[id] > 0;
    ordered_json top = ordered_json::array();
    if (!json_) std::cout << absl::StrFormat("pagerank: %d iterations\n", r->iterations);
    for (const Ranked& e : Top(r->rank, in, top_)) {
      top.push_back({{"node", e.node}, {"name", NodeName(tx, e.node)}, {"rank", e.score}});
      if (!json_) std::cout << absl::StrFormat("%12.8f  %s\n", e.score, NodeName(tx, e.node));
    }
    out["iterations"] = r->iterations;
    out["top"] = top;
    if (write == nullptr) return absl::OkStatus();
    std::vector<double> values = r->rank;
    for (NodeId id = 0; id < values.size(); ++id) {
      if (!in[id]) values[id] = std::nan("");
    }
    return WriteNodeProperty(*write, write_property_, values);
  }

  absl::Status ComponentsReport(const ReadTransaction& tx, const RunOptions& run,
                                WriteTransaction* write, ordered_json& out) {
    ComponentsOptions o;
    o.graph = projection_;
    o.run = run;
    auto labels = WeaklyConnectedComponents(tx, o);
    if (!labels.ok()) return labels.status();
    std::map<NodeId, uint64_t> sizes;
    for (NodeId c : *labels) {
      if (c != kNoNode) ++sizes[c];
    }
    std::vector<double> size_of(labels->size(), 0);
    std::vector<bool> roots(labels->size(), false);
    for (const auto& [root, n] : sizes) {
      size_of[root] = static_cast<double>(n);
      roots[root] = true;
    }
    ordered_json top = ordered_json::array();
    if (!json_) std::cout << "components: " << sizes.size() << "\n";
    for (const Ranked& e : Top(size_of, roots, top_)) {
      top.push_back({{"component", e.node},
                     {"name", NodeName(tx, e.node)},
                     {"nodes", static_cast<uint64_t>(e.score)}});
      if (!json_) {
        std::cout << absl::StrFormat("%10d nodes  with %s\n", static_cast<uint64_t>(e.score),
                                     NodeName(tx, e.node));
      }
    }
    out["components"] = sizes.size();
    out["largest"] = top;
    if (write == nullptr) return absl::OkStatus();
    std::vector<int64_t> values(labels->begin(), labels->end());
    return WriteNodeProperty(*write, write_property_, values, static_cast<int64_t>(kNoNode));
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
  std::string write_property_;
  bool json_ = false;
};

}  // namespace

std::unique_ptr<Command> NewAlgoCommand() { return std::make_unique<AlgoCommand>(); }

}  // namespace nendb::cli
