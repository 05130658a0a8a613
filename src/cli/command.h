// The subcommands of the `nendb` tool and its exit codes. Each command lives
// in its own file: it registers its options on the CLI11 app and runs once
// parsed.
#ifndef NENDB_CLI_COMMAND_H_
#define NENDB_CLI_COMMAND_H_

#include <memory>

#include "CLI/CLI.hpp"

namespace nendb::cli {

// Exit codes of every command.
enum ExitCode : int {
  kExitOk = 0,
  kExitProblems = 1,  // `nendb check` found damage or broken invariants
  kExitError = 2,     // a usage error or any other failure
};

inline constexpr char kExitCodesHelp[] =
    "Exit codes: 0 success; 1 `check` found problems; 2 usage error or any "
    "other failure.";

class Command {
 public:
  virtual ~Command() = default;
  // Adds the subcommand and its options to app.
  virtual CLI::App* Register(CLI::App& app) = 0;
  // Runs the parsed subcommand; returns the exit code.
  virtual int Run() = 0;
};

std::unique_ptr<Command> NewInfoCommand();
std::unique_ptr<Command> NewImportCommand();
std::unique_ptr<Command> NewCheckCommand();
std::unique_ptr<Command> NewAlgoCommand();
std::unique_ptr<Command> NewKnnCommand();
std::unique_ptr<Command> NewShellCommand();

}  // namespace nendb::cli

#endif  // NENDB_CLI_COMMAND_H_
