// libFuzzer target for the vector index file loader: the input is one index
// file (docs/format/index.md) of the fixed column IndexFuzzVectors. A damaged
// file must be a Corruption error (or FailedPrecondition for another key or
// a newer format); a file that loads must be safe for everything the
// database does with a graph, so the loaded one is checked, searched (with
// and without a filter), and changed (slots removed and inserted again).
// Crashes, hangs, leaks, undefined behaviour and reads out of bounds are the
// bugs this looks for.
//
// An input whose checksums are wrong runs a second time with them
// recomputed (FixSectionChecksums), so that mutations reach the checks
// behind the checksums.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

#include "fuzz_util.h"
#include "nendb/env.h"
#include "nendb/errors.h"
#include "spdlog/spdlog.h"
#include "vector/hnsw_file.h"

namespace nendb::fuzz {
namespace {

void RunOne(const std::string& file) {
  static const std::vector<float> vectors = IndexFuzzVectors();
  auto env = Env::NewMemEnv();
  (void)env->CreateDir(kScratchDir);
  const std::string path = std::string(kScratchDir) + "/index.nvi";
  if (!WriteFile(env.get(), path, file).ok()) return;
  const vec::RowView rows = vec::RowView::Flat(vectors.data(), kIndexFuzzRows, kIndexFuzzDim);
  auto loaded = vec::HnswFile::Load(env.get(), path, IndexFuzzId(), rows);
  if (!loaded.ok()) {
    const absl::Status& s = loaded.status();
    if (ErrorKindOf(s) != ErrorKind::kCorruption &&
        s.code() != absl::StatusCode::kFailedPrecondition) {
      std::abort();
    }
    return;
  }
  vec::Hnsw& g = *loaded->graph;
  if (!g.Check().ok()) std::abort();  // Load promised a sound graph
  std::vector<uint64_t> odd((kIndexFuzzRows + 63) / 64, 0xAAAAAAAAAAAAAAAAull);
  for (uint32_t q = 0; q < 3; ++q) {
    (void)g.Search(rows, rows.Row(q * 97), 10, 16, nullptr);
    (void)g.Search(rows, rows.Row(q * 89), 5, 16, odd.data());
  }
  std::vector<uint32_t> slots = {0, 1, 2, 3, 5, 8, 13};
  g.Remove(rows, slots, 1);
  if (!g.Insert(rows, slots, 1).ok() || !g.Check().ok()) std::abort();
}

}  // namespace
}  // namespace nendb::fuzz

extern "C" int LLVMFuzzerInitialize(int* argc, char*** argv) {
  spdlog::set_level(spdlog::level::off);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  nendb::fuzz::RunSectionFileInput(data, size, nendb::fuzz::RunOne);
  return 0;
}
