#include "db/projections.h"

#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "algo/graph_file.h"
#include "algo/reorder.h"
#include "db/files.h"
#include "nendb/errors.h"
#include "spdlog/spdlog.h"
#include "util/status_macros.h"

namespace nendb {
namespace {

using GraphPtr = std::shared_ptr<const algo::Graph>;

constexpr char kKeyPrefix[] = "graph\x1d";

// What a version's cache holds per projection and order.
struct Cached {
  algo::Projection projection;
  GraphPtr graph;
};

std::string KeyOf(const algo::Projection& p, VertexOrder order) {
  const char* o = order == VertexOrder::kAuto     ? "auto"
                  : order == VertexOrder::kDegree ? "degree"
                                                  : "natural";
  return absl::StrCat(kKeyPrefix, p.Key(), "\x1d", o);
}

algo::GraphFileId IdOf(const Version& v, const std::string& key) {
  algo::GraphFileId id;
  id.generation = v.gen;
  id.sequence = v.seq;
  id.database_id = v.home->database_id;
  id.node_id_bound = v.nodes->slots();
  id.key = key;
  return id;
}

std::string PathOf(const Version& v, const std::string& key) {
  return absl::StrCat(v.home->dir, "/", GraphFileName(v.gen, key));
}

// Writes g as v's projection file for key, if this process may.
void Keep(const Version& v, const std::string& key, const algo::Graph& g) {
  const SnapshotHome& h = *v.home;
  if (!h.writable) return;
  const absl::Status s = algo::WriteGraphFile(h.env, h.dir, GraphFileName(v.gen, key),
                                              DerivedTmpSuffix(h), g, IdOf(v, key));
  if (!s.ok()) {
    spdlog::warn(
        "nendb: {}: a projection could not be kept for the next open ({}); it is "
        "built again then",
        h.dir, s.ToString());
  }
}

absl::StatusOr<GraphPtr> Build(const Version& v, const algo::Projection& p, VertexOrder order,
                               bool committed, int threads) {
  // A reordered graph is built from a natural one that is then dropped (it
  // stays only if borrowed from the snapshot, which costs nothing), so the
  // cache holds one copy of the topology per projection and order. kAuto
  // reorders only what the cache keeps: a write transaction's view changes
  // with it, so it is built for one call, which reordering costs more than
  // it saves for most kernels.
  NENDB_ASSIGN_OR_RETURN(GraphPtr g, algo::Graph::Build(v, p, threads));
  if (order == VertexOrder::kNatural ||
      (order == VertexOrder::kAuto && (!committed || !algo::WorthReordering(*g)))) {
    return g;
  }
  return algo::Reordered(*g, algo::DegreeOrder(*g, threads), threads);
}

// The projection from its file, else built (and its file written).
absl::StatusOr<std::shared_ptr<const Cached>> LoadOrBuild(const Version& v,
                                                          const algo::Projection& p,
                                                          VertexOrder order, const std::string& key,
                                                          int threads) {
  auto cached = std::make_shared<Cached>();
  cached->projection = p;
  bool keep = false;
  // Not for the snapshot's own adjacency, which costs nothing to borrow.
  if (AtSnapshot(v) && !(order == VertexOrder::kNatural && algo::Graph::Borrows(v, p))) {
    const algo::GraphFileId id = IdOf(v, key);
    auto loaded = algo::LoadGraphFile(v.home->env, PathOf(v, key), id, threads);
    if (loaded.ok()) {
      cached->graph = *std::move(loaded);
      return cached;
    }
    // Another projection under the same name, or a newer format: left alone.
    const absl::StatusCode code = loaded.status().code();
    if (code != absl::StatusCode::kNotFound && code != absl::StatusCode::kFailedPrecondition) {
      return loaded.status();
    }
    keep = code == absl::StatusCode::kNotFound;
  }
  NENDB_ASSIGN_OR_RETURN(cached->graph, Build(v, p, order, /*committed=*/true, threads));
  if (keep && !cached->graph->borrowed()) Keep(v, key, *cached->graph);
  return cached;
}

}  // namespace

absl::StatusOr<GraphPtr> ProjectionOf(const Version& v, const algo::Projection& p,
                                      VertexOrder order, bool committed, int threads) {
  if (!committed) return Build(v, p, order, /*committed=*/false, threads);
  const std::string key = KeyOf(p, order);
  NENDB_ASSIGN_OR_RETURN(auto cached, v.derived.Get<const Cached>(key, [&] {
    return LoadOrBuild(v, p, order, key, threads);
  }));
  return cached->graph;
}

absl::Status CheckProjectionFiles(const Version& v, int threads, std::string* report) {
  if (v.home == nullptr) return absl::OkStatus();
  NENDB_ASSIGN_OR_RETURN(auto names, v.home->env->ListDir(v.home->dir));
  absl::Status first;
  for (const std::string& name : names) {
    bool tmp = false;
    if (ParseGraphFileName(name, &tmp) != v.gen || tmp) continue;
    const std::string path = absl::StrCat(v.home->dir, "/", name);
    algo::GraphFileId id = IdOf(v, "");
    id.exact = false;
    const absl::Status s = algo::LoadGraphFile(v.home->env, path, id, threads).status();
    if (s.ok() || s.code() == absl::StatusCode::kFailedPrecondition) continue;
    absl::StrAppend(report, "projection file ", name, ": ", s.message(), "\n");
    if (first.ok()) first = s;
  }
  return first;
}

uint64_t DropProjectionFiles(const SnapshotHome& home) {
  auto names = home.env->ListDir(home.dir);
  if (!names.ok()) return 0;
  uint64_t dropped = 0;
  for (const std::string& name : *names) {
    bool tmp = false;
    if (ParseGraphFileName(name, &tmp) == 0) continue;
    dropped += home.env->DeleteFile(absl::StrCat(home.dir, "/", name)).ok();
  }
  return dropped;
}

void CarryProjections(const Version& from, const Version& to) {
  for (const auto& [key, value] : from.derived.Entries()) {
    if (!absl::StartsWith(key, kKeyPrefix)) continue;
    auto cached = std::static_pointer_cast<const Cached>(value);
    // Borrowed arcs point into the old snapshot: the new one lends its own,
    // which are the same graph in vertex order when they are the projection.
    const algo::Graph& g = *cached->graph;
    if (g.borrowed() || (g.node_ids().empty() && algo::Graph::Borrows(to, cached->projection))) {
      continue;
    }
    if (AtSnapshot(to)) Keep(to, key, *cached->graph);
    to.derived.Put(key, cached);
  }
}

}  // namespace nendb
