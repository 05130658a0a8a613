// `nendb shell`: its failures before the Python session starts. The session
// itself, which needs the nendb wheel, is tested in python/tests/test_cli.py.
#include <filesystem>
#include <fstream>
#include <string>

#include "absl/strings/match.h"
#include "cli/cli_runner.h"
#include "gtest/gtest.h"

namespace nendb {
namespace {

using testing::Cli;
using testing::ImportLesMis;
using testing::LesMis;
using testing::Output;
using testing::ScratchDir;

TEST(CliTest, ShellNeedsAnExistingDatabase) {
  Cli cli;
  ScratchDir dir;
  // An interpreter that cannot run: the path is refused before any is tried.
  Output r = cli({"shell", dir.Sub("nope")}, {{"NENDB_PYTHON", dir.Sub("no-python")}});
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(r.err.rfind("nendb: ", 0), 0u) << r.err;
  EXPECT_TRUE(absl::StrContains(r.err, dir.Sub("nope"))) << r.err;
  EXPECT_FALSE(std::filesystem::exists(dir.Sub("nope")));
  EXPECT_EQ(cli({"shell"}).code, 2);
}

TEST(CliTest, ShellSaysWhichPythonItCouldNotRun) {
  Cli cli;
  ScratchDir dir;
  const std::string db = LesMis(dir);
  ASSERT_EQ(ImportLesMis(cli, db).code, 0);
  Output r = cli({"shell", db}, {{"NENDB_PYTHON", dir.Sub("no-python")}});
  EXPECT_EQ(r.code, 2);
  EXPECT_TRUE(absl::StrContains(r.err, "cannot run " + dir.Sub("no-python"))) << r.err;
  EXPECT_TRUE(absl::StrContains(r.err, "NENDB_PYTHON")) << r.err;
}

TEST(CliTest, ShellWithoutTheNendbModuleSaysHowToInstallIt) {
  Cli cli;
  ScratchDir dir;
  const std::string db = LesMis(dir);
  ASSERT_EQ(ImportLesMis(cli, db).code, 0);
  // A nendb package that fails to import stands in for a Python without
  // one, whatever the machine's python3 has installed.
  std::filesystem::create_directories(dir.Sub("fake/nendb"));
  std::ofstream(dir.Sub("fake/nendb/__init__.py"))
      << "raise ImportError('simulated: no extension module')\n";
  Output r = cli({"shell", db}, {{"PYTHONPATH", dir.Sub("fake")}});
  if (absl::StrContains(r.err, "cannot run python3")) GTEST_SKIP() << "no python3 on PATH";
  EXPECT_EQ(r.code, 2) << r.err;
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(r.err.rfind("nendb: cannot import the nendb Python module", 0), 0u) << r.err;
  EXPECT_TRUE(absl::StrContains(r.err, "simulated: no extension module")) << r.err;
  EXPECT_TRUE(absl::StrContains(r.err, "pip install nendb")) << r.err;
  EXPECT_FALSE(absl::StrContains(r.err, "Traceback")) << r.err;
  EXPECT_FALSE(absl::StrContains(r.err, ">>>")) << r.err;  // no session started
}

}  // namespace
}  // namespace nendb
