#include "db/index_files.h"

#include <algorithm>
#include <cmath>

#include "absl/strings/str_cat.h"
#include "db/files.h"
#include "db/vector_indexes.h"
#include "nendb/errors.h"
#include "spdlog/spdlog.h"
#include "vector/hnsw_file.h"

namespace nendb {
namespace {

std::string KeyOf(const VectorIndexDef& d) {
  // Without quantization, the key files had before it.
  return absl::StrCat("vector-index\x1d", d.label, "\x1d", d.property, "\x1d", int{d.metric},
                      "\x1d", d.m, "\x1d", d.ef_construction,
                      d.quantization != 0 ? absl::StrCat("\x1d", int{d.quantization}) : "");
}

vec::HnswFileId IdOf(const Version& v, const VectorIndexDef& def) {
  vec::HnswFileId id;
  id.generation = v.gen;
  id.sequence = v.seq;
  id.database_id = v.home->database_id;
  id.key = KeyOf(def);
  return id;
}

std::string PathOf(const Version& v, const VectorIndexDef& def) {
  return absl::StrCat(v.home->dir, "/", IndexFileName(v.gen, KeyOf(def)));
}

// The column index def covers in v, if it is a vector column.
const PropColumn* ColumnOf(const Version& v, const VectorIndexDef& def, const PropTable** table) {
  *table = v.NodeProps(def.label);
  const int c = *table == nullptr ? -1 : (*table)->FindColumn(def.property);
  if (c < 0 || (*table)->columns[c].type != ValueType::kVector) return nullptr;
  return &(*table)->columns[c];
}

bool Finite(const float* v, uint32_t dim) {
  return std::all_of(v, v + dim, [](float x) { return std::isfinite(x); });
}

// Whether a graph and its pending rows (sorted) cover the column as a state
// must: every slot of the graph that is not pending holds a vector, and every
// row with a (finite) vector that is not in the graph is pending. The first
// row that breaks it, described, or empty.
std::string Uncovered(const vec::Hnsw& g, absl::Span<const uint32_t> pending, const PropTable& t,
                      const PropColumn& c) {
  const vec::RowView rows = RowsOf(c);
  const uint64_t n = std::max<uint64_t>(rows.rows(), g.capacity());
  for (uint64_t r = 0; r < n; ++r) {
    const bool in_graph = g.Contains(r);
    const bool has = HasVector(t, c, r);
    if (in_graph == has || (has && !Finite(rows.Row(r), c.dim))) continue;
    if (std::binary_search(pending.begin(), pending.end(), uint32_t(r))) continue;
    return absl::StrCat("row ", r,
                        in_graph ? " is in the graph but holds no vector"
                                 : " holds a vector the graph does not have");
  }
  return "";
}

absl::StatusOr<vec::HnswFile::Loaded> LoadOne(const Version& v, const VectorIndexDef& def,
                                              const PropTable& t, const PropColumn& c) {
  const std::string path = PathOf(v, def);
  auto loaded = vec::HnswFile::Load(v.home->env, path, IdOf(v, def), RowsOf(c));
  if (!loaded.ok()) return loaded;
  if (std::string problem = Uncovered(*loaded->graph, loaded->pending, t, c); !problem.empty()) {
    return CorruptionError(path, 0, problem, vec::kHnswFileRemedy);
  }
  return loaded;
}

}  // namespace

absl::Status LoadIndexFiles(Version& v, bool repair) {
  if (!AtSnapshot(v)) return absl::OkStatus();
  const auto& defs = v.catalog->vector_indexes;
  v.vector_indexes.resize(defs.size());
  for (size_t i = 0; i < defs.size(); ++i) {
    const PropTable* t = nullptr;
    const PropColumn* c = ColumnOf(v, defs[i], &t);
    if (c == nullptr || v.vector_indexes[i] != nullptr) continue;
    auto loaded = LoadOne(v, defs[i], *t, *c);
    if (loaded.ok()) {
      auto state = std::make_shared<VectorIndexState>();
      state->graph = std::move(loaded->graph);
      state->pending = std::move(loaded->pending);
      v.vector_indexes[i] = std::move(state);
      continue;
    }
    // Missing, another index under the same name, or a newer format: built.
    const absl::StatusCode code = loaded.status().code();
    if (code == absl::StatusCode::kNotFound || code == absl::StatusCode::kFailedPrecondition) {
      continue;
    }
    if (!repair || ErrorKindOf(loaded.status()) != ErrorKind::kCorruption) return loaded.status();
    spdlog::warn("nendb: {}; the index is built again", loaded.status().ToString());
    (void)v.home->env->DeleteFile(PathOf(v, defs[i]));
  }
  return absl::OkStatus();
}

void KeepIndexFiles(const Version& v) {
  if (!AtSnapshot(v) || !v.home->writable) return;
  const SnapshotHome& h = *v.home;
  const auto& defs = v.catalog->vector_indexes;
  for (size_t i = 0; i < defs.size() && i < v.vector_indexes.size(); ++i) {
    const VectorIndexState* state = v.vector_indexes[i].get();
    if (state == nullptr || state->graph == nullptr) continue;
    const std::string name = IndexFileName(v.gen, KeyOf(defs[i]));
    if (h.env->FileExists(absl::StrCat(h.dir, "/", name))) continue;
    const absl::Status s = vec::HnswFile::Write(h.env, h.dir, name, DerivedTmpSuffix(h),
                                                *state->graph, state->pending, IdOf(v, defs[i]));
    if (!s.ok()) {
      spdlog::warn(
          "nendb: {}: a vector index could not be kept for the next open ({}); it is built "
          "again then",
          h.dir, s.ToString());
    }
  }
}

absl::Status CheckIndexFiles(const Version& v, std::string* report) {
  if (!AtSnapshot(v)) return absl::OkStatus();
  absl::Status first;
  for (const VectorIndexDef& def : v.catalog->vector_indexes) {
    const PropTable* t = nullptr;
    const PropColumn* c = ColumnOf(v, def, &t);
    if (c == nullptr) continue;
    const absl::Status s = LoadOne(v, def, *t, *c).status();
    if (s.ok() || s.code() == absl::StatusCode::kNotFound ||
        s.code() == absl::StatusCode::kFailedPrecondition) {
      continue;
    }
    absl::StrAppend(report, "vector index file ", IndexFileName(v.gen, KeyOf(def)), ": ",
                    s.message(), "\n");
    if (first.ok()) first = s;
  }
  return first;
}

absl::Status CheckVectorIndexes(const Version& v, std::string* report) {
  const auto& defs = v.catalog->vector_indexes;
  absl::Status first;
  for (size_t i = 0; i < defs.size() && i < v.vector_indexes.size(); ++i) {
    const VectorIndexState* state = v.vector_indexes[i].get();
    const PropTable* t = nullptr;
    const PropColumn* c = ColumnOf(v, defs[i], &t);
    if (state == nullptr || state->graph == nullptr || c == nullptr) continue;
    std::string problem = std::string(state->graph->Check().message());
    if (problem.empty()) problem = Uncovered(*state->graph, state->pending, *t, *c);
    if (problem.empty()) continue;
    absl::StrAppend(report, "vector index ", i, " (", v.catalog->labels.Name(defs[i].label), ".",
                    v.catalog->property_names.Name(defs[i].property), "): ", problem, "\n");
    if (first.ok()) first = absl::InternalError(absl::StrCat("vector index: ", problem));
  }
  return first;
}

}  // namespace nendb
