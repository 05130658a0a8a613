// Entry point of the `nendb` command-line tool: builds the CLI11 app from
// the commands, parses the arguments and runs the chosen command.
#include <memory>
#include <vector>

#include "CLI/CLI.hpp"
#include "cli/command.h"
#include "cli/util.h"

int main(int argc, char** argv) {
  using namespace nendb::cli;
  CLI::App app(
      "nendb: inspect, import into, check, analyse and search nendb graph databases, or open one "
      "in Python.",
      "nendb");
  app.set_version_flag("--version", "nendb " NENDB_VERSION);
  app.require_subcommand(1);
  app.footer(std::string(kExitCodesHelp) + "\nRun `nendb COMMAND --help` for a command's options.");
  std::vector<std::unique_ptr<Command>> commands;
  commands.push_back(NewInfoCommand());
  commands.push_back(NewImportCommand());
  commands.push_back(NewCheckCommand());
  commands.push_back(NewAlgoCommand());
  commands.push_back(NewKnnCommand());
  commands.push_back(NewShellCommand());
  std::vector<CLI::App*> subs;
  for (auto& c : commands) subs.push_back(c->Register(app));
  if (int code = ParseArgs(app, argc, argv); code >= 0) return code;
  for (size_t i = 0; i < commands.size(); ++i) {
    if (subs[i]->parsed()) return commands[i]->Run();
  }
  return kExitError;
}
