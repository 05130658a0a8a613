// Helpers shared by the fuzz targets and make_corpus: the small database the
// log seeds follow, whole-file I/O through an Env, a read of everything a
// database holds, and checksum repair of fuzzed files.
//
// Checksum repair exists because every record of a log and every section of a
// snapshot carries a CRC32C: a mutated input almost always fails its checksum
// first, so without repair the fuzzer would never reach the decoders and
// bounds checks behind it. Those checks are what must hold for a file whose
// checksums happen to match (a crafted file, a bug in the writer).
#ifndef NENDB_TESTS_FUZZ_FUZZ_UTIL_H_
#define NENDB_TESTS_FUZZ_FUZZ_UTIL_H_

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <tuple>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "db/files.h"
#include "dump.h"
#include "nendb/database.h"
#include "nendb/env.h"
#include "nendb/options.h"
#include "snapshot/format.h"
#include "util/crc32c.h"
#include "vector/hnsw_file.h"
#include "wal/log_format.h"
#include "wal/log_reader.h"

namespace nendb::fuzz {

// Where the fuzz targets put a database inside their in-memory Env, and
// loose files (the in-memory Env has no files directly under "/").
inline constexpr char kDbDir[] = "/db";
inline constexpr char kScratchDir[] = "/scratch";

// The column every index file of corpus/index indexes: kIndexFuzzRows rows of
// kIndexFuzzDim floats from a fixed seed (index files do not hold vectors).
inline constexpr uint32_t kIndexFuzzDim = 8;
inline constexpr uint32_t kIndexFuzzRows = 600;
inline std::vector<float> IndexFuzzVectors() {
  std::vector<float> v(size_t{kIndexFuzzRows} * kIndexFuzzDim);
  uint64_t x = 0x9E3779B97F4A7C15ull;
  for (float& f : v) {
    x ^= x << 13, x ^= x >> 7, x ^= x << 17;  // xorshift64
    f = static_cast<float>(x >> 40) / float(1 << 24) - 0.5f;
  }
  return v;
}

// The identity of every index file of corpus/index.
inline vec::HnswFileId IndexFuzzId() {
  vec::HnswFileId id;
  id.generation = 2;
  id.sequence = 5;
  id.database_id.fill(0x5A);
  id.key =
      "vector-index\x1d"
      "0\x1d"
      "1\x1d"
      "3\x1d"
      "6\x1d"
      "24";
  return id;
}

// One thread, so runs are reproducible and the 2-core machines that run the
// fuzzers are not oversubscribed; a short busy timeout since nothing else
// writes.
inline Options FuzzOptions(Env* env) {
  Options o;
  o.env = env;
  o.threads = 1;
  o.busy_timeout = absl::Milliseconds(10);
  // Small slabs: the fuzz databases are tiny and a fresh arena per input
  // must stay cheap.
  o.arena_slab_bytes = size_t{256} << 10;
  return o;
}

inline absl::StatusOr<std::string> ReadFile(Env* env, const std::string& path) {
  auto file = env->MapFile(path);
  if (!file.ok()) return file.status();
  return std::string(reinterpret_cast<const char*>((*file)->data()), (*file)->size());
}

inline absl::Status WriteFile(Env* env, const std::string& path, absl::string_view data) {
  auto file = env->NewWritableFile(path);
  if (!file.ok()) return file.status();
  if (absl::Status s = (*file)->Append(data); !s.ok()) return s;
  return (*file)->Close();
}

// Gives a snapshot another database id and generation (and a matching header
// CRC), so that a log carrying that identity is accepted as its log.
inline void SetSnapshotIdentity(std::string* snap, const std::array<uint8_t, 16>& database_id,
                                uint64_t generation) {
  namespace s = snapshot;
  if (snap->size() < s::kHeaderBytes) return;
  s::Header h;
  std::memcpy(&h, snap->data(), sizeof(h));
  h.generation = generation;
  std::memcpy(h.database_id, database_id.data(), 16);
  std::memcpy(snap->data(), &h, sizeof(h));
  const uint32_t crc = crc32c::Value(snap->data(), s::kHeaderBytes - 4);
  std::memcpy(snap->data() + s::kHeaderBytes - 4, &crc, 4);
}

// Recomputes the header CRC and the salted CRC of every record that is framed
// well enough to find the next one. Returns whether the input looked like a
// log at all.
inline bool FixLogChecksums(std::string* log) {
  namespace w = wal;
  if (log->size() < w::kFileHeaderBytes || std::memcmp(log->data(), w::kMagic, 8) != 0) {
    return false;
  }
  w::FileHeader h;
  std::memcpy(&h, log->data(), sizeof(h));
  h.crc = crc32c::Value(&h, offsetof(w::FileHeader, crc));
  std::memcpy(log->data(), &h, sizeof(h));
  std::array<uint8_t, 16> id;
  std::memcpy(id.data(), h.database_id, 16);
  const uint32_t salt = w::Salt(id, h.generation);
  for (uint64_t at = w::kFileHeaderBytes; at + w::kRecordHeaderBytes <= log->size();) {
    w::RecordHeader r;
    std::memcpy(&r, log->data() + at, sizeof(r));
    if (r.length > w::kMaxPayload ||
        w::AlignUp(r.length) > log->size() - at - w::kRecordHeaderBytes) {
      break;
    }
    const char* p = log->data() + at;
    const uint32_t crc = crc32c::Extend(salt, p + 4, w::kRecordHeaderBytes - 4);
    r.crc = crc32c::Extend(crc, p + w::kRecordHeaderBytes, r.length);
    std::memcpy(log->data() + at, &r.crc, sizeof(r.crc));
    at += w::kRecordHeaderBytes + w::AlignUp(r.length);
  }
  return true;
}

// Recomputes, in a section file (a snapshot or a projection file), the CRC
// of every section the table locates inside the file, of the table, the
// footer (with the actual file size) and the header.
inline void FixSectionChecksums(std::string* snap) {
  namespace s = snapshot;
  if (snap->size() < s::kHeaderBytes + s::kFooterBytes) return;
  char* base = snap->data();
  const uint32_t hcrc = crc32c::Value(base, s::kHeaderBytes - 4);
  std::memcpy(base + s::kHeaderBytes - 4, &hcrc, 4);
  const uint64_t foot_at = snap->size() - s::kFooterBytes;
  s::Footer foot;
  std::memcpy(&foot, base + foot_at, sizeof(foot));
  foot.file_bytes = snap->size();
  const uint64_t table_bytes = uint64_t{foot.section_count} * sizeof(s::SectionEntry);
  if (foot.table_offset >= s::kHeaderBytes && foot.table_offset <= foot_at &&
      table_bytes <= foot_at - foot.table_offset) {
    for (uint64_t i = 0; i < foot.section_count; ++i) {
      const uint64_t entry_at = foot.table_offset + i * sizeof(s::SectionEntry);
      s::SectionEntry e;
      std::memcpy(&e, base + entry_at, sizeof(e));
      if (e.offset < s::kHeaderBytes || e.offset > foot_at || e.length > foot_at - e.offset) {
        continue;
      }
      e.crc = crc32c::Value(base + e.offset, e.length);
      std::memcpy(base + entry_at, &e, sizeof(e));
    }
    foot.table_crc = crc32c::Value(base + foot.table_offset, table_bytes);
  }
  foot.crc = crc32c::Value(&foot, offsetof(s::Footer, crc));
  std::memcpy(base + foot_at, &foot, sizeof(foot));
}

// One libFuzzer input of a section file run as given, then again with its
// checksums recomputed when that changes it.
template <typename Run>
void RunSectionFileInput(const uint8_t* data, size_t size, Run run) {
  const std::string input(reinterpret_cast<const char*>(data), size);
  run(input);
  std::string fixed = input;
  FixSectionChecksums(&fixed);
  if (fixed != input) run(fixed);
}

// The database every log seed of generation 2 continues. It must stay
// deterministic: seeds record the ids their operations produced, and replay
// onto any other state fails at the first one. A deleted node and edge leave
// free slots, so replayed inserts exercise slot reuse.
inline absl::Status PopulateBase(Database& db) {
  auto tx_or = db.BeginWrite();
  if (!tx_or.ok()) return tx_or.status();
  WriteTransaction& tx = **tx_or;
  auto alice = tx.AddNode("Person", Key("alice"), {{"age", 30}, {"name", "Alice"}});
  if (!alice.ok()) return alice.status();
  auto bob = tx.AddNode(std::vector<std::string>{"Person", "Admin"}, Key("bob"),
                        {{"age", 41}, {"score", 2.5}});
  if (!bob.ok()) return bob.status();
  auto city = tx.AddNode("City", Key(int64_t{7}), {{"pop", int64_t{100000}}, {"coast", true}});
  if (!city.ok()) return city.status();
  auto temp = tx.AddNode("Temp");
  if (!temp.ok()) return temp.status();
  for (const auto& [from, to, type] :
       {std::tuple{*alice, *bob, "KNOWS"}, std::tuple{*bob, *city, "LIVES_IN"},
        std::tuple{*alice, *city, "LIVES_IN"}, std::tuple{*city, *city, "SELF"}}) {
    auto e = tx.AddEdge(from, to, type, 0.5, {{"since", 2019}});
    if (!e.ok()) return e.status();
  }
  auto doomed = tx.AddEdge(*temp, *alice, "KNOWS");
  if (!doomed.ok()) return doomed.status();
  if (absl::Status s = tx.Commit(); !s.ok()) return s;

  tx_or = db.BeginWrite();
  if (!tx_or.ok()) return tx_or.status();
  if (absl::Status s = (*tx_or)->DeleteEdge(*doomed); !s.ok()) return s;
  if (absl::Status s = (*tx_or)->DeleteNode(*temp, /*detach=*/true); !s.ok()) return s;
  return (*tx_or)->Commit();
}

// The snapshots a log seed may follow: generation 1 of a new database (empty)
// and the checkpoint of PopulateBase (the next generation).
struct BaseSnapshots {
  std::string empty;
  std::string small;
  uint64_t small_generation = 0;
};

// Builds both in kDbDir of env (which must not hold a database yet).
inline absl::StatusOr<BaseSnapshots> MakeBaseSnapshots(Env* env) {
  BaseSnapshots b;
  auto db = Database::Open(kDbDir, FuzzOptions(env));
  if (!db.ok()) return db.status();
  auto empty = ReadFile(env, absl::StrCat(kDbDir, "/", SnapshotName(1)));
  if (!empty.ok()) return empty.status();
  b.empty = *std::move(empty);
  if (absl::Status s = PopulateBase(**db); !s.ok()) return s;
  if (absl::Status s = (*db)->Checkpoint(); !s.ok()) return s;
  auto stats = (*db)->Stats();
  if (!stats.ok()) return stats.status();
  b.small_generation = stats->snapshot_generation;
  if (absl::Status s = (*db)->Close(); !s.ok()) return s;
  auto small = ReadFile(env, absl::StrCat(kDbDir, "/", SnapshotName(b.small_generation)));
  if (!small.ok()) return small.status();
  b.small = *std::move(small);
  return b;
}

// Fills kDbDir of env (empty) with `log` as wal-<g>.log and the base snapshot
// it follows as snapshot-<g>.nds, given the log's database id so recovery
// takes the log for its own. info is the log's header, if it has one; a log
// without a usable generation goes next to the small snapshot, whose log it
// then is not.
inline void PrepareDatabaseDir(Env* env, const BaseSnapshots& bases, absl::string_view log,
                               const absl::StatusOr<wal::LogInfo>& info) {
  (void)env->CreateDir(kDbDir);
  uint64_t generation = bases.small_generation;
  std::string snapshot = bases.small;
  // Generation 0 has no file name: "snapshot-000000000000.nds" is not a
  // snapshot to the database.
  if (info.ok() && info->generation != 0) {
    generation = info->generation;
    if (generation == 1) snapshot = bases.empty;
    SetSnapshotIdentity(&snapshot, info->database_id, generation);
  }
  const std::string dir = absl::StrCat(kDbDir, "/");
  (void)WriteFile(env, dir + SnapshotName(generation), snapshot);
  (void)WriteFile(env, dir + LogName(generation), log);
}

// Reads everything db holds through a read transaction: testing::Dump (every
// node, property, key lookup, neighbour and edge, label info and Check), then
// the reads Dump leaves out. Errors are the expected outcome for damaged
// files and are ignored; only crashes and sanitizer reports matter.
inline void ReadEverything(const Database& db) {
  (void)testing::Dump(db);
  (void)db.Stats();
  auto rx_or = db.BeginRead();
  if (!rx_or.ok()) return;
  const ReadTransaction& rx = **rx_or;
  std::vector<EdgeId> ids;
  std::vector<NodeId> sources, targets;
  std::vector<double> weights;
  (void)rx.ScanEdges("", &ids, &sources, &targets, &weights);
  for (const std::string& type : rx.EdgeTypes()) {
    auto info = rx.GetEdgeTypeInfo(type);
    if (!info.ok()) continue;
    std::vector<EdgeId> typed;
    (void)rx.ScanEdges(type, &typed, nullptr, nullptr, nullptr);
    for (EdgeId e : typed) {
      for (const ColumnInfo& c : info->columns) (void)rx.GetEdgeProperty(e, c.name);
    }
  }
  for (const std::string& label : rx.Labels()) {
    auto nodes = rx.NodesWithLabel(label);
    if (!nodes.ok()) continue;
    for (NodeId n : *nodes) {
      (void)rx.Degree(n, Direction::kBoth);
      (void)rx.Degree(n, Direction::kOut, "KNOWS");
    }
  }
  // Out-of-range ids must be refused, not read.
  (void)rx.GetNode(rx.NodeIdBound());
  (void)rx.GetEdge(kNoEdge - 1);
}

}  // namespace nendb::fuzz

#endif  // NENDB_TESTS_FUZZ_FUZZ_UTIL_H_
