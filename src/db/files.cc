#include "db/files.h"

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_format.h"
#include "absl/strings/strip.h"
#include "util/hash.h"

namespace nendb {
namespace {

uint64_t ParseName(absl::string_view name, absl::string_view prefix, absl::string_view suffix) {
  if (!absl::ConsumePrefix(&name, prefix) || !absl::ConsumeSuffix(&name, suffix)) return 0;
  uint64_t gen = 0;
  if (name.empty() || !absl::SimpleAtoi(name, &gen)) return 0;
  return gen;
}

}  // namespace

std::string SnapshotName(uint64_t generation) {
  return absl::StrFormat("snapshot-%012d.nds", generation);
}

std::string LogName(uint64_t generation) { return absl::StrFormat("wal-%012d.log", generation); }

uint64_t ParseSnapshotName(absl::string_view name) { return ParseName(name, "snapshot-", ".nds"); }

uint64_t ParseLogName(absl::string_view name) { return ParseName(name, "wal-", ".log"); }

std::string GraphFileName(uint64_t generation, absl::string_view key) {
  return absl::StrFormat("graph-%012d-%016x.ngr", generation,
                         StableHash(key.data(), key.size(), /*seed=*/0));
}

uint64_t ParseGraphFileName(absl::string_view name, bool* tmp) {
  if (!absl::ConsumePrefix(&name, "graph-")) return 0;
  const size_t dash = name.find('-');
  if (dash == absl::string_view::npos) return 0;
  absl::string_view rest = name.substr(dash + 1);
  *tmp = false;
  if (rest.size() < 16 + 4 || rest.substr(16, 4) != ".ngr") return 0;
  rest.remove_prefix(20);
  if (!rest.empty()) {
    if (!absl::ConsumePrefix(&rest, ".") || !absl::EndsWith(rest, ".tmp")) return 0;
    *tmp = true;
  }
  uint64_t gen = 0;
  if (dash == 0 || !absl::SimpleAtoi(name.substr(0, dash), &gen)) return 0;
  return gen;
}

}  // namespace nendb
