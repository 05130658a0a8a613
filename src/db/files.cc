#include "db/files.h"

#include "absl/strings/numbers.h"
#include "absl/strings/str_format.h"
#include "absl/strings/strip.h"

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

}  // namespace nendb
