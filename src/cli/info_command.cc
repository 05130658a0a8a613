// `nendb info DB [--json]`: what a database holds (counts, labels with their
// columns, edge types) and its storage statistics. Opens read-only.
#include <iostream>
#include <string>

#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "cli/command.h"
#include "cli/util.h"
#include "nendb/database.h"
#include "nlohmann/json.hpp"

namespace nendb::cli {
namespace {

using nlohmann::ordered_json;

std::string ColumnType(const ColumnInfo& c) {
  std::string t(ValueTypeName(c.type));
  if (c.type == ValueType::kVector) t += "[" + std::to_string(c.dim) + "]";
  return t;
}

ordered_json StatsJson(const DatabaseStats& s) {
  return ordered_json{{"sequence", s.sequence},
                      {"snapshot_generation", s.snapshot_generation},
                      {"node_id_bound", s.node_id_bound},
                      {"edge_slots", s.edge_slots},
                      {"heap_bytes", s.heap_bytes},
                      {"mapped_bytes", s.mapped_bytes},
                      {"resident_bytes", s.resident_bytes},
                      {"string_bytes", s.string_bytes},
                      {"snapshot_file_bytes", s.snapshot_file_bytes},
                      {"log_bytes", s.log_bytes},
                      {"processes", s.processes},
                      {"bytes_per_node", s.bytes_per_node},
                      {"bytes_per_edge", s.bytes_per_edge}};
}

// Everything the command reports, gathered from one read transaction.
struct Info {
  std::string path;
  uint64_t nodes = 0, edges = 0;
  std::vector<LabelInfo> labels;
  std::vector<std::string> edge_types;
  DatabaseStats stats;
};

absl::StatusOr<Info> Gather(const Database& db) {
  auto rx = db.BeginRead();
  if (!rx.ok()) return rx.status();
  Info info;
  info.path = db.path();
  info.nodes = (*rx)->NumNodes();
  info.edges = (*rx)->NumEdges();
  for (const std::string& label : (*rx)->Labels()) {
    auto l = (*rx)->GetLabelInfo(label);
    if (!l.ok()) return l.status();
    info.labels.push_back(*std::move(l));
  }
  info.edge_types = (*rx)->EdgeTypes();
  auto stats = db.Stats();
  if (!stats.ok()) return stats.status();
  info.stats = *stats;
  return info;
}

ordered_json ToJson(const Info& info) {
  ordered_json labels = ordered_json::array();
  for (const LabelInfo& l : info.labels) {
    ordered_json columns = ordered_json::array();
    for (const ColumnInfo& c : l.columns) {
      columns.push_back({{"name", c.name},
                         {"type", ValueTypeName(c.type)},
                         {"dim", c.dim},
                         {"declared", c.declared},
                         {"required", c.required}});
    }
    labels.push_back(
        {{"name", l.name}, {"nodes", l.num_nodes}, {"strict", l.strict}, {"columns", columns}});
  }
  return ordered_json{
      {"path", info.path}, {"nodes", info.nodes},           {"edges", info.edges},
      {"labels", labels},  {"edge_types", info.edge_types}, {"stats", StatsJson(info.stats)}};
}

void PrintText(const Info& info) {
  const DatabaseStats& s = info.stats;
  std::cout << "path:        " << info.path << "\n"
            << "nodes:       " << info.nodes << "\n"
            << "edges:       " << info.edges << "\n"
            << "labels:      " << info.labels.size() << "\n";
  for (const LabelInfo& l : info.labels) {
    std::vector<std::string> cols;
    for (const ColumnInfo& c : l.columns) {
      cols.push_back(c.name + " " + ColumnType(c) + (c.required ? " required" : ""));
    }
    std::cout << "  " << l.name << ": " << l.num_nodes << " nodes" << (l.strict ? ", strict" : "")
              << (cols.empty() ? "" : "; " + absl::StrJoin(cols, ", ")) << "\n";
  }
  std::cout << "edge types:  " << info.edge_types.size()
            << (info.edge_types.empty() ? "" : " (" + absl::StrJoin(info.edge_types, ", ") + ")")
            << "\n"
            << "sequence:    " << s.sequence << "\n"
            << "snapshot:    generation " << s.snapshot_generation << ", "
            << FormatBytes(s.snapshot_file_bytes) << " on disk\n"
            << "log:         " << FormatBytes(s.log_bytes) << " since the snapshot\n"
            << "processes:   " << s.processes << " with the database open\n"
            << "memory:      " << FormatBytes(s.resident_bytes) << " resident ("
            << FormatBytes(s.heap_bytes) << " heap, " << FormatBytes(s.mapped_bytes) << " mapped)\n"
            << absl::StrFormat("per node:    %.1f bytes\nper edge:    %.1f bytes\n",
                               s.bytes_per_node, s.bytes_per_edge);
}

constexpr char kExamples[] =
    "Safe while another process writes: opens read-only and reads one snapshot.\n"
    "Examples:\n"
    "  nendb info graph.nendb\n"
    "  nendb info graph.nendb --json | jq .stats.bytes_per_edge";

class InfoCommand : public Command {
 public:
  CLI::App* Register(CLI::App& app) override {
    CLI::App* sub = app.add_subcommand(
        "info", "Show a database's counts, labels, edge types and storage statistics.");
    sub->footer(CommandFooter(kExamples));
    sub->add_option("DB", path_, "Database directory (must exist)")->required();
    sub->add_flag("--json", json_, "Print one JSON object on stdout instead of text");
    return sub;
  }

  int Run() override {
    auto db = OpenExisting(path_, /*read_only=*/true);
    if (!db.ok()) return Fail(db.status());
    auto info = Gather(**db);
    if (!info.ok()) return Fail(info.status());
    if (json_) {
      std::cout << ToJson(*info).dump(2) << "\n";
    } else {
      PrintText(*info);
    }
    return kExitOk;
  }

 private:
  std::string path_;
  bool json_ = false;
};

}  // namespace

std::unique_ptr<Command> NewInfoCommand() { return std::make_unique<InfoCommand>(); }

}  // namespace nendb::cli
