// `nendb shell DB [--read-only]`: an interactive Python session with `db`
// bound to nendb.open(DB) and `nendb` and `np` imported. The tool replaces
// itself (exec) with `$NENDB_PYTHON -i -c CODE DB 0|1`, else python3 from
// PATH: the Python bindings are the interactive API, so the shell is theirs
// rather than a second query language here. The path travels as an argument,
// never inside CODE, so no name can inject code.
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "cli/command.h"
#include "cli/util.h"

namespace nendb::cli {
namespace {

// Runs before the first prompt. Under -i a SystemExit (and any other
// exception) drops into the prompt instead of ending Python, hence
// os._exit; it skips no cleanup because nothing is open yet. Exit code 2 is
// kExitError. Banner and hint go to stderr like Python's own banner, so
// stdout holds only what the session prints.
constexpr char kStartup[] = R"py(import os, sys


def _nendb_shell_start(path, read_only):
    def fail(message):
        sys.stderr.write("nendb: " + message + "\n")
        sys.stderr.flush()
        os._exit(2)

    try:
        import nendb
        import numpy as np
    except ImportError as e:
        fail("cannot import the nendb Python module in " + sys.executable + " (" + str(e) +
             "); install it there with `pip install nendb` (or `pip install .` in a nendb "
             "checkout), or set NENDB_PYTHON to a Python that has it")
    try:
        db = nendb.open(path, read_only=read_only, create=False)
    except nendb.NendbError as e:
        fail(str(e))
    sys.stderr.write("nendb shell: %s%s: %d nodes, %d edges\n" % (
        db.path, " (read-only)" if read_only else "", db.num_nodes, db.num_edges))
    sys.stderr.write("db is the open database; nendb and np (numpy) are imported. "
                     "help(db) lists its methods; Ctrl-D quits.\n")
    return nendb, np, db


nendb, np, db = _nendb_shell_start(sys.argv[1], sys.argv[2] == "1")
del _nendb_shell_start
)py";

constexpr char kExamples[] =
    "The interpreter is $NENDB_PYTHON if set, else python3 from PATH; it needs the nendb\n"
    "package (pip install nendb). The session ends at end of input (Ctrl-D) with\n"
    "Python's exit code; the database is closed then.\n"
    "Examples:\n"
    "  nendb shell graph.nendb\n"
    "  nendb shell graph.nendb --read-only      # beside a writer in another process\n"
    "  echo 'print(db.pagerank()[:5])' | nendb shell graph.nendb";

// The interpreter to run: $NENDB_PYTHON unless unset or empty.
std::string PythonExecutable() {
  const char* env = std::getenv("NENDB_PYTHON");
  return env != nullptr && *env != '\0' ? env : "python3";
}

class ShellCommand : public Command {
 public:
  CLI::App* Register(CLI::App& app) override {
    CLI::App* sub = app.add_subcommand(
        "shell", "Open an interactive Python session with the database as `db`.");
    sub->footer(CommandFooter(kExamples));
    sub->add_option("DB", path_, "Database directory (must exist)")->required();
    sub->add_flag("--read-only", read_only_,
                  "Open with nendb.open(DB, read_only=True): no writes, and room for a writer "
                  "in another process");
    return sub;
  }

  // Returns only on failure; on success Python takes over the process.
  int Run() override {
    // Checked here so a wrong path fails the same way as every other command,
    // with no interpreter started.
    auto db = OpenExisting(path_, /*read_only=*/true);
    if (!db.ok()) return Fail(db.status());
    if (absl::Status s = (*db)->Close(); !s.ok()) return Fail(s);
    db->reset();  // exec runs no destructors

    const std::string python = PythonExecutable();
    std::vector<std::string> args = {python, "-i", "-c", kStartup, path_, read_only_ ? "1" : "0"};
    std::vector<char*> argv;
    for (std::string& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    execvp(python.c_str(), argv.data());
    return Fail(absl::StrCat("cannot run ", python, ": ", std::strerror(errno),
                             "; set NENDB_PYTHON to a Python 3 interpreter that has the nendb "
                             "package installed"));
  }

 private:
  std::string path_;
  bool read_only_ = false;
};

}  // namespace

std::unique_ptr<Command> NewShellCommand() { return std::make_unique<ShellCommand>(); }

}  // namespace nendb::cli
