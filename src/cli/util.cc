// Implements util.h.
#include "cli/util.h"

#include <iostream>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "cli/command.h"
#include "nendb/options.h"

namespace nendb::cli {

int ParseArgs(CLI::App& app, int argc, char** argv) {
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    std::cerr << "nendb: " << e.what() << "\nRun with --help for more information.\n";
    return kExitError;
  }
  return -1;
}

std::string CommandFooter(const std::string& examples) {
  return absl::StrCat(examples, "\n\n", kExitCodesHelp);
}

int Fail(const absl::Status& status) { return Fail(std::string(status.message())); }

int Fail(const std::string& message) {
  std::cerr << "nendb: " << message << "\n";
  return kExitError;
}

absl::StatusOr<std::unique_ptr<Database>> OpenExisting(const std::string& path, bool read_only) {
  Options options;
  options.create_if_missing = false;
  options.read_only = read_only;
  return Database::Open(path, options);
}

std::string FormatBytes(uint64_t bytes) {
  const char* units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
  double v = static_cast<double>(bytes);
  int u = 0;
  while (v >= 1024 && u < 4) {
    v /= 1024;
    ++u;
  }
  return u == 0 ? absl::StrCat(bytes, " B") : absl::StrFormat("%.1f %s", v, units[u]);
}

absl::StatusOr<ValueType> ParseTypeName(const std::string& name) {
  const std::string n = absl::AsciiStrToLower(name);
  if (n == "int64" || n == "int" || n == "integer") return ValueType::kInt64;
  if (n == "float64" || n == "float" || n == "double") return ValueType::kFloat64;
  if (n == "bool" || n == "boolean") return ValueType::kBool;
  if (n == "string" || n == "str" || n == "text") return ValueType::kString;
  return absl::InvalidArgumentError(
      absl::StrCat("unknown column type \"", name, "\"; use int64, float64, bool or string"));
}

}  // namespace nendb::cli
