// `nendb knn DB (--like KEY --like-label LABEL | --vector X,Y,...) [options]`:
// the nodes whose vector property is nearest to a query, which is either a
// node's own vector (--like; the node itself is left out) or given on the
// command line; filtered by --labels and by the k-hop neighbourhood of a
// node (--near KEY --hops N) and by conditions on properties (--where
// 'year>=2020', repeatable); as text or JSON. Opens read-only.
#include <iostream>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "cli/algo_report.h"
#include "cli/command.h"
#include "cli/util.h"
#include "nendb/database.h"
#include "nendb/errors.h"
#include "nendb/vector_index.h"
#include "nlohmann/json.hpp"

namespace nendb::cli {
namespace {

using nlohmann::ordered_json;

// "name OP value", OP one of == = != <= >= < >; the value an integer, a
// number, true or false, or else a string (quotes around it are dropped).
absl::StatusOr<PropertyCondition> ParseCondition(absl::string_view text) {
  const size_t at = text.find_first_of("=!<>");
  if (at == 0 || at == absl::string_view::npos) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--where '", text, "': write a property, a comparison and a value, e.g. year>=2020"));
  }
  size_t end = at + 1;
  if (end < text.size() && text[end] == '=') ++end;
  PropertyCondition c;
  c.property = std::string(absl::StripAsciiWhitespace(text.substr(0, at)));
  auto op = ParseCompareOp(text.substr(at, end - at));
  if (!op.ok()) return op.status();
  c.op = *op;
  absl::string_view v = absl::StripAsciiWhitespace(text.substr(end));
  if (v.empty() || absl::string_view("=!<>").find(v.front()) != absl::string_view::npos) {
    return absl::InvalidArgumentError(absl::StrCat("--where '", text,
                                                   "': the comparison is one of == != < <= > >= "
                                                   "and a value follows it"));
  }
  int64_t i;
  double d;
  if (absl::SimpleAtoi(v, &i)) {
    c.value = i;
  } else if (absl::SimpleAtod(v, &d)) {
    c.value = d;
  } else if (v == "true" || v == "false") {
    c.value = v == "true";
  } else {
    if (v.size() >= 2 && (v.front() == '"' || v.front() == '\'') && v.back() == v.front()) {
      v = v.substr(1, v.size() - 2);
    }
    c.value = v;
  }
  return c;
}

constexpr char kExamples[] =
    "Opens read-only. Searches a vector index where one covers the property and metric\n"
    "(see `indexed` in the JSON), else compares every candidate.\n"
    "Examples:\n"
    "  nendb knn papers.nendb --like vaswani2017 --like-label Paper -k 5\n"
    "  nendb knn papers.nendb --vector 0.1,0.7,0.2 --metric l2 --where 'year>=2020' --json\n"
    "  nendb knn papers.nendb --like ada --like-label Person --near ada --near-label Person "
    "--hops 2";

class KnnCommand : public Command {
 public:
  CLI::App* Register(CLI::App& app) override {
    CLI::App* sub = app.add_subcommand("knn", "Find the nodes with the nearest embeddings.");
    sub->footer(CommandFooter(kExamples));
    sub->add_option("DB", path_, "Database directory (must exist)")->required();
    auto* like = sub->add_option(
        "--like", like_, "The key of a node whose vector is the query (the node is left out)");
    sub->add_option("--like-label", like_label_, "The label of that node");
    auto* vector = sub->add_option(
        "--vector", vector_,
        "The query's components, comma-separated, as many as the property's dimension");
    like->excludes(vector);
    sub->add_option("-k,--k", k_, "How many nodes to list")
        ->default_val(10)
        ->check(CLI::PositiveNumber);
    sub->add_option("--property", property_, "The float32 vector property to compare")
        ->default_val("embedding");
    sub->add_option("--metric", metric_,
                    "Distance: cosine (1 - cos), l2, l2sq (squared l2), ip (1 - dot), l1 "
                    "or hamming (a bit per positive component)")
        ->default_val("cosine");
    sub->add_option("--where", where_,
                    "A condition on a property, NAME OP VALUE with OP one of == != < <= > >=, "
                    "e.g. 'year>=2020' (repeatable; all must hold)");
    sub->add_option("--labels", labels_,
                    "Only nodes with these labels, comma-separated (default: every label)")
        ->delimiter(',');
    sub->add_option("--near", near_,
                    "Only nodes within --hops of the node with this key (edges followed both "
                    "ways; the node itself included)");
    sub->add_option("--near-label", near_label_, "The label of that node");
    sub->add_option("--hops", hops_, "Hops for --near")
        ->default_val(2)
        ->check(CLI::NonNegativeNumber);
    sub->add_option("--ef", ef_,
                    "Search width of a vector index: candidates kept per query (0: the "
                    "index's default, 64; more: better recall, slower)")
        ->default_val(0)
        ->check(CLI::Range(0, 100000));
    sub->add_flag("--exact", exact_, "Compare every candidate even where an index exists");
    sub->add_flag("--json", json_, "Print one JSON object on stdout instead of text");
    return sub;
  }

  int Run() override {
    if (like_.empty() == vector_.empty()) return Fail("give the query with --like or --vector");
    auto db = OpenExisting(path_, /*read_only=*/true);
    if (!db.ok()) return Fail(db.status());
    auto rx = (*db)->BeginRead();
    if (!rx.ok()) return Fail(rx.status());
    const ReadTransaction& tx = **rx;
    KnnOptions o;
    o.property = property_;
    o.labels = labels_;
    auto metric = ParseVectorMetric(metric_);
    if (!metric.ok()) return Fail(metric.status());
    o.metric = *metric;
    o.ef = ef_;
    o.exact = exact_;
    for (const std::string& w : where_) {
      auto c = ParseCondition(w);
      if (!c.ok()) return Fail(c.status());
      o.where.push_back(*std::move(c));
    }
    std::vector<float> query;
    NodeId self = kNoNode;
    if (!like_.empty()) {
      auto node = tx.FindNode(like_label_, ParseKey(like_));
      if (!node.ok()) return Fail(node.status());
      auto v = tx.GetProperty(*node, property_);
      if (!v.ok()) return Fail(v.status());
      if (v->type() != ValueType::kVector) {
        return Fail("node " + NodeName(tx, *node) + " has no '" + property_ + "' vector");
      }
      query.assign(v->vector().begin(), v->vector().end());
      self = *node;
    } else {
      for (absl::string_view x : absl::StrSplit(vector_, ',')) {
        float f;
        if (!absl::SimpleAtof(x, &f))
          return Fail("--vector: '" + std::string(x) + "' is no number");
        query.push_back(f);
      }
    }
    if (!near_.empty()) {
      auto center = tx.FindNode(near_label_, ParseKey(near_));
      if (!center.ok()) return Fail(center.status());
      KHopOptions h;
      h.graph.directed = false;
      h.include_sources = true;
      auto around = KHop(tx, {*center}, hops_, h);
      if (!around.ok()) return Fail(around.status());
      o.nodes = *std::move(around);
    }
    // One more when the query node itself will be left out.
    const uint32_t ask = k_ + (self != kNoNode ? 1 : 0);
    auto r = Knn(tx, query, static_cast<uint32_t>(query.size()), ask, o);
    if (!r.ok() && self != kNoNode && ErrorKindOf(r.status()) == ErrorKind::kInvalidArgument) {
      r = Knn(tx, query, static_cast<uint32_t>(query.size()), k_, o);  // too few to spare one
    }
    if (!r.ok()) return Fail(r.status());
    ordered_json hits = ordered_json::array();
    for (size_t j = 0; j < r->ids.size() && hits.size() < k_; ++j) {
      if (r->ids[j] == self || r->ids[j] == kNoNode) continue;
      hits.push_back(
          {{"node", r->ids[j]}, {"name", NodeName(tx, r->ids[j])}, {"distance", r->distances[j]}});
      if (!json_) {
        std::cout << absl::StrFormat("%10.6f  %s\n", r->distances[j], NodeName(tx, r->ids[j]));
      }
    }
    if (json_) {
      std::cout << ordered_json{{"property", property_},
                                {"metric", metric_},
                                {"indexed", r->indexed_tables > 0},
                                {"hits", hits}}
                       .dump(2)
                << "\n";
    }
    return kExitOk;
  }

 private:
  std::string path_, like_, like_label_, vector_, property_, metric_, near_, near_label_;
  std::vector<std::string> labels_, where_;
  uint32_t k_ = 10;
  uint32_t ef_ = 0;
  bool exact_ = false;
  int64_t hops_ = 2;
  bool json_ = false;
};

}  // namespace

std::unique_ptr<Command> NewKnnCommand() { return std::make_unique<KnnCommand>(); }

}  // namespace nendb::cli
