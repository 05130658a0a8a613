// `nendb algo DB ALGORITHM [options]`: runs an analytics kernel on the
// database's latest commit and prints the top nodes by score (PageRank,
// personalized with --source, betweenness, core number, triangles) or the
// largest groups (components, communities) (algo_scores.cc), or, from a
// --source node (algo_paths.cc), the nodes per depth (BFS), the k-hop
// neighbourhood, the nearest nodes (SSSP) or a shortest path; as text or
// JSON. With --write-property the results are stored on the nodes in one
// write transaction. This file: the options, their checks and the
// transaction.
#include <iostream>
#include <string>

#include "absl/strings/str_cat.h"
#include "cli/algo_report.h"
#include "cli/command.h"
#include "cli/util.h"
#include "nendb/database.h"
#include "nlohmann/json.hpp"

namespace nendb::cli {
namespace {

using nlohmann::ordered_json;

constexpr char kExamples[] =
    "Opens read-only unless --write-property is given; runs on the latest commit.\n"
    "Examples:\n"
    "  nendb algo graph.nendb pagerank --top 10 --undirected\n"
    "  nendb algo graph.nendb louvain --labels Person --edge-types KNOWS --json\n"
    "  nendb algo graph.nendb sssp --source ada --source-label Person --weight distance\n"
    "  nendb algo graph.nendb shortest-path --source ada --source-label Person --target bob\n"
    "  nendb algo graph.nendb wcc --write-property component --top 0";

class AlgoCommand : public Command {
 public:
  CLI::App* Register(CLI::App& app) override {
    CLI::App* sub = app.add_subcommand("algo", "Run graph analytics on a database.");
    sub->footer(CommandFooter(kExamples));
    sub->add_option("DB", path_, "Database directory (must exist)")->required();
    sub->add_option("ALGORITHM", a_.algorithm,
                    "pagerank, betweenness, k-core, triangles (top nodes); wcc, scc, louvain, "
                    "leiden, label-propagation (largest groups); from --source: bfs (nodes per "
                    "depth), k-hop (--k), sssp (nearest nodes), shortest-path (to --target)")
        ->required()
        ->check(CLI::IsMember({"pagerank", "betweenness", "k-core", "triangles", "wcc", "scc",
                               "louvain", "leiden", "label-propagation", "bfs", "k-hop", "sssp",
                               "shortest-path"}));
    sub->add_option("--top", a_.top, "How many nodes (or groups) to list; 0 lists none")
        ->default_val(20)
        ->check(CLI::NonNegativeNumber);
    sub->add_option("--labels", a_.projection.labels,
                    "Only nodes with these labels, comma-separated (default: every node)")
        ->delimiter(',');
    sub->add_option("--edge-types", a_.projection.edge_types,
                    "Only edges of these types, comma-separated (default: every edge)")
        ->delimiter(',');
    sub->add_flag("--undirected", undirected_,
                  "Follow every edge both ways (default: from source to target only)");
    sub->add_option("--weight", a_.projection.weight,
                    "Edge weights: 'weight' or a numeric edge property (pagerank, "
                    "shortest-path; default: every edge counts 1; sssp: 'weight' unless given)");
    sub->add_option("--samples", a_.samples,
                    "betweenness: how many sampled source nodes (default: all, exact)");
    sub->add_option("--source", a_.source,
                    "The key of the source node (pagerank: personalized, restarting there)");
    sub->add_option("--source-label", a_.source_label, "The label of the source node");
    sub->add_option("--target", a_.target, "shortest-path: the key of the target node");
    sub->add_option("--target-label", a_.target_label,
                    "shortest-path: the label of the target node (default: the source's)");
    sub->add_option("--k", k_, "k-hop: how many hops (required)")->check(CLI::NonNegativeNumber);
    sub->add_option("--max-depth", max_depth_, "bfs: stop after this many hops (default: none)")
        ->check(CLI::NonNegativeNumber);
    sub->add_option("--threads", a_.run.threads, "Threads (default: every core)")
        ->check(CLI::PositiveNumber);
    sub->add_option("--write-property", a_.write_property,
                    "Store each node's result as this node property, all in one write "
                    "transaction (default: store nothing)");
    sub->add_flag("--json", a_.json, "Print one JSON object on stdout instead of text");
    return sub;
  }

  int Run() override {
    a_.projection.directed = !undirected_;
    a_.hops = a_.algorithm == "k-hop" ? k_ : max_depth_;
    if (absl::Status s = Validate(); !s.ok()) return Fail(s);
    auto db = OpenExisting(path_, /*read_only=*/a_.write_property.empty());
    if (!db.ok()) return Fail(db.status());
    ordered_json out{{"algorithm", a_.algorithm}};
    const absl::Status s =
        a_.write_property.empty() ? AnalyseSnapshot(**db, out) : AnalyseAndStore(**db, out);
    if (!s.ok()) return Fail(s);
    // Only now: a script must not read a report of results whose commit failed.
    if (a_.json) std::cout << out.dump(2) << "\n";
    return kExitOk;
  }

 private:
  absl::Status Validate() const {
    const bool from_source = IsPathAlgorithm(a_.algorithm);
    if ((from_source || !a_.source.empty()) && (a_.source.empty() || a_.source_label.empty())) {
      return absl::InvalidArgumentError(
          absl::StrCat(a_.algorithm, " needs --source KEY and --source-label LABEL"));
    }
    if (a_.algorithm == "shortest-path" && a_.target.empty()) {
      return absl::InvalidArgumentError(
          "shortest-path needs --target KEY (and --target-label unless the source's)");
    }
    if (a_.algorithm == "k-hop" && k_ < 0)
      return absl::InvalidArgumentError("k-hop needs --k HOPS");
    if (!from_source && !a_.source.empty() && a_.algorithm != "pagerank") {
      return absl::InvalidArgumentError(absl::StrCat("--source does not apply to ", a_.algorithm));
    }
    return absl::OkStatus();
  }

  absl::Status Analyse(const ReadTransaction& tx, WriteTransaction* write, ordered_json& out) {
    if (IsPathAlgorithm(a_.algorithm)) return PathReport(a_, tx, write, out);
    return ScoresReport(a_, tx, write, out);
  }

  absl::Status AnalyseSnapshot(const Database& db, ordered_json& out) {
    auto rx = db.BeginRead();
    if (!rx.ok()) return rx.status();
    return Analyse(**rx, nullptr, out);
  }

  // Analyses the latest commit and stores the results with one more.
  absl::Status AnalyseAndStore(Database& db, ordered_json& out) {
    auto tx = db.BeginWrite();
    if (!tx.ok()) return tx.status();
    if (absl::Status s = Analyse(**tx, tx->get(), out); !s.ok()) return s;
    if (absl::Status s = (*tx)->Commit(); !s.ok()) return s;
    out["write_property"] = a_.write_property;
    out["sequence"] = (*tx)->Sequence();
    if (!a_.json) {
      std::cout << "stored as node property " << a_.write_property << " (commit "
                << (*tx)->Sequence() << ")\n";
    }
    return absl::OkStatus();
  }

  std::string path_;
  AlgoRun a_;
  bool undirected_ = false;
  int64_t k_ = -1, max_depth_ = -1;
};

}  // namespace

std::unique_ptr<Command> NewAlgoCommand() { return std::make_unique<AlgoCommand>(); }

}  // namespace nendb::cli
