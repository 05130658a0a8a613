// The plan of `nendb import`: which files to import, of which kind, with
// which settings. Per-file options (--label, --key, --type, ...) apply to the
// nearest --nodes/--edges/--triples before them; given before every file
// they are defaults for all files they fit.
//
// Plain values.
#ifndef NENDB_CLI_IMPORT_PLAN_H_
#define NENDB_CLI_IMPORT_PLAN_H_

#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "CLI/CLI.hpp"
#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "nendb/import.h"

namespace nendb::cli {

// One file and how to import it.
using ImportStep = std::variant<NodeCsv, EdgeCsv, TriplesCsv>;

// Options of the import subcommand, by name without the leading dashes.
using ImportOptions = absl::flat_hash_map<std::string, CLI::Option*>;

// Names of the options that describe files, and of the per-file options.
inline constexpr const char* kFileOptions[] = {"nodes", "edges", "triples"};
inline constexpr const char* kPerFileOptions[] = {
    "label",        "key",          "types",  "type",   "type-column",
    "source-label", "target-label", "source", "target", "weight"};

// The steps in the order to run them: node files first, then edges and
// triples, each group in the order given. InvalidArgument for options that
// do not fit a file or settings that are missing.
absl::StatusOr<std::vector<ImportStep>> PlanImport(const std::vector<CLI::Option*>& parse_order,
                                                   const ImportOptions& options,
                                                   const CsvFormat& format);

// "nodes", "edges" or "triples", and the file's path.
const char* StepKind(const ImportStep& step);
const std::string& StepPath(const ImportStep& step);

}  // namespace nendb::cli

#endif  // NENDB_CLI_IMPORT_PLAN_H_
