// Runs the built `nendb` tool from the CLI tests: its exit code, stdout and
// stderr, the JSON it prints, and the example databases the tests share.
#ifndef NENDB_TESTS_CLI_CLI_RUNNER_H_
#define NENDB_TESTS_CLI_CLI_RUNNER_H_

#include <sys/wait.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "test_util.h"

namespace nendb::testing {

inline std::string Example(const std::string& name) {
  return absl::StrCat(NENDB_EXAMPLE_DATA, "/", name);
}
inline std::string TestData(const std::string& name) {
  return absl::StrCat(NENDB_TEST_DATA, "/", name);
}

inline std::string Slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

inline std::string ShellQuote(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

struct Output {
  int code = -1;
  std::string out, err;
};

// Environment variables set for one run, NAME and value.
using Env = std::vector<std::pair<std::string, std::string>>;

// Runs `nendb args...` (stdin empty) and collects its exit code, stdout and
// stderr.
class Cli {
 public:
  Output operator()(const std::vector<std::string>& args, const Env& env = {}) const {
    std::string cmd;
    for (const auto& [name, value] : env) cmd += name + "=" + ShellQuote(value) + " ";
    cmd += ShellQuote(NENDB_CLI);
    for (const auto& a : args) cmd += " " + ShellQuote(a);
    cmd += " >" + ShellQuote(dir_.Sub("out")) + " 2>" + ShellQuote(dir_.Sub("err")) + " </dev/null";
    const int status = std::system(cmd.c_str());
    Output r;
    r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    r.out = Slurp(dir_.Sub("out"));
    r.err = Slurp(dir_.Sub("err"));
    return r;
  }

 private:
  ScratchDir dir_;
};

// What the run printed on stdout, which must be one JSON value.
inline nlohmann::json Json(const Output& r) {
  auto j = nlohmann::json::parse(r.out, nullptr, /*allow_exceptions=*/false);
  EXPECT_FALSE(j.is_discarded()) << r.out;
  return j;
}

inline std::string LesMis(const ScratchDir& dir) { return dir.Sub("lesmis"); }

// Les Miserables: 77 characters, 254 weighted co-occurrence edges.
inline Output ImportLesMis(const Cli& cli, const std::string& db) {
  return cli({"import", db, "--nodes", Example("lesmis_characters.csv"), "--label", "Character",
              "--key", "name", "--edges", Example("lesmis_cooccurrence.csv"), "--label",
              "Character", "--type", "APPEARS_WITH", "--weight", "weight"});
}

}  // namespace nendb::testing

#endif  // NENDB_TESTS_CLI_CLI_RUNNER_H_
