// make_corpus: writes the seed corpus of the fuzz targets from real databases
// built through the library in a POSIX temporary directory:
//
//   make_corpus tests/fuzz/corpus     (replaces corpus/log and corpus/snapshot)
//   make_corpus tests/fuzz/corpus graph   (replaces corpus/graph only)
//   make_corpus tests/fuzz/corpus index   (replaces corpus/index only)
//
// Random bytes almost never pass a log's or snapshot's checksums, so the
// fuzzers start from real files and mutate them. The workloads cover every
// operation the log records and every property type, deletes (free slots and
// chains), bulk inserts, several transactions per log, a transaction that
// spans several data records and one voided by an abort record, a torn tail
// and damage to acknowledged records. Logs of generation 1 follow a new
// database, the others PopulateBase's: the states log_fuzzer rebuilds in
// memory. Each is checked to replay completely there, so that the seeds reach
// every operation rather than stop at a replay error.
//
// The database ids are random, so every run writes different bytes; run it
// when the formats or PopulateBase change, and check in the result. The
// projection files of corpus/graph are small generated graphs with fixed
// ids, the same bytes every run: directed and undirected, weighted or not,
// with a vertex map (degree-ordered) or without, and one without vertices.
// Those of corpus/index are small HNSW graphs over IndexFuzzVectors, also
// the same bytes every run: cosine, squared L2 with removed slots and
// pending rows, an empty one, Hamming, and L2 with int8 codes, removed
// slots and pending rows.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <tuple>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "algo/generate.h"
#include "algo/graph_file.h"
#include "algo/reorder.h"
#include "db/files.h"
#include "fuzz_util.h"
#include "nendb/batch.h"
#include "nendb/database.h"
#include "nendb/env.h"
#include "util/status_macros.h"
#include "vector/hnsw_file.h"
#include "wal/log_format.h"
#include "wal/log_reader.h"
#include "wal/log_writer.h"

namespace nendb::fuzz {
namespace {

namespace fs = std::filesystem;

// Seeds larger than this slow every fuzzer iteration that picks them.
constexpr size_t kMaxSeedBytes = 64 << 10;

using TxnFn = std::function<absl::Status(WriteTransaction&)>;

absl::Status InTxn(Database& db, const TxnFn& fn) {
  auto tx = db.BeginWrite();
  if (!tx.ok()) return tx.status();
  if (absl::Status s = fn(**tx); !s.ok()) return s;
  return (*tx)->Commit();
}

template <typename T>
absl::Status StatusOf(const absl::StatusOr<T>& s) {
  return s.status();
}

// ---- Workloads: each a list of transactions. ----

// Every single-item operation and every property type, on a new database.
std::vector<TxnFn> PropsWorkload() {
  return {
      [](WriteTransaction& tx) {
        LabelSchema schema;
        schema.strict = true;
        schema.properties = {{"i", ValueType::kInt64, 0, true},
                             {"f", ValueType::kFloat64},
                             {"b", ValueType::kBool},
                             {"s", ValueType::kString},
                             {"v", ValueType::kVector, 3}};
        return tx.DefineLabel("Typed", schema);
      },
      [](WriteTransaction& tx) -> absl::Status {
        for (int64_t i = 0; i < 4; ++i) {
          auto n = tx.AddNode("Typed", Key(i),
                              {{"i", i},
                               {"f", 0.25 * static_cast<double>(i)},
                               {"b", i % 2 == 0},
                               {"s", absl::StrCat("str-", i)},
                               {"v", std::vector<float>{1.0f, -2.5f, static_cast<float>(i)}}});
          if (!n.ok()) return n.status();
        }
        auto a = tx.AddNode(std::vector<std::string>{"Person", "Admin"}, Key("ann"),
                            {{"age", 33}, {"tags", "x"}});
        if (!a.ok()) return a.status();
        auto b = tx.AddNode("Person", Key("ben"), {{"age", 35}, {"vec", std::vector<float>{0.5f}}});
        if (!b.ok()) return b.status();
        return StatusOf(tx.AddNode("Loose"));
      },
      [](WriteTransaction& tx) -> absl::Status {
        auto ann = tx.FindNode("Person", Key("ann"));
        auto ben = tx.FindNode("Person", Key("ben"));
        auto t0 = tx.FindNode("Typed", Key(int64_t{0}));
        if (!ann.ok() || !ben.ok() || !t0.ok()) return absl::InternalError("missing node");
        auto e1 = tx.AddEdge(*ann, *ben, "KNOWS", 0.75,
                             {{"since", 2001},
                              {"w", 1.5},
                              {"close", true},
                              {"how", "work"},
                              {"emb", std::vector<float>{3.0f, 4.0f}}});
        if (!e1.ok()) return e1.status();
        auto e2 = tx.AddEdge(*ben, *t0, "OWNS");
        if (!e2.ok()) return e2.status();
        auto e3 = tx.AddEdge(*t0, *t0, "SELF", -1.0);
        if (!e3.ok()) return e3.status();
        if (auto s = tx.SetWeight(*e2, 9.5); !s.ok()) return s;
        if (auto s = tx.SetEdgeProperty(*e2, "note", "mine"); !s.ok()) return s;
        if (auto s = tx.SetEdgeProperty(*e1, "how", Value::Null()); !s.ok()) return s;
        return tx.SetProperty(*ann, "nick", "a");
      },
      [](WriteTransaction& tx) -> absl::Status {
        auto ann = tx.FindNode("Person", Key("ann"));
        auto ben = tx.FindNode("Person", Key("ben"));
        auto t1 = tx.FindNode("Typed", Key(int64_t{1}));
        auto t3 = tx.FindNode("Typed", Key(int64_t{3}));
        if (!ann.ok() || !ben.ok() || !t1.ok() || !t3.ok()) return absl::InternalError("missing");
        if (auto s = tx.SetProperty(*t1, "f", Value::Null()); !s.ok()) return s;
        if (auto s = tx.SetProperty(*t1, "s", "changed"); !s.ok()) return s;
        if (auto s = tx.SetProperty(*ben, "age", Value::Null()); !s.ok()) return s;
        if (auto s = tx.AddLabel(*ben, "Admin"); !s.ok()) return s;
        if (auto s = tx.RemoveLabel(*ann, "Person"); !s.ok()) return s;  // primary moves
        std::vector<EdgeId> edges;
        if (auto s = tx.ScanEdges("OWNS", &edges, nullptr, nullptr, nullptr); !s.ok()) return s;
        for (EdgeId e : edges) {
          if (auto s = tx.DeleteEdge(e); !s.ok()) return s;
        }
        if (auto s = tx.DeleteNode(*t3); !s.ok()) return s;
        return tx.DeleteNode(*ann, /*detach=*/true);
      },
      // Reuses the slots freed above.
      [](WriteTransaction& tx) -> absl::Status {
        auto n = tx.AddNode("Typed", Key(int64_t{10}), {{"i", int64_t{10}}});
        if (!n.ok()) return n.status();
        auto ben = tx.FindNode("Person", Key("ben"));
        if (!ben.ok()) return ben.status();
        return StatusOf(tx.AddEdge(*n, *ben, "KNOWS"));
      },
  };
}

// Bulk inserts with columns of every type, validity masks and both key kinds.
std::vector<TxnFn> BulkWorkload() {
  return {
      [](WriteTransaction& tx) -> absl::Status {
        const std::vector<int64_t> keys = {100, 101, 102, 103, 104};
        const std::vector<int64_t> ints = {1, 2, 3, 4, 5};
        const std::vector<double> floats = {0.5, 1.5, 2.5, 3.5, 4.5};
        const std::vector<uint8_t> bools = {1, 0, 1, 0, 1};
        const std::vector<float> vecs = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
        const std::vector<uint64_t> offsets = {0, 1, 3, 3, 6, 10};
        const std::string bytes = "abcdefghij";
        const std::vector<uint8_t> valid = {1, 1, 0, 1, 0};
        NodeBatch b;
        b.labels = {"Item", "Stock"};
        b.count = 5;
        b.keys.ints = keys;
        b.properties = {BulkColumn::Int64("n", ints), BulkColumn::Float64("price", floats),
                        BulkColumn::Bool("ok", bools), BulkColumn::Vector("emb", vecs, 2),
                        BulkColumn::String("name", StringColumn{offsets, bytes})};
        b.properties[1].valid = valid;
        std::vector<NodeId> ids(5);
        return tx.AddNodes(b, absl::MakeSpan(ids));
      },
      [](WriteTransaction& tx) -> absl::Status {
        const std::vector<uint64_t> offsets = {0, 2, 4, 6};
        const std::string bytes = "k1k2k3";
        const std::vector<int64_t> ints = {7, 8, 9};
        NodeBatch b;
        b.labels = {"Tag"};
        b.count = 3;
        b.keys.strings = StringColumn{offsets, bytes};
        b.properties = {BulkColumn::Int64("n", ints)};
        if (auto s = tx.AddNodes(b, {}); !s.ok()) return s;
        NodeBatch plain;
        plain.labels = {"Plain"};
        plain.count = 2;
        return tx.AddNodes(plain, {});
      },
      [](WriteTransaction& tx) -> absl::Status {
        auto items = tx.NodesWithLabel("Item");
        if (!items.ok()) return items.status();
        auto tags = tx.NodesWithLabel("Tag");
        if (!tags.ok()) return tags.status();
        const std::vector<NodeId> src = {(*items)[0], (*items)[1], (*items)[2], (*tags)[0]};
        const std::vector<NodeId> dst = {(*tags)[0], (*tags)[1], (*tags)[2], (*items)[4]};
        const std::vector<double> weights = {1, 2, 3, 4};
        const std::vector<int64_t> qty = {5, 6, 7, 8};
        const std::vector<uint64_t> offsets = {0, 1, 2, 3, 4};
        const std::string bytes = "wxyz";
        EdgeBatch b;
        b.sources = src;
        b.targets = dst;
        b.type = "TAGGED";
        b.weights = weights;
        b.properties = {BulkColumn::Int64("qty", qty),
                        BulkColumn::String("by", StringColumn{offsets, bytes})};
        if (auto s = tx.AddEdges(b, {}); !s.ok()) return s;
        EdgeBatch unweighted;
        unweighted.sources = dst;
        unweighted.targets = src;
        unweighted.type = "BACK";
        return tx.AddEdges(unweighted, {});
      },
      [](WriteTransaction& tx) -> absl::Status {
        auto items = tx.NodesWithLabel("Item");
        if (!items.ok()) return items.status();
        return tx.DeleteNode((*items)[1], /*detach=*/true);
      },
  };
}

// Changes to PopulateBase's nodes and edges, and inserts into their labels.
std::vector<TxnFn> UpdatesWorkload() {
  return {
      [](WriteTransaction& tx) -> absl::Status {
        auto alice = tx.FindNode("Person", Key("alice"));
        auto bob = tx.FindNode("Person", Key("bob"));
        auto city = tx.FindNode("City", Key(int64_t{7}));
        if (!alice.ok() || !bob.ok() || !city.ok()) return absl::InternalError("missing");
        if (auto s = tx.SetProperty(*alice, "age", 31); !s.ok()) return s;
        if (auto s = tx.SetProperty(*alice, "height", 1.68); !s.ok()) return s;
        if (auto s = tx.SetProperty(*alice, "vip", true); !s.ok()) return s;
        if (auto s = tx.SetProperty(*alice, "emb", std::vector<float>{0.1f, 0.2f}); !s.ok()) {
          return s;
        }
        if (auto s = tx.SetProperty(*bob, "score", Value::Null()); !s.ok()) return s;
        if (auto s = tx.RemoveLabel(*bob, "Admin"); !s.ok()) return s;
        if (auto s = tx.AddLabel(*city, "Capital"); !s.ok()) return s;
        auto carol = tx.AddNode("Person", Key("carol"), {{"age", 25}, {"name", "Carol"}});
        if (!carol.ok()) return carol.status();
        return StatusOf(tx.AddEdge(*carol, *alice, "KNOWS", 0.9, {{"since", 2020}}));
      },
      [](WriteTransaction& tx) -> absl::Status {
        std::vector<EdgeId> lives;
        if (auto s = tx.ScanEdges("LIVES_IN", &lives, nullptr, nullptr, nullptr); !s.ok()) {
          return s;
        }
        if (auto s = tx.SetWeight(lives[0], 3.0); !s.ok()) return s;
        if (auto s = tx.SetEdgeProperty(lives[0], "since", 2021); !s.ok()) return s;
        if (auto s = tx.SetEdgeProperty(lives[1], "via", "car"); !s.ok()) return s;
        return tx.DeleteEdge(lives[1]);
      },
      [](WriteTransaction& tx) -> absl::Status {
        auto bob = tx.FindNode("Person", Key("bob"));
        if (!bob.ok()) return bob.status();
        if (auto s = tx.DeleteNode(*bob, /*detach=*/true); !s.ok()) return s;
        return StatusOf(tx.AddNode("Person", Key("dave"), {{"age", 50}}));
      },
  };
}

// Bulk inserts into PopulateBase's labels (existing columns and keys).
std::vector<TxnFn> BaseBulkWorkload() {
  return {
      [](WriteTransaction& tx) -> absl::Status {
        const std::vector<uint64_t> offsets = {0, 3, 6, 9};
        const std::string bytes = "eveeddfay";
        const std::vector<int64_t> ages = {20, 21, 22};
        NodeBatch b;
        b.labels = {"Person"};
        b.count = 3;
        b.keys.strings = StringColumn{offsets, bytes};
        b.properties = {BulkColumn::Int64("age", ages)};
        std::vector<NodeId> ids(3);
        if (auto s = tx.AddNodes(b, absl::MakeSpan(ids)); !s.ok()) return s;
        auto city = tx.FindNode("City", Key(int64_t{7}));
        if (!city.ok()) return city.status();
        const std::vector<NodeId> dst = {*city, *city, *city};
        const std::vector<int64_t> since = {2000, 2001, 2002};
        EdgeBatch e;
        e.sources = ids;
        e.targets = dst;
        e.type = "LIVES_IN";
        e.properties = {BulkColumn::Int64("since", since)};
        return tx.AddEdges(e, {});
      },
  };
}

// ---- Files ----

absl::Status WritePosix(const fs::path& path, absl::string_view data) {
  if (data.size() > kMaxSeedBytes) {
    return absl::OutOfRangeError(absl::StrCat(path.string(), " would be ", data.size(), " bytes"));
  }
  return WriteFile(Env::Default(), path.string(), data);
}

absl::StatusOr<std::string> ReadPosix(const fs::path& path) {
  return ReadFile(Env::Default(), path.string());
}

// Where the records of a log end (past its last commit or abort record).
absl::StatusOr<uint64_t> CommittedEnd(absl::string_view log) {
  auto env = Env::NewMemEnv();
  const std::string path = absl::StrCat(kScratchDir, "/end.log");
  (void)env->CreateDir(kScratchDir);
  if (absl::Status s = WriteFile(env.get(), path, log); !s.ok()) return s;
  auto info = wal::ReadLogHeader(env.get(), path);
  if (!info.ok()) return info.status();
  wal::ScanOptions scan;
  scan.expect = *info;
  auto r = wal::ScanLog(env.get(), path, scan,
                        [](uint64_t, absl::string_view) { return absl::OkStatus(); });
  if (!r.ok()) return r.status();
  return r->committed_end;
}

// A log file as the writer leaves it, but for the zeros it writes ahead of
// its records: a few stay, so that seeds look like real logs, not megabytes.
absl::StatusOr<std::string> ReadLog(const fs::path& path) {
  constexpr uint64_t kZeroTail = 64;
  auto log = ReadPosix(path);
  if (!log.ok()) return log.status();
  auto end = CommittedEnd(*log);
  if (!end.ok()) return end.status();
  if (log->size() > *end + kZeroTail) log->resize(*end + kZeroTail);
  return log;
}

// Whether `log` replays completely in the directory log_fuzzer builds for it:
// every transaction up to `last_sequence` applied, nothing reported.
absl::Status CheckReplays(const BaseSnapshots& bases, absl::string_view log,
                          uint64_t last_sequence) {
  auto env = Env::NewMemEnv();
  const std::string path = absl::StrCat(kScratchDir, "/seed.log");
  (void)env->CreateDir(kScratchDir);
  if (absl::Status s = WriteFile(env.get(), path, log); !s.ok()) return s;
  PrepareDatabaseDir(env.get(), bases, log, wal::ReadLogHeader(env.get(), path));
  auto db = Database::Open(kDbDir, FuzzOptions(env.get()));
  if (!db.ok()) return db.status();
  auto stats = (*db)->Stats();
  if (!stats.ok()) return stats.status();
  if (stats->sequence != last_sequence) {
    return absl::InternalError(absl::StrCat("replayed up to sequence ", stats->sequence,
                                            ", the log holds ", last_sequence));
  }
  std::string report;
  if (absl::Status s = (*db)->Check(&report); !s.ok()) return s;
  return (*db)->Close();
}

class CorpusWriter {
 public:
  CorpusWriter(fs::path out, fs::path scratch, BaseSnapshots bases)
      : out_(std::move(out)), scratch_(std::move(scratch)), bases_(std::move(bases)) {}

  // Runs txns on a new database (on PopulateBase's if `on_base`) and saves
  // its log as log/<name>.log and, checkpointed, its snapshot as
  // snapshot/<name>.nds. Returns the log.
  absl::StatusOr<std::string> Save(const std::string& name, bool on_base,
                                   const std::vector<TxnFn>& txns, bool save_snapshot) {
    const fs::path dir = scratch_ / name;
    Options o = FuzzOptions(Env::Default());
    auto db = Database::Open(dir.string(), o);
    if (!db.ok()) return db.status();
    if (on_base) {
      if (absl::Status s = PopulateBase(**db); !s.ok()) return s;
      if (absl::Status s = (*db)->Checkpoint(); !s.ok()) return s;
    }
    for (const TxnFn& fn : txns) {
      if (absl::Status s = InTxn(**db, fn); !s.ok()) return s;
    }
    auto stats = (*db)->Stats();
    if (!stats.ok()) return stats.status();
    // Copied before Close(), which may checkpoint and delete the log.
    auto log = ReadLog(dir / LogName(stats->snapshot_generation));
    if (!log.ok()) return log.status();
    if (absl::Status s = CheckReplays(bases_, *log, stats->sequence); !s.ok()) {
      return absl::Status(s.code(), absl::StrCat(name, ": ", s.message()));
    }
    if (absl::Status s = WritePosix(out_ / "log" / (name + ".log"), *log); !s.ok()) return s;
    if (save_snapshot) {
      if (absl::Status s = (*db)->Checkpoint(); !s.ok()) return s;
      auto after = (*db)->Stats();
      if (!after.ok()) return after.status();
      auto snap = ReadPosix(dir / SnapshotName(after->snapshot_generation));
      if (!snap.ok()) return snap.status();
      if (absl::Status s = WritePosix(out_ / "snapshot" / (name + ".nds"), *snap); !s.ok()) {
        return s;
      }
    }
    if (absl::Status s = (*db)->Close(); !s.ok()) return s;
    return log;
  }

  // The log of PopulateBase's database written by hand through LogWriter,
  // as a transaction too large to keep in memory writes it: data records
  // while it runs, an abort record when it rolls back (the next transaction
  // reuses its sequence number), and a committed one split over several
  // data records.
  absl::Status SaveStreamed(const std::string& name) {
    const fs::path dir = scratch_ / name;
    auto db = Database::Open(dir.string(), FuzzOptions(Env::Default()));
    if (!db.ok()) return db.status();
    if (absl::Status s = PopulateBase(**db); !s.ok()) return s;
    if (absl::Status s = (*db)->Checkpoint(); !s.ok()) return s;
    // The operations of two real transactions, taken from the log they went to.
    for (const TxnFn& fn : UpdatesWorkload()) {
      if (absl::Status s = InTxn(**db, fn); !s.ok()) return s;
    }
    auto stats = (*db)->Stats();
    if (!stats.ok()) return stats.status();
    const std::string path = (dir / LogName(stats->snapshot_generation)).string();
    auto info = wal::ReadLogHeader(Env::Default(), path);
    if (!info.ok()) return info.status();
    std::vector<std::string> txn_ops;
    wal::ScanOptions scan;
    scan.expect = *info;
    auto scanned = wal::ScanLog(Env::Default(), path, scan, [&](uint64_t, absl::string_view ops) {
      txn_ops.emplace_back(ops);
      return absl::OkStatus();
    });
    if (!scanned.ok()) return scanned.status();
    if (absl::Status s = (*db)->Close(); !s.ok()) return s;
    if (txn_ops.size() < 2) return absl::InternalError("expected two transactions");

    const std::string crafted = (dir / "crafted.log").string();
    auto w = wal::LogWriter::Create(Env::Default(), crafted, *info);
    if (!w.ok()) return w.status();
    const uint64_t seq = info->base_sequence + 1;
    // Voided: the second transaction's operations, which do not apply first.
    if (absl::Status s = (*w)->AddData(seq, txn_ops[1]); !s.ok()) return s;
    if (absl::Status s = (*w)->AddAbort(seq); !s.ok()) return s;
    // The first transaction in two data records, cut at an 8-byte boundary
    // as the writer cuts at kMaxPayload.
    const size_t cut = txn_ops[0].size() / 2 & ~size_t{7};
    if (absl::Status s = (*w)->AddData(seq, txn_ops[0].substr(0, cut)); !s.ok()) return s;
    if (absl::Status s = (*w)->AddData(seq, txn_ops[0].substr(cut)); !s.ok()) return s;
    if (absl::Status s = (*w)->AddCommit(seq); !s.ok()) return s;
    if (absl::Status s = (*w)->Sync(); !s.ok()) return s;
    if (absl::Status s = (*w)->AddTransaction(seq + 1, txn_ops[1]); !s.ok()) return s;
    if (absl::Status s = (*w)->Sync(); !s.ok()) return s;
    w->reset();
    auto log = ReadLog(crafted);
    if (!log.ok()) return log.status();
    if (absl::Status s = CheckReplays(bases_, *log, seq + 1); !s.ok()) {
      return absl::Status(s.code(), absl::StrCat(name, ": ", s.message()));
    }
    return WritePosix(out_ / "log" / (name + ".log"), *log);
  }

  absl::Status SaveRaw(const std::string& file, absl::string_view data) {
    return WritePosix(out_ / file, data);
  }

 private:
  const fs::path out_;
  const fs::path scratch_;
  const BaseSnapshots bases_;
};

absl::Status Run(const fs::path& out) {
  std::error_code ec;
  for (const char* sub : {"log", "snapshot"}) {
    fs::remove_all(out / sub, ec);
    fs::create_directories(out / sub, ec);
    if (ec) return absl::InternalError(absl::StrCat("creating ", (out / sub).string()));
  }
  std::string tmpl = (fs::temp_directory_path() / "nendb-corpus-XXXXXX").string();
  if (::mkdtemp(tmpl.data()) == nullptr) return absl::InternalError("mkdtemp failed");
  const fs::path scratch = tmpl;
  struct Cleanup {
    fs::path p;
    ~Cleanup() {
      std::error_code ec;
      fs::remove_all(p, ec);
    }
  } cleanup{scratch};

  auto mem = Env::NewMemEnv();
  auto bases = MakeBaseSnapshots(mem.get());
  if (!bases.ok()) return bases.status();
  CorpusWriter w(out, scratch, *bases);
  if (absl::Status s = w.SaveRaw("snapshot/new.nds", bases->empty); !s.ok()) return s;
  if (absl::Status s = w.SaveRaw("snapshot/base.nds", bases->small); !s.ok()) return s;

  for (auto [name, on_base, txns] : {std::tuple{"new_props", false, PropsWorkload()},
                                     std::tuple{"new_bulk", false, BulkWorkload()},
                                     std::tuple{"base_bulk", true, BaseBulkWorkload()}}) {
    if (auto log = w.Save(name, on_base, txns, /*save_snapshot=*/true); !log.ok()) {
      return log.status();
    }
  }
  auto updates = w.Save("base_updates", true, UpdatesWorkload(), /*save_snapshot=*/true);
  if (!updates.ok()) return updates.status();
  if (absl::Status s = w.SaveStreamed("base_streamed"); !s.ok()) return s;

  // A torn tail: the last record cut short, as by a crash during the write.
  auto end = CommittedEnd(*updates);
  if (!end.ok()) return end.status();
  const std::string torn = updates->substr(0, *end - 20);
  if (absl::Status s = w.SaveRaw("log/base_torn.log", torn); !s.ok()) return s;
  // Damage to the first record, which later records show was durable: a
  // Corruption error (or a cut with repair).
  std::string damaged = *updates;
  damaged[wal::kFileHeaderBytes + wal::kRecordHeaderBytes + 3] ^= 0x40;
  return w.SaveRaw("log/base_damaged.log", damaged);
}

absl::Status RunGraphs(const fs::path& out) {
  std::error_code ec;
  fs::remove_all(out / "graph", ec);
  fs::create_directories(out / "graph", ec);
  if (ec) return absl::InternalError(absl::StrCat("creating ", (out / "graph").string()));
  algo::GraphFileId id;
  id.generation = 2;
  id.sequence = 5;
  id.database_id.fill(0x5A);
  id.key =
      "graph\x1d\x1e\x1e"
      "d\x1e\x1d"
      "auto";
  struct Seed {
    const char* name;
    bool directed, weighted, reordered;
    int scale;
  };
  for (const Seed& s :
       {Seed{"directed", true, false, false, 5}, Seed{"weighted", true, true, true, 5},
        Seed{"undirected", false, true, false, 4}, Seed{"undirected_map", false, false, true, 4},
        Seed{"empty", true, false, false, 0}}) {
    auto g = s.scale == 0 ? algo::Graph::FromArcs(0, {}, {}, {}, true)
                          : algo::ToGraph(algo::Kronecker(s.scale, 4, 9, s.weighted), s.directed);
    if (s.reordered) g = algo::Reordered(*g, algo::DegreeOrder(*g, 1), 1);
    id.node_id_bound = g->node_id_bound();
    const std::string dir = (out / "graph").string();
    NENDB_RETURN_IF_ERROR(
        algo::WriteGraphFile(Env::Default(), dir, absl::StrCat(s.name, ".ngr"), ".tmp", *g, id));
  }
  return absl::OkStatus();
}

absl::Status RunIndexes(const fs::path& out) {
  std::error_code ec;
  fs::remove_all(out / "index", ec);
  fs::create_directories(out / "index", ec);
  if (ec) return absl::InternalError(absl::StrCat("creating ", (out / "index").string()));
  const std::vector<float> vectors = IndexFuzzVectors();
  const vec::RowView rows = vec::RowView::Flat(vectors.data(), kIndexFuzzRows, kIndexFuzzDim);
  struct Seed {
    const char* name;
    vec::Metric metric;
    uint32_t slots;
    bool removals;
    vec::Quantization quantization = vec::Quantization::kNone;
  };
  for (const Seed& s :
       {Seed{"cosine", vec::Metric::kCosine, 300, false},
        Seed{"l2sq_removed", vec::Metric::kL2Squared, 400, true},
        Seed{"empty", vec::Metric::kCosine, 0, false},
        Seed{"hamming", vec::Metric::kHamming, 300, false},
        Seed{"l2_int8_removed", vec::Metric::kL2, 400, true, vec::Quantization::kInt8}}) {
    NENDB_ASSIGN_OR_RETURN(
        auto g, vec::Hnsw::Create(s.metric, kIndexFuzzDim,
                                  {.m = 6, .ef_construction = 24, .quantization = s.quantization}));
    std::vector<uint32_t> slots(s.slots), pending;
    for (uint32_t i = 0; i < s.slots; ++i) slots[i] = i;
    NENDB_RETURN_IF_ERROR(g->Insert(rows, slots, 1));
    if (s.removals) {
      std::vector<uint32_t> gone;
      for (uint32_t i = 0; i < s.slots; i += 4) gone.push_back(i);
      g->Remove(rows, gone, 1);
      pending = {4, 8, 450};
    }
    const vec::HnswFileId id = IndexFuzzId();
    const std::string dir = (out / "index").string();
    NENDB_RETURN_IF_ERROR(vec::HnswFile::Write(Env::Default(), dir, absl::StrCat(s.name, ".nvi"),
                                               ".tmp", *g, pending, id));
  }
  return absl::OkStatus();
}

}  // namespace
}  // namespace nendb::fuzz

int main(int argc, char** argv) {
  const std::string only = argc == 3 ? argv[2] : "";
  if (argc < 2 || argc > 3 || (argc == 3 && only != "graph" && only != "index")) {
    std::fprintf(stderr, "usage: %s CORPUS_DIR [graph|index]  (e.g. tests/fuzz/corpus)\n", argv[0]);
    return 2;
  }
  absl::Status s = only.empty() ? nendb::fuzz::Run(argv[1]) : absl::OkStatus();
  if (s.ok() && only != "index") s = nendb::fuzz::RunGraphs(argv[1]);
  if (s.ok() && only != "graph") s = nendb::fuzz::RunIndexes(argv[1]);
  if (!s.ok()) {
    std::fprintf(stderr, "make_corpus: %s\n", s.ToString().c_str());
    return 1;
  }
  std::printf("make_corpus: wrote %s/%s\n", argv[1],
              only.empty() ? "{log,snapshot,graph,index}" : only.c_str());
  return 0;
}
