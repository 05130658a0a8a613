// libFuzzer target for the projection-file loader: the input is one
// projection file (docs/format/graph.md). A damaged file must be a
// Corruption error (or FailedPrecondition for a newer format); a file that
// loads must be safe for every kernel, so the loaded graph runs BFS,
// PageRank (whose pull builds the lazy in-weights of a weighted directed
// graph), SSSP, components and k-cores. Crashes, hangs, leaks, undefined
// behaviour and reads out of bounds are the bugs this looks for.
//
// An input whose checksums are wrong runs a second time with them
// recomputed (FixSectionChecksums), so that mutations reach the range
// checks behind the checksums.
#include <cstdint>
#include <string>

#include "algo/bfs.h"
#include "algo/graph_file.h"
#include "algo/kcore.h"
#include "algo/pagerank.h"
#include "algo/scc.h"
#include "algo/sssp.h"
#include "algo/wcc.h"
#include "fuzz_util.h"
#include "nendb/env.h"
#include "spdlog/spdlog.h"

namespace nendb::fuzz {
namespace {

void RunOne(const std::string& file) {
  auto env = Env::NewMemEnv();
  (void)env->CreateDir(kScratchDir);
  const std::string path = std::string(kScratchDir) + "/graph.ngr";
  if (!WriteFile(env.get(), path, file).ok()) return;
  // What make_corpus's seeds say, but for the commit and key; node ids up
  // to 2^20 (a database's own bound is that of its snapshot).
  algo::GraphFileId id;
  id.generation = 2;
  id.database_id.fill(0x5A);
  id.node_id_bound = uint64_t{1} << 20;
  id.exact = false;
  auto g = algo::LoadGraphFile(env.get(), path, id, 1);
  if (!g.ok()) return;
  const algo::Graph& graph = **g;
  algo::Control c;
  c.threads = 1;
  if (graph.num_vertices() > 0) {
    (void)algo::Bfs(graph, {0}, -1, c);
    if (graph.weighted()) (void)algo::Sssp(graph, 0, 0, c);
  }
  algo::PageRankOptions pr;
  pr.max_iterations = 3;
  (void)algo::PageRank(graph, pr, c);
  (void)algo::Wcc(graph, c);
  (void)algo::Scc(graph, c);
  (void)algo::CoreNumbers(graph, c);
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
