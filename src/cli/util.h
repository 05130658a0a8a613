// Helpers shared by the commands of the `nendb` tool: argument parsing with
// uniform exit codes, error printing, opening databases and formatting.
#ifndef NENDB_CLI_UTIL_H_
#define NENDB_CLI_UTIL_H_

#include <cstdint>
#include <memory>
#include <string>

#include "CLI/CLI.hpp"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "nendb/database.h"
#include "nendb/types.h"

namespace nendb::cli {

// Parses the arguments; returns -1 to go on, or the exit code after --help,
// --version (0) or a usage error (2, printed as "nendb: ...").
int ParseArgs(CLI::App& app, int argc, char** argv);

// A subcommand's help footer: its examples (and notes), then the exit codes.
std::string CommandFooter(const std::string& examples);

// Prints "nendb: <message>" to stderr and returns kExitError.
int Fail(const absl::Status& status);
int Fail(const std::string& message);

// Opens an existing database (read-only if asked).
absl::StatusOr<std::unique_ptr<Database>> OpenExisting(const std::string& path, bool read_only);

// "1.5 MiB" and the like.
std::string FormatBytes(uint64_t bytes);
// "int64" etc. from the names users type ("int", "float", "double", "str"...).
absl::StatusOr<ValueType> ParseTypeName(const std::string& name);

}  // namespace nendb::cli

#endif  // NENDB_CLI_UTIL_H_
