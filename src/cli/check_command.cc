// `nendb check DB [--repair] [--json]`: verifies every checksum and store
// invariant of a database (Database::Check). Exit code 0 when sound, 1 when
// damage or broken invariants are found (including a database too damaged to
// open), 2 for other failures such as a missing database. --repair first cuts
// a write-ahead log damaged in the middle back to the transactions before the
// damage (Database::Repair), reports what it dropped, then checks.
#include <iostream>
#include <optional>
#include <string>

#include "absl/strings/str_split.h"
#include "cli/command.h"
#include "cli/util.h"
#include "nendb/database.h"
#include "nendb/errors.h"
#include "nlohmann/json.hpp"

namespace nendb::cli {
namespace {

using nlohmann::ordered_json;

constexpr char kExamples[] =
    "Opens read-only, so it runs beside a writer; --repair takes the writer lock instead.\n"
    "Examples:\n"
    "  nendb check graph.nendb\n"
    "  nendb check graph.nendb --repair      # after \"log damaged in the middle\"\n"
    "  nendb check graph.nendb --json || echo damaged";

class CheckCommand : public Command {
 public:
  CLI::App* Register(CLI::App& app) override {
    CLI::App* sub = app.add_subcommand("check",
                                       "Verify every checksum and invariant of a database.\n"
                                       "Exit code 0: sound; 1: problems found (listed); 2: could "
                                       "not check.");
    sub->footer(CommandFooter(kExamples));
    sub->add_option("DB", path_, "Database directory (must exist)")->required();
    sub->add_flag("--repair", repair_,
                  "First keep the transactions before damage in the write-ahead log and drop "
                  "the rest (reported), so the database opens again");
    sub->add_flag("--json", json_,
                  "Print one JSON object on stdout instead of text (also when problems are "
                  "found, exit code 1)");
    return sub;
  }

  int Run() override {
    if (repair_) {
      auto r = Database::Repair(path_);
      if (!r.ok()) {
        if (ErrorKindOf(r.status()) == ErrorKind::kCorruption) return Report(r.status(), "");
        return Fail(r.status());
      }
      repaired_ = *r;
      if (!json_) PrintRepair();
    }
    auto db = OpenExisting(path_, /*read_only=*/true);
    if (!db.ok()) {
      // A database too damaged to open is a finding, not a failure to check.
      if (ErrorKindOf(db.status()) == ErrorKind::kCorruption) return Report(db.status(), "");
      return Fail(db.status());
    }
    std::string report;
    const absl::Status s = (*db)->Check(&report);
    if (!s.ok() && ErrorKindOf(s) != ErrorKind::kCorruption) return Fail(s);
    return Report(s, report);
  }

 private:
  // Prints the findings; returns kExitOk if status is OK, else kExitProblems.
  int Report(const absl::Status& status, const std::string& report) {
    std::vector<std::string> lines;
    for (absl::string_view line : absl::StrSplit(report, '\n', absl::SkipEmpty())) {
      lines.emplace_back(line);
    }
    if (!status.ok() && lines.empty()) lines.emplace_back(status.message());
    if (json_) {
      ordered_json j{{"path", path_}, {"ok", status.ok()}};
      if (repaired_) {
        j["repair"] = {{"log", repaired_->log},
                       {"damaged", repaired_->damaged},
                       {"damage_offset", repaired_->damage_offset},
                       {"kept_transactions", repaired_->kept_transactions},
                       {"dropped_transactions", repaired_->dropped_transactions},
                       {"projection_files_removed", repaired_->projection_files_removed}};
      }
      j["problems"] = status.ok() ? std::vector<std::string>{} : lines;
      if (status.ok()) j["report"] = lines;
      if (!status.ok()) j["error"] = std::string(status.message());
      std::cout << j.dump(2) << "\n";
    } else if (status.ok()) {
      std::cout << path_ << ": " << (lines.empty() ? "ok" : lines[0]) << "\n";
    } else {
      std::cout << path_ << ": " << lines.size() << " problem" << (lines.size() == 1 ? "" : "s")
                << " found\n";
      for (const auto& p : lines) std::cout << "  " << p << "\n";
    }
    return status.ok() ? kExitOk : kExitProblems;
  }

  void PrintRepair() const {
    if (repaired_->projection_files_removed != 0) {
      std::cout << path_ << ": repair: removed " << repaired_->projection_files_removed
                << " projection file(s); analytics build them again\n";
    }
    if (!repaired_->damaged) {
      std::cout << path_ << ": repair: the log has no damage; nothing dropped\n";
      return;
    }
    std::cout << path_ << ": repair: " << repaired_->log << " was damaged at offset "
              << repaired_->damage_offset << "; kept " << repaired_->kept_transactions
              << " transactions from the log, dropped " << repaired_->dropped_transactions
              << " after the damage\n";
  }

  std::string path_;
  bool repair_ = false;
  bool json_ = false;
  std::optional<RepairReport> repaired_;
};

}  // namespace

std::unique_ptr<Command> NewCheckCommand() { return std::make_unique<CheckCommand>(); }

}  // namespace nendb::cli
