// Graph::Build: the projection of a database version.
//
// Weights are read once per edge slot, in slot order, into a float32 array
// (sequential passes over the edge table's and property tables' columns),
// then gathered into the out-arcs by slot with prefetching: looking each
// arc's value up in the tables instead costs a few dependent cache misses
// per arc. The in-arcs of a weighted directed graph are read from the
// in-adjacency like any others, then sorted by source while in cache; their
// weights are left to the first kernel that reads them (graph.h).
#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstring>
#include <limits>
#include <memory>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "algo/graph.h"
#include "algo/graph_internal.h"
#include "nendb/errors.h"
#include "util/status_macros.h"
#include "util/thread_pool.h"

namespace nendb::algo {
namespace {

constexpr uint64_t kGrain = 4096;         // vertices per parallel chunk
constexpr uint64_t kSlotGrain = 1 << 16;  // edge slots per parallel chunk
constexpr float kNoWeight = std::numeric_limits<float>::quiet_NaN();

// What the builder needs to know about a version, resolved once.
struct Source {
  const Version& v;
  const Projection& p;
  std::vector<bool> type_ok;  // by edge type id; empty: every type
  bool check_live = false;    // deleted edges may still be listed
  bool identity = false;      // vertex = node, every node
  // Weights from a property: by edge type, its property table and column.
  std::vector<std::pair<const PropTable*, int>> weight_columns;
  // Weighted: the weight of each edge slot, kNoWeight (NaN) where it has no
  // usable one. NaN never is a weight, so the gather needs no second array
  // to tell them apart, and WeightError finds out why for the error.
  Buffer<float> slot_weight;
};

absl::Status Resolve(const Version& v, const Projection& p, Source* s) {
  if (!p.edge_types.empty()) {
    s->type_ok.assign(v.catalog->edge_types.size(), false);
    for (const std::string& t : p.edge_types) {
      auto id = v.catalog->edge_types.Find(t);
      if (!id) return absl::NotFoundError(absl::StrCat("no edge type named '", t, "'"));
      s->type_ok[*id] = true;
    }
  }
  s->check_live = v.edges->pending_count > 0;
  if (!p.weight.empty() && p.weight != "weight") {
    auto name = v.catalog->property_names.Find(p.weight);
    if (!name) return absl::NotFoundError(absl::StrCat("no property named '", p.weight, "'"));
    for (uint32_t t = 0; t < v.catalog->edge_types.size(); ++t) {
      const PropTable* props = v.EdgeProps(t);
      const int column = props == nullptr ? -1 : props->FindColumn(*name);
      s->weight_columns.push_back({props, column});
    }
  }
  return absl::OkStatus();
}

// The property weights of n edges of one type whose property rows are row,
// row + 1, ...; kNoWeight where an edge has none (or its slot is free, or
// not projected). Edges added together have consecutive rows, so the
// values are read run by run rather than by a lookup per edge.
void PropertyWeights(const Source& s, uint32_t type, uint32_t row, uint64_t n, float* out) {
  std::fill(out, out + n, kNoWeight);
  if (type >= s.weight_columns.size()) return;
  if (!s.type_ok.empty() && !s.type_ok[type]) return;
  const auto [props, column] = s.weight_columns[type];
  if (props == nullptr || column < 0 || row == kNoRow) return;
  const PropColumn& c = props->columns[column];
  if (c.type != ValueType::kInt64 && c.type != ValueType::kFloat64) return;
  const uint64_t end = std::min({uint64_t{row} + n, c.valid.size(), c.values.size()});
  const bool ints = c.type == ValueType::kInt64;
  uint64_t word_at = ~uint64_t{0}, word = 0;
  c.values.ForEachRun(row, std::max<uint64_t>(row, end),
                      [&](const std::byte* run, uint64_t first, uint64_t k) {
                        for (uint64_t j = 0; j < k; ++j) {
                          const uint64_t r = first + j;
                          if (r >> 6 != word_at) word = c.valid.words().Get(word_at = r >> 6);
                          if (!((word >> (r & 63)) & 1)) continue;
                          double w;
                          if (ints) {
                            int64_t i;
                            std::memcpy(&i, run + j * sizeof(i), sizeof(i));
                            w = static_cast<double>(i);
                          } else {
                            std::memcpy(&w, run + j * sizeof(w), sizeof(w));
                          }
                          out[r - row] = static_cast<float>(w);
                        }
                      });
}

// Fills s->slot_weight, slot ranges in parallel.
void ReadSlotWeights(Source* s, int threads) {
  const EdgeTable& et = *s->v.edges;
  s->slot_weight = Buffer<float>(et.slots());
  float* out = s->slot_weight.data();
  const bool field = s->p.weight == "weight";
  ThreadPool::Shared().ParallelFor(
      threads, et.slots(), kSlotGrain, [&](uint64_t b, uint64_t e, int) {
        if (field) {
          et.weight.raw().ForEachRun(b, e, [&](const std::byte* run, uint64_t first, uint64_t n) {
            const auto* w = reinterpret_cast<const double*>(run);
            for (uint64_t i = 0; i < n; ++i) out[first + i] = static_cast<float>(w[i]);
          });
          return;
        }
        for (uint64_t i = b; i < e;) {
          const uint64_t stop = std::min({e, et.type.raw().RunEnd(i), et.row.raw().RunEnd(i)});
          const auto* type = reinterpret_cast<const uint32_t*>(et.type.raw().At(i));
          const auto* row = reinterpret_cast<const uint32_t*>(et.row.raw().At(i));
          for (uint64_t j = 0, k; j < stop - i; j = k) {
            k = j + 1;
            if (row[j] != kNoRow) {
              while (k < stop - i && type[k] == type[j] && row[k] == row[j] + (k - j)) ++k;
            }
            PropertyWeights(*s, type[j], row[j], k - j, out + i + j);
          }
          i = stop;
        }
      });
}

// Why the edge in `slot` has no usable weight (the slow path of the gather).
absl::Status WeightError(const Source& s, uint32_t slot) {
  const EdgeTable& et = *s.v.edges;
  const EdgeId id = MakeEdgeId(slot, et.gen.Get(slot));
  if (s.p.weight != "weight") {
    const auto [props, column] = s.weight_columns[et.type.Get(slot)];
    const uint32_t row = et.row.Get(slot);
    if (props == nullptr || column < 0 || row == kNoRow ||
        !props->Has(props->columns[column], row)) {
      return absl::InvalidArgumentError(
          absl::StrCat("edge ", id, " has no value for the weight property '", s.p.weight,
                       "'; set it on every edge or project only edges that have it"));
    }
    const ValueType type = props->columns[column].type;
    if (type != ValueType::kInt64 && type != ValueType::kFloat64) {
      return absl::InvalidArgumentError(absl::StrCat("the weight property '", s.p.weight,
                                                     "' must be int64 or float64, not ",
                                                     ValueTypeName(type)));
    }
  }
  return absl::InvalidArgumentError(
      absl::StrCat("edge ", id, " has a NaN weight; weights must be numbers"));
}

// fn(target vertex, slot, type) for each projected arc of vertex u on `side`
// (for undirected graphs also the other side, a self-loop once).
template <typename Fn>
void ForEachArc(const Source& s, const Graph& g, Vid u, Side side, Fn&& fn) {
  const NodeId node = g.Node(u);
  auto visit = [&](uint32_t nbr, uint32_t slot, uint32_t type, bool skip_loops) {
    if (skip_loops && nbr == node) return;
    if (!s.type_ok.empty() && (type >= s.type_ok.size() || !s.type_ok[type])) return;
    if (s.check_live && s.v.edges->type.Get(slot) == kFreeSlot) return;
    const Vid t = g.VertexOf(nbr);
    if (t != kNoVertex) fn(t, slot, type);
  };
  s.v.adjacency(side).ForEach(
      node, [&](uint32_t nbr, uint32_t slot, uint32_t type) { visit(nbr, slot, type, false); });
  if (!g.directed()) {
    s.v.in->ForEach(
        node, [&](uint32_t nbr, uint32_t slot, uint32_t type) { visit(nbr, slot, type, true); });
  }
}

// Whether every entry of the adjacency is an arc of the projection (vertex
// = node, no filter, nothing deleted), the delta included.
bool EveryEntryIsAnArc(const Source& s) { return s.identity && s.type_ok.empty() && !s.check_live; }

// Whether every arc of the projection is an entry of the adjacency bases as
// they stand: EveryEntryIsAnArc and no delta.
bool BasesAreTheArcs(const Source& s) {
  const Version& v = s.v;
  return EveryEntryIsAnArc(s) && v.out->delta_entries == 0 && v.in->delta_entries == 0 &&
         v.out->base->nodes == v.nodes->slots() && v.in->base->nodes == v.nodes->slots();
}

// ForEachArc over the bases' arrays directly (see BasesAreTheArcs): the
// out-side (or in-side) entries, then for undirected graphs the in-side
// ones that are not self-loops.
template <typename Fn>
void ForEachBaseArc(const Source& s, const Graph& g, Vid u, Side side, Fn&& fn) {
  const Csr& first = *s.v.adjacency(side).base;
  for (uint64_t i = first.offsets[u]; i < first.offsets[u + 1]; ++i) {
    fn(first.nbr[i], first.edge[i], first.type[i]);
  }
  if (g.directed()) return;
  const Csr& in = *s.v.in->base;
  for (uint64_t i = in.offsets[u]; i < in.offsets[u + 1]; ++i) {
    if (in.nbr[i] != u) fn(in.nbr[i], in.edge[i], in.type[i]);
  }
}

// Replaces the slots that the fill left in weights[begin, end) by their
// weights; the slot of the first arc without one in *bad.
bool GatherWeights(const Source& s, float* weights, uint64_t begin, uint64_t end, uint32_t* bad) {
  // Far enough ahead to cover a miss to memory, near enough that the line
  // is still in cache when its turn comes.
  constexpr uint64_t kAhead = 32;
  const float* by_slot = s.slot_weight.data();
  auto slot_at = [&](uint64_t i) {
    uint32_t slot;
    std::memcpy(&slot, weights + i, sizeof(slot));
    return slot;
  };
  for (uint64_t i = begin; i < end; ++i) {
    if (i + kAhead < end) __builtin_prefetch(by_slot + slot_at(i + kAhead));
    const uint32_t slot = slot_at(i);
    const float w = by_slot[slot];
    if (std::isnan(w)) {
      *bad = slot;
      return false;
    }
    weights[i] = w;
  }
  return true;
}

// Builds one CSR side: counts, prefix sums, fills; vertex chunks in parallel.
// `sort`: each vertex's arcs by target (SortSources), while they are in cache.
absl::Status BuildSide(const Source& s, const Graph& g, Side side, int threads, bool sort,
                       Buffer<uint64_t>& offsets, Buffer<Vid>& targets, Buffer<float>* weights) {
  const Vid n = g.num_vertices();
  ThreadPool& pool = ThreadPool::Shared();
  const bool bases = BasesAreTheArcs(s);
  const bool every_entry = EveryEntryIsAnArc(s);
  const Adjacency& adjacency = s.v.adjacency(side);
  auto for_each_arc = [&](Vid u, auto&& fn) {
    if (bases) {
      ForEachBaseArc(s, g, u, side, fn);
    } else {
      ForEachArc(s, g, u, side, fn);
    }
  };
  offsets = Buffer<uint64_t>(uint64_t{n} + 1);
  offsets[0] = 0;
  pool.ParallelFor(threads, n, kGrain, [&](uint64_t begin, uint64_t end, int) {
    for (uint64_t u = begin; u < end; ++u) {
      uint64_t d = 0;
      if (every_entry && g.directed()) {
        d = adjacency.RawDegree(u);
      } else {
        for_each_arc(static_cast<Vid>(u), [&](Vid, uint32_t, uint32_t) { ++d; });
      }
      offsets[u + 1] = d;
    }
  });
  for (uint64_t u = 0; u < n; ++u) offsets[u + 1] += offsets[u];
  targets = Buffer<Vid>(offsets[n]);
  if (weights != nullptr) *weights = Buffer<float>(offsets[n]);
  absl::Mutex mu;
  absl::Status failed;
  std::atomic<bool> stop{false};
  pool.ParallelFor(threads, n, kGrain, [&](uint64_t begin, uint64_t end, int) {
    if (stop.load(std::memory_order_relaxed)) return;
    uint64_t at = offsets[begin];
    for (uint64_t u = begin; u < end; ++u) {
      for_each_arc(static_cast<Vid>(u), [&](Vid t, uint32_t slot, uint32_t) {
        targets[at] = t;
        // The slot, until GatherWeights puts its weight in its place.
        if (weights != nullptr) std::memcpy(&(*weights)[at], &slot, sizeof(slot));
        ++at;
      });
      if (sort) SortSources(targets.data() + offsets[u], targets.data() + at);
    }
    uint32_t bad;
    if (weights != nullptr &&
        !GatherWeights(s, weights->data(), offsets[begin], offsets[end], &bad) &&
        !stop.exchange(true)) {
      absl::MutexLock l(&mu);
      failed = WeightError(s, bad);
    }
  });
  absl::MutexLock l(&mu);
  return failed;
}

}  // namespace

bool Graph::Borrows(const Version& v, const Projection& p) {
  Source s{v, p, {}, false, false, {}, {}};
  if (!p.directed || !p.weight.empty() || !p.labels.empty() || !Resolve(v, p, &s).ok()) {
    return false;
  }
  s.identity = v.nodes->live == v.nodes->slots();
  return BasesAreTheArcs(s);
}

absl::StatusOr<std::shared_ptr<const Graph>> Graph::Build(const Version& v, const Projection& p,
                                                          int threads) {
  const bool weighted = !p.weight.empty();
  const bool by_property = weighted && p.weight != "weight";
  uint32_t parts = kPartNodes | kPartEdges | kPartLabels | kPartOut | kPartIn;
  if (by_property) parts |= kPartEdgeProps | kPartStrings;
  NENDB_RETURN_IF_ERROR(v.Ready(parts));
  Source s{v, p, {}, false, false, {}, {}};
  NENDB_RETURN_IF_ERROR(Resolve(v, p, &s));
  std::shared_ptr<Graph> g(new Graph);
  g->directed_ = p.directed;
  g->threads_ = threads;
  const NodeTable& nodes = *v.nodes;
  g->node_id_bound_ = nodes.slots();
  std::vector<uint32_t> label_ids;
  for (const std::string& l : p.labels) {
    auto id = v.catalog->labels.Find(l);
    if (!id) return absl::NotFoundError(absl::StrCat("no label named '", l, "'"));
    label_ids.push_back(*id);
  }
  if (label_ids.empty() && nodes.live == nodes.slots()) {
    g->n_ = static_cast<Vid>(nodes.slots());
  } else {
    g->to_vertex_.assign(nodes.slots(), kNoVertex);
    for (uint64_t id = 0; id < nodes.slots(); ++id) {
      if (!nodes.IsLive(id)) continue;
      bool in = label_ids.empty();
      for (uint32_t l : label_ids) in = in || v.labels->Has(l, id);
      if (!in) continue;
      g->to_vertex_[id] = static_cast<Vid>(g->to_node_.size());
      g->to_node_.push_back(id);
    }
    g->n_ = static_cast<Vid>(g->to_node_.size());
  }
  s.identity = g->to_vertex_.empty();
  // The adjacency itself, when it is exactly the projection.
  const Csr& out = *v.out->base;
  if (Borrows(v, p)) {
    g->borrowed_ = true;
    g->m_ = out.entries;
    g->out_ = {out.offsets, out.nbr, nullptr};
    g->in_ = {v.in->base->offsets, v.in->base->nbr, nullptr};
    g->keep_ = std::make_shared<std::pair<std::shared_ptr<const Csr>, std::shared_ptr<const Csr>>>(
        v.out->base, v.in->base);
    return std::shared_ptr<const Graph>(std::move(g));
  }
  if (weighted) ReadSlotWeights(&s, ThreadPool::Shared().Resolve(threads));
  auto owned = std::make_shared<Owned>();
  NENDB_RETURN_IF_ERROR(BuildSide(s, *g, Side::kOut, threads, false, owned->out_offsets,
                                  owned->out_targets, weighted ? &owned->out_weights : nullptr));
  s.slot_weight = {};  // before the in-side needs memory of its own
  if (p.directed) {
    // Weighted: in source order, for the lazy in-weights (graph.h).
    NENDB_RETURN_IF_ERROR(BuildSide(s, *g, Side::kIn, threads, weighted, owned->in_offsets,
                                    owned->in_targets, nullptr));
  }
  g->m_ = owned->out_targets.size();
  g->Own(std::move(owned));
  return std::shared_ptr<const Graph>(std::move(g));
}

}  // namespace nendb::algo
