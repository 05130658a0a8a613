#include "db/vector_indexes.h"

#include <algorithm>
#include <memory>
#include <new>

#include "absl/strings/str_cat.h"
#include "nendb/errors.h"
#include "util/status_macros.h"

namespace nendb {
namespace {

void SortUnique(std::vector<uint32_t>* rows) {
  std::sort(rows->begin(), rows->end());
  rows->erase(std::unique(rows->begin(), rows->end()), rows->end());
}

// The rows among `rows` (all of them if null) that hold a vector: in use and set.
std::vector<uint32_t> WithVectors(const PropTable& t, const PropColumn& c,
                                  const std::vector<uint32_t>* rows) {
  std::vector<uint32_t> out;
  const uint64_t n = std::min({t.rows(), c.values.size(), c.valid.size()});
  if (rows != nullptr) {
    for (uint32_t r : *rows) {
      if (HasVector(t, c, r)) out.push_back(r);
    }
    return out;
  }
  for (uint64_t w = 0; w * 64 < n; ++w) {
    uint64_t bits = t.used.words().Get(w) & c.valid.words().Get(w);
    for (; bits != 0; bits &= bits - 1) {
      const uint64_t r = w * 64 + __builtin_ctzll(bits);
      if (r < n) out.push_back(uint32_t(r));
    }
  }
  return out;
}

// The state of def after the column's changes: folded, built or pending.
absl::StatusOr<std::shared_ptr<const VectorIndexState>> Sync(
    const VectorIndexDef& def, const std::shared_ptr<const VectorIndexState>& state,
    const PropTable* t, const PropColumn* c, const WriteCtx& ctx) {
  if (c == nullptr || c->type != ValueType::kVector) {
    return state != nullptr ? state : std::make_shared<VectorIndexState>();
  }
  const bool build = state == nullptr || state->graph == nullptr;
  if (!build && c->changed.empty()) return state;
  std::vector<uint32_t> pending = build ? std::vector<uint32_t>() : state->pending;
  pending.insert(pending.end(), c->changed.begin(), c->changed.end());
  SortUnique(&pending);
  auto next = std::make_shared<VectorIndexState>();
  if (!build && pending.size() <= FoldThreshold(state->graph->size())) {
    next->graph = state->graph;
    next->pending = std::move(pending);
    return next;
  }
  const vec::RowView rows = RowsOf(*c);
  std::unique_ptr<vec::Hnsw> graph;
  if (build) {
    NENDB_ASSIGN_OR_RETURN(
        graph, vec::Hnsw::Create(ToMetric(static_cast<VectorMetric>(def.metric)), c->dim,
                                 vec::HnswParams{.m = def.m,
                                                 .ef_construction = def.ef_construction,
                                                 .quantization = def.quantization != 0
                                                                     ? vec::Quantization::kInt8
                                                                     : vec::Quantization::kNone}));
  } else {
    graph = std::make_unique<vec::Hnsw>(*state->graph);
    graph->Remove(rows, pending, ctx.threads);
  }
  const std::vector<uint32_t> slots = WithVectors(*t, *c, build ? nullptr : &pending);
  NENDB_RETURN_IF_ERROR(graph->Insert(rows, slots, ctx.threads));
  next->graph = std::move(graph);
  return next;
}

}  // namespace

bool HasVector(const PropTable& t, const PropColumn& c, uint64_t r) {
  return r < t.rows() && r < c.values.size() && r < c.valid.size() && t.used.Get(r) &&
         c.valid.Get(r);
}

vec::Metric ToMetric(VectorMetric m) {
  switch (m) {
    case VectorMetric::kL2Squared:
      return vec::Metric::kL2Squared;
    case VectorMetric::kL2:
      return vec::Metric::kL2;
    case VectorMetric::kInnerProduct:
      return vec::Metric::kInnerProduct;
    case VectorMetric::kCosine:
      return vec::Metric::kCosine;
    case VectorMetric::kManhattan:
      return vec::Metric::kManhattan;
    case VectorMetric::kHamming:
      return vec::Metric::kHamming;
  }
  return vec::Metric::kCosine;
}

uint64_t FoldThreshold(uint64_t indexed) { return std::max<uint64_t>(1024, indexed / 128); }

vec::RowView RowsOf(const PropColumn& column) {
  const RawColumn& raw = column.values;
  std::vector<const float*> chunks;
  chunks.reserve((raw.size() + raw.rows_per_chunk() - 1) / raw.rows_per_chunk());
  for (uint64_t r = 0; r < raw.size(); r += raw.rows_per_chunk()) {
    chunks.push_back(reinterpret_cast<const float*>(raw.At(r)));
  }
  return vec::RowView(std::move(chunks), raw.chunk_shift(), column.dim, raw.size());
}

absl::Status SyncVectorIndexes(Version& v, const WriteCtx& ctx) {
  const Catalog& catalog = *v.catalog;
  v.vector_indexes.resize(catalog.vector_indexes.size());
  try {
    for (size_t i = 0; i < catalog.vector_indexes.size(); ++i) {
      const VectorIndexDef& def = catalog.vector_indexes[i];
      const PropTable* t = v.NodeProps(def.label);
      const int c = t == nullptr ? -1 : t->FindColumn(def.property);
      NENDB_ASSIGN_OR_RETURN(v.vector_indexes[i], Sync(def, v.vector_indexes[i], t,
                                                       c < 0 ? nullptr : &t->columns[c], ctx));
    }
  } catch (const std::bad_alloc&) {
    return CapacityError("out of memory updating the vector indexes");
  }
  // The changes are folded or pending now; the committed tables need not
  // keep them (a table this transaction did not copy has none).
  for (auto* tables : {&v.node_props, &v.edge_props}) {
    for (Cow<PropTable>& t : *tables) {
      if (t->owner != ctx.txn) continue;
      for (PropColumn& c : t.Mut(ctx.txn).columns) {
        c.changed.clear();
        c.changed.shrink_to_fit();
      }
    }
  }
  return absl::OkStatus();
}

int FindVectorIndex(const Version& v, uint32_t label, uint32_t property, VectorMetric metric) {
  const auto& defs = v.catalog->vector_indexes;
  for (size_t i = 0; i < defs.size() && i < v.vector_indexes.size(); ++i) {
    if (defs[i].label == label && defs[i].property == property &&
        defs[i].metric == static_cast<uint8_t>(metric)) {
      return int(i);
    }
  }
  return -1;
}

IndexView ViewOf(const Version& v, size_t index) {
  IndexView view;
  const VectorIndexDef& def = v.catalog->vector_indexes[index];
  const VectorIndexState* state = v.vector_indexes[index].get();
  view.table = v.NodeProps(def.label);
  const int c = view.table == nullptr ? -1 : view.table->FindColumn(def.property);
  if (c < 0) return view;
  view.column = &view.table->columns[c];
  if (state == nullptr || state->graph == nullptr) {
    view.unindexed = WithVectors(*view.table, *view.column, nullptr);
    return view;
  }
  view.graph = state->graph.get();
  view.unindexed = state->pending;
  view.unindexed.insert(view.unindexed.end(), view.column->changed.begin(),
                        view.column->changed.end());
  SortUnique(&view.unindexed);
  return view;
}

}  // namespace nendb
