// `nendb import DB --nodes F --label L ... --edges F ... --triples F ...`:
// imports CSV files into a database (created if missing) in one write
// transaction: node files first, then edges and triples; commits at the end,
// or, on any error, leaves the database as it was.
#include <chrono>
#include <iostream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "cli/command.h"
#include "cli/import_plan.h"
#include "cli/progress_bar.h"
#include "cli/util.h"
#include "nendb/database.h"
#include "nendb/import.h"
#include "nlohmann/json.hpp"

namespace nendb::cli {
namespace {

using nlohmann::ordered_json;

constexpr char kDescription[] =
    "Import CSV files into a database (created if missing), all in one "
    "transaction.";
constexpr char kDetails[] =
    "Options after a --nodes/--edges/--triples file apply to that file; "
    "options before\n"
    "every file are defaults for all files. Node files run first. On any error "
    "nothing\n"
    "is imported.\n"
    "Examples:\n"
    "  nendb import db --nodes people.csv --label Person --key id \\\n"
    "                  --edges knows.csv --label Person --type KNOWS --weight w\n"
    "  nendb import db --types id:string,age:int64 --nodes people.csv --label Person --key id\n"
    "  nendb import db --delimiter tab --skip-bad-rows --triples facts.tsv --label Entity --json";

absl::StatusOr<char> ParseDelimiter(const std::string& d) {
  if (d == "\\t" || d == "tab" || d == "\t") return '\t';
  if (d.size() == 1) return d[0];
  return absl::InvalidArgumentError(
      absl::StrCat("--delimiter takes one character (or \"tab\"); got \"", d, "\""));
}

absl::StatusOr<ImportResult> RunStep(WriteTransaction& tx, const ImportStep& step) {
  ProgressBar bar(StepPath(step));
  const ProgressFn progress = [&bar](uint64_t done, uint64_t total) {
    return bar.Update(done, total);
  };
  if (const auto* n = std::get_if<NodeCsv>(&step)) return ImportNodesCsv(tx, *n, progress);
  if (const auto* e = std::get_if<EdgeCsv>(&step)) return ImportEdgesCsv(tx, *e, progress);
  return ImportTriples(tx, std::get<TriplesCsv>(step), progress);
}

std::string Describe(const ImportStep& step, const ImportResult& r) {
  std::string s = absl::StrCat(StepPath(step), ": ", r.rows, " rows");
  if (r.nodes_added > 0 || std::holds_alternative<NodeCsv>(step)) {
    absl::StrAppend(&s, ", ", r.nodes_added, " nodes");
  }
  if (!std::holds_alternative<NodeCsv>(step)) absl::StrAppend(&s, ", ", r.edges_added, " edges");
  if (r.rows_skipped > 0) absl::StrAppend(&s, ", ", r.rows_skipped, " bad rows skipped");
  return s;
}

ordered_json StepJson(const ImportStep& step, const ImportResult& r) {
  return ordered_json{{"path", StepPath(step)},
                      {"kind", StepKind(step)},
                      {"rows", r.rows},
                      {"nodes_added", r.nodes_added},
                      {"edges_added", r.edges_added},
                      {"rows_skipped", r.rows_skipped},
                      {"skipped", r.skipped}};
}

class ImportCommand : public Command {
 public:
  CLI::App* Register(CLI::App& app) override {
    sub_ = app.add_subcommand("import", kDescription);
    sub_->footer(CommandFooter(kDetails));
    sub_->add_option("DB", path_, "Database directory (created if missing)")->required();
    Add("nodes", "FILE",
        "A node CSV: one node per row, a header row naming the columns (repeatable)");
    Add("edges", "FILE", "An edge CSV: source and target keys per row, a header row (repeatable)");
    Add("triples", "FILE",
        "A subject,predicate,object CSV (header row optional): entities by name, an edge "
        "of type predicate per row (repeatable)");
    Add("label", "L",
        "Nodes: their label. Edges: source and target label. Triples: "
        "label of the entities (default Entity)");
    Add("key", "COL", "Nodes: the column of unique keys (default: no keys)");
    Add("types", "COL:TYPE,...",
        "Column types (int64, float64, bool, string); other columns are "
        "inferred from their cells (repeatable)");
    Add("type", "T", "Edges: the edge type of every row");
    Add("type-column", "COL", "Edges: the column holding each row's edge type");
    Add("source-label", "L", "Edges: label of the source nodes");
    Add("target-label", "L", "Edges: label of the target nodes");
    Add("source", "COL", "Edges: column of source keys (default source)");
    Add("target", "COL", "Edges: column of target keys (default target)");
    Add("weight", "COL", "Edges: column of weights (default: every weight 1)");
    sub_->add_option("--delimiter", delimiter_,
                     "Cell delimiter of every file: one character or \"tab\"")
        ->default_str(",");
    sub_->add_flag("--skip-bad-rows", format_.skip_bad_rows,
                   "Skip malformed rows and report how many instead of failing");
    sub_->add_flag("--json", json_,
                   "Print one JSON object on stdout after the commit instead of text");
    return sub_;
  }

  int Run() override {
    auto d = ParseDelimiter(delimiter_);
    if (!d.ok()) return Fail(d.status());
    format_.delimiter = *d;
    auto plan = PlanImport(sub_->parse_order(), options_, format_);
    if (!plan.ok()) return Fail(plan.status());
    auto db = Database::Open(path_);
    if (!db.ok()) return Fail(db.status());
    return Import(**db, *plan);
  }

 private:
  void Add(const std::string& name, const std::string& value, const std::string& help) {
    CLI::Option* opt = sub_->add_option("--" + name, help)->type_name(value)->expected(1);
    opt->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
    options_[name] = opt;
  }

  int Import(Database& db, const std::vector<ImportStep>& plan) {
    const auto start = std::chrono::steady_clock::now();
    auto tx = db.BeginWrite();
    if (!tx.ok()) return Fail(tx.status());
    ordered_json files = ordered_json::array();
    uint64_t nodes = 0, edges = 0;
    for (const ImportStep& step : plan) {
      auto r = RunStep(**tx, step);
      if (!r.ok()) return Fail(absl::StrCat(r.status().message(), "\nnothing was imported"));
      nodes += r->nodes_added;
      edges += r->edges_added;
      files.push_back(StepJson(step, *r));
      if (!json_) std::cout << Describe(step, *r) << "\n";
      for (const std::string& why : r->skipped) std::cerr << "nendb: skipped " << why << "\n";
    }
    if (absl::Status s = (*tx)->Commit(); !s.ok()) return Fail(s);
    const uint64_t sequence = (*tx)->Sequence();
    tx->reset();
    if (absl::Status s = db.Close(); !s.ok()) return Fail(s);
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (json_) {
      std::cout << ordered_json{{"path", path_},        {"files", files},
                                {"nodes_added", nodes}, {"edges_added", edges},
                                {"sequence", sequence}, {"seconds", seconds}}
                       .dump(2)
                << "\n";
    } else {
      std::cout << "committed " << nodes << " nodes and " << edges << " edges to " << path_
                << " in " << absl::StrCat(static_cast<int64_t>(seconds * 1000) / 1000.0) << " s\n";
    }
    return kExitOk;
  }

  CLI::App* sub_ = nullptr;
  std::string path_;
  std::string delimiter_ = ",";
  bool json_ = false;
  CsvFormat format_;
  ImportOptions options_;
};

}  // namespace

std::unique_ptr<Command> NewImportCommand() { return std::make_unique<ImportCommand>(); }

}  // namespace nendb::cli
