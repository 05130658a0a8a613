#include "db/files.h"

#include <atomic>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/strip.h"
#include "storage/version.h"
#include "util/hash.h"
#include "wal/log_format.h"

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

namespace {

std::string DerivedName(absl::string_view prefix, uint64_t generation, absl::string_view key,
                        absl::string_view ext) {
  return absl::StrFormat("%s-%012d-%016x.%s", prefix, generation,
                         StableHash(key.data(), key.size(), /*seed=*/0), ext);
}

// <prefix>-<gen>-<16 hex>.<ext>, or that followed by .<anything>.tmp.
uint64_t ParseDerivedName(absl::string_view name, absl::string_view prefix, absl::string_view ext,
                          bool* tmp) {
  if (!absl::ConsumePrefix(&name, prefix) || !absl::ConsumePrefix(&name, "-")) return 0;
  const size_t dash = name.find('-');
  if (dash == absl::string_view::npos) return 0;
  absl::string_view rest = name.substr(dash + 1);
  *tmp = false;
  if (rest.size() < 17 + ext.size() || rest[16] != '.' || rest.substr(17, ext.size()) != ext) {
    return 0;
  }
  rest.remove_prefix(17 + ext.size());
  if (!rest.empty()) {
    if (!absl::ConsumePrefix(&rest, ".") || !absl::EndsWith(rest, ".tmp")) return 0;
    *tmp = true;
  }
  uint64_t gen = 0;
  if (dash == 0 || !absl::SimpleAtoi(name.substr(0, dash), &gen)) return 0;
  return gen;
}

}  // namespace

std::string GraphFileName(uint64_t generation, absl::string_view key) {
  return DerivedName("graph", generation, key, "ngr");
}

uint64_t ParseGraphFileName(absl::string_view name, bool* tmp) {
  return ParseDerivedName(name, "graph", "ngr", tmp);
}

std::string IndexFileName(uint64_t generation, absl::string_view key) {
  return DerivedName("index", generation, key, "nvi");
}

uint64_t ParseIndexFileName(absl::string_view name, bool* tmp) {
  return ParseDerivedName(name, "index", "nvi", tmp);
}

std::string DerivedTmpSuffix(const SnapshotHome& home) {
  static std::atomic<uint64_t> writes{0};
  return absl::StrCat(".", home.tmp_tag, "-", writes.fetch_add(1), ".tmp");
}

bool AtSnapshot(const Version& v) {
  return v.home != nullptr && v.gen != 0 && v.log_end == wal::kFileHeaderBytes;
}

}  // namespace nendb
