// Implements import_plan.h: groups the options as given on the command line
// and turns each group into a NodeCsv, EdgeCsv or TriplesCsv.
#include "cli/import_plan.h"

#include <algorithm>
#include <map>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "cli/util.h"

namespace nendb::cli {
namespace {

// A file option and the per-file options that followed it.
struct Group {
  std::string kind;  // "nodes", "edges", "triples"; "" for the defaults
  std::string path;
  std::map<std::string, std::string> values;
  std::vector<std::string> types;  // --types may repeat
};

const std::vector<std::string>& Allowed(const std::string& kind) {
  static const auto* nodes = new std::vector<std::string>{"label", "key", "types"};
  static const auto* edges = new std::vector<std::string>{
      "label",        "types",  "type",   "type-column", "source-label",
      "target-label", "source", "target", "weight"};
  static const auto* triples = new std::vector<std::string>{"label"};
  return kind == "nodes" ? *nodes : kind == "edges" ? *edges : *triples;
}

bool Fits(const std::string& kind, const std::string& option) {
  const auto& a = Allowed(kind);
  return std::find(a.begin(), a.end(), option) != a.end();
}

absl::StatusOr<std::vector<Group>> GroupOptions(const std::vector<CLI::Option*>& parse_order,
                                                const ImportOptions& options) {
  absl::flat_hash_map<const CLI::Option*, std::string> names;
  for (const auto& [name, opt] : options) names[opt] = name;
  absl::flat_hash_map<const CLI::Option*, size_t> used;  // results taken so far
  std::vector<Group> groups(1);                          // groups[0]: the defaults
  for (const CLI::Option* opt : parse_order) {
    auto it = names.find(opt);
    if (it == names.end()) continue;  // DB, --delimiter, ...
    const std::string& name = it->second;
    const std::string value = opt->results()[used[opt]++];
    if (std::find(std::begin(kFileOptions), std::end(kFileOptions), name) !=
        std::end(kFileOptions)) {
      groups.push_back(Group{name, value, {}, {}});
      continue;
    }
    Group& g = groups.back();
    const std::string where = g.kind.empty() ? "" : absl::StrCat(" for --", g.kind, " ", g.path);
    if (!g.kind.empty() && !Fits(g.kind, name)) {
      return absl::InvalidArgumentError(
          absl::StrCat("--", name, " does not apply to --", g.kind, " ", g.path));
    }
    if (name == "types") {
      g.types.push_back(value);
    } else if (!g.values.emplace(name, value).second) {
      return absl::InvalidArgumentError(absl::StrCat("--", name, " is given twice", where));
    }
  }
  return groups;
}

absl::StatusOr<std::vector<std::pair<std::string, ValueType>>> ParseTypes(
    const std::vector<std::string>& lists) {
  std::vector<std::pair<std::string, ValueType>> out;
  for (const std::string& list : lists) {
    for (absl::string_view item : absl::StrSplit(list, ',', absl::SkipEmpty())) {
      const size_t colon = item.rfind(':');
      if (colon == absl::string_view::npos || colon == 0) {
        return absl::InvalidArgumentError(
            absl::StrCat("--types takes COLUMN:TYPE[,COLUMN:TYPE...]; got \"", item, "\""));
      }
      auto type = ParseTypeName(std::string(item.substr(colon + 1)));
      if (!type.ok()) return type.status();
      out.emplace_back(std::string(item.substr(0, colon)), *type);
    }
  }
  return out;
}

// The group's value for an option, else the default's, else fallback.
std::string Get(const Group& g, const Group& defaults, const std::string& name,
                const std::string& fallback = "") {
  if (auto it = g.values.find(name); it != g.values.end()) return it->second;
  if (auto it = defaults.values.find(name); it != defaults.values.end()) return it->second;
  return fallback;
}

absl::StatusOr<ImportStep> NodeStep(const Group& g, const Group& d, CsvFormat format) {
  NodeCsv spec;
  spec.path = g.path;
  spec.label = Get(g, d, "label");
  spec.key_column = Get(g, d, "key");
  if (spec.label.empty()) {
    return absl::InvalidArgumentError(absl::StrCat("--nodes ", g.path, " needs --label"));
  }
  auto types = ParseTypes(g.types.empty() ? d.types : g.types);
  if (!types.ok()) return types.status();
  format.types = *std::move(types);
  spec.format = std::move(format);
  return spec;
}

absl::StatusOr<ImportStep> EdgeStep(const Group& g, const Group& d, CsvFormat format) {
  EdgeCsv spec;
  spec.path = g.path;
  spec.type = Get(g, d, "type");
  spec.type_column = Get(g, d, "type-column");
  const std::string label = Get(g, d, "label");
  spec.source_label = Get(g, d, "source-label", label);
  spec.target_label = Get(g, d, "target-label", label);
  spec.source_column = Get(g, d, "source", spec.source_column);
  spec.target_column = Get(g, d, "target", spec.target_column);
  spec.weight_column = Get(g, d, "weight");
  if (spec.type.empty() == spec.type_column.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("--edges ", g.path, " needs either --type or --type-column"));
  }
  if (spec.source_label.empty() || spec.target_label.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--edges ", g.path, " needs --source-label and --target-label (or --label for both)"));
  }
  auto types = ParseTypes(g.types.empty() ? d.types : g.types);
  if (!types.ok()) return types.status();
  format.types = *std::move(types);
  spec.format = std::move(format);
  return spec;
}

ImportStep TriplesStep(const Group& g, const Group& d, CsvFormat format) {
  TriplesCsv spec;
  spec.path = g.path;
  spec.label = Get(g, d, "label", spec.label);
  spec.format = std::move(format);
  return spec;
}

}  // namespace

absl::StatusOr<std::vector<ImportStep>> PlanImport(const std::vector<CLI::Option*>& parse_order,
                                                   const ImportOptions& options,
                                                   const CsvFormat& format) {
  auto groups = GroupOptions(parse_order, options);
  if (!groups.ok()) return groups.status();
  if (groups->size() == 1) {
    return absl::InvalidArgumentError("nothing to import: give --nodes, --edges or --triples");
  }
  const Group& defaults = (*groups)[0];
  std::vector<ImportStep> nodes, others;
  for (size_t i = 1; i < groups->size(); ++i) {
    const Group& g = (*groups)[i];
    if (g.kind == "nodes") {
      auto s = NodeStep(g, defaults, format);
      if (!s.ok()) return s.status();
      nodes.push_back(*std::move(s));
    } else if (g.kind == "edges") {
      auto s = EdgeStep(g, defaults, format);
      if (!s.ok()) return s.status();
      others.push_back(*std::move(s));
    } else {
      others.push_back(TriplesStep(g, defaults, format));
    }
  }
  for (auto& s : others) nodes.push_back(std::move(s));
  return nodes;
}

const char* StepKind(const ImportStep& step) {
  return std::visit(
      [](const auto& s) -> const char* {
        using T = std::decay_t<decltype(s)>;
        return std::is_same_v<T, NodeCsv>   ? "nodes"
               : std::is_same_v<T, EdgeCsv> ? "edges"
                                            : "triples";
      },
      step);
}

const std::string& StepPath(const ImportStep& step) {
  return std::visit([](const auto& s) -> const std::string& { return s.path; }, step);
}

}  // namespace nendb::cli
