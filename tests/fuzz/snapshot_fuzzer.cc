// libFuzzer target for the snapshot loader: the input is one snapshot file
// (docs/format/snapshot.md). A damaged file must be a Corruption error, at
// open or at the first use of the damaged part; crashes, hangs, leaks,
// undefined behaviour and reads out of bounds are the bugs this looks for.
//
// Each input is loaded with snapshot::Load(verify_all=true), then opened as
// the snapshot of an in-memory database directory with the default lazy
// verification, whatever the full check said: every read must check the
// parts it uses (Version::Ready), so reads of a file that fails verification
// must fail cleanly too. Then everything is read (Dump and the rest), Check
// runs, and a small write transaction and a checkpoint rewrite the file from
// its mapped columns.
//
// An input whose checksums are wrong runs a second time with them recomputed
// (FixSectionChecksums): otherwise nearly every mutation is caught by a CRC
// and the decoders and index checks behind it are never reached.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "db/files.h"
#include "fuzz_util.h"
#include "nendb/database.h"
#include "nendb/env.h"
#include "snapshot/reader.h"
#include "spdlog/spdlog.h"

namespace nendb::fuzz {
namespace {

// Changes what a snapshot holds through the public API, so that
// copy-on-write of mapped columns, slot reuse from the file's free chains and
// the writer all run on the loaded data.
void WriteSome(Database& db) {
  auto tx_or = db.BeginWrite();
  if (!tx_or.ok()) return;
  WriteTransaction& tx = **tx_or;
  NodeId first = kNoNode;
  for (NodeId id = 0; id < tx.NodeIdBound() && first == kNoNode; ++id) {
    if (tx.HasNode(id)) first = id;
  }
  auto added = tx.AddNode("Fuzz", Key(int64_t{-1}), {{"note", "added"}});
  if (first != kNoNode) {
    (void)tx.SetProperty(first, "fuzzed", true);
    (void)tx.AddLabel(first, "Fuzz2");
    if (added.ok()) (void)tx.AddEdge(first, *added, "FUZZ", 2.0, {{"w", 1}});
  }
  std::vector<EdgeId> edges;
  if (tx.ScanEdges("", &edges, nullptr, nullptr, nullptr).ok() && !edges.empty()) {
    (void)tx.DeleteEdge(edges.front());
  }
  if (first != kNoNode) (void)tx.DeleteNode(first, /*detach=*/true);
  if (!tx.Commit().ok()) return;
  (void)db.Checkpoint();
}

void RunOne(absl::string_view file) {
  auto env = Env::NewMemEnv();
  (void)env->CreateDir(kDbDir);
  const std::string path = std::string(kDbDir) + "/" + SnapshotName(1);
  if (!WriteFile(env.get(), path, file).ok()) return;
  (void)snapshot::Load(env.get(), path, /*verify_all=*/true);
  auto db = Database::Open(kDbDir, FuzzOptions(env.get()));
  if (!db.ok()) return;
  ReadEverything(**db);
  WriteSome(**db);
  (void)(*db)->Close();
}

}  // namespace
}  // namespace nendb::fuzz

extern "C" int LLVMFuzzerInitialize(int* argc, char*** argv) {
  // Damaged files are logged by the database as they are found; at thousands
  // of inputs a second that output would be most of the run time.
  spdlog::set_level(spdlog::level::off);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  nendb::fuzz::RunSectionFileInput(data, size, nendb::fuzz::RunOne);
  return 0;
}
