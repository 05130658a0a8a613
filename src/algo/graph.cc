#include "algo/graph.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <memory>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/synchronization/mutex.h"
#include "nendb/errors.h"
#include "util/status_macros.h"
#include "util/thread_pool.h"

namespace nendb::algo {

// Arrays a built graph allocated.
struct Graph::Owned {
  std::vector<uint64_t> out_offsets, in_offsets;
  std::vector<Vid> out_targets, in_targets;
  std::vector<float> out_weights, in_weights;
};

std::string Projection::Key() const {
  return absl::StrCat(absl::StrJoin(labels, "\x1f"), "\x1e", absl::StrJoin(edge_types, "\x1f"),
                      "\x1e", directed ? "d" : "u", "\x1e", weight);
}

Vid Graph::VertexOf(NodeId node) const {
  if (node >= node_id_bound_) return kNoVertex;
  return to_vertex_.empty() ? static_cast<Vid>(node) : to_vertex_[node];
}

uint64_t Graph::bytes() const {
  uint64_t b = to_node_.size() * sizeof(NodeId) + to_vertex_.size() * sizeof(Vid);
  if (owned_ != nullptr) {
    const Owned& o = *owned_;
    b += (o.out_offsets.size() + o.in_offsets.size()) * 8 +
         (o.out_targets.size() + o.in_targets.size()) * 4 +
         (o.out_weights.size() + o.in_weights.size()) * 4;
  }
  return b;
}

void Graph::Own(std::shared_ptr<Owned> owned) {
  owned_ = std::move(owned);
  Owned& o = *owned_;
  out_ = {o.out_offsets.data(), o.out_targets.data(),
          o.out_weights.empty() ? nullptr : o.out_weights.data()};
  if (directed_) {
    in_ = {o.in_offsets.data(), o.in_targets.data(),
           o.in_weights.empty() ? nullptr : o.in_weights.data()};
  }
}

namespace {

constexpr uint64_t kGrain = 4096;  // vertices per parallel chunk

// What the builder needs to know about a version, resolved once.
struct Source {
  const Version& v;
  const Projection& p;
  std::vector<bool> type_ok;  // by edge type id; empty: every type
  bool check_live = false;    // deleted edges may still be listed
  // Weights from a property: by edge type, its property table and column.
  std::vector<std::pair<const PropTable*, int>> weight_columns;
  // weight == "weight": the edges' weights by slot as float32, read in one
  // sequential pass, so that arcs gather from a plain array.
  std::vector<float> slot_weight;
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
  if (p.weight == "weight") {
    const EdgeTable& et = *v.edges;
    s->slot_weight.resize(et.slots());
    et.weight.raw().ForEachRun(0, et.slots(),
                               [&](const std::byte* run, uint64_t first, uint64_t n) {
                                 const auto* w = reinterpret_cast<const double*>(run);
                                 for (uint64_t i = 0; i < n; ++i)
                                   s->slot_weight[first + i] = static_cast<float>(w[i]);
                               });
  }
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

// The weight of the edge in `slot`; InvalidArgument if it has none.
absl::StatusOr<float> WeightOf(const Source& s, uint32_t slot, uint32_t type) {
  const EdgeTable& et = *s.v.edges;
  double w;
  if (s.p.weight == "weight") {
    w = s.slot_weight[slot];
  } else {
    const auto [props, column] = s.weight_columns[type];
    const uint32_t row = et.row.Get(slot);
    if (props == nullptr || column < 0 || row == kNoRow ||
        !props->Has(props->columns[column], row)) {
      return absl::InvalidArgumentError(absl::StrCat("edge ", MakeEdgeId(slot, et.gen.Get(slot)),
                                                     " has no value for the weight property '",
                                                     s.p.weight,
                                                     "'; set it on every edge or project "
                                                     "only edges that have it"));
    }
    const Value value = props->Get(props->columns[column], row, *s.v.strings);
    if (value.type() == ValueType::kInt64) {
      w = static_cast<double>(value.int64());
    } else if (value.type() == ValueType::kFloat64) {
      w = value.float64();
    } else {
      return absl::InvalidArgumentError(absl::StrCat("the weight property '", s.p.weight,
                                                     "' must be int64 or float64, not ",
                                                     ValueTypeName(value.type())));
    }
  }
  if (std::isnan(w)) {
    return absl::InvalidArgumentError(absl::StrCat("edge ", MakeEdgeId(slot, et.gen.Get(slot)),
                                                   " has a NaN weight; weights must be numbers"));
  }
  return static_cast<float>(w);
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

}  // namespace

// Builds one CSR side: counts, prefix sums, fills; vertex chunks in parallel.
// Whether every arc of the projection is an entry of the adjacency bases
// as it stands: vertex = node, no filter, no delta, nothing deleted.
static bool BasesAreTheArcs(const Source& s, const Graph& g) {
  const Version& v = s.v;
  // Vertices are live nodes in id order: as many as the slots means all.
  return g.num_vertices() == v.nodes->slots() && s.type_ok.empty() && !s.check_live &&
         v.out->delta_entries == 0 && v.in->delta_entries == 0 &&
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

static absl::Status BuildSide(const Source& s, const Graph& g, Side side, int threads,
                              std::vector<uint64_t>& offsets, std::vector<Vid>& targets,
                              std::vector<float>& weights) {
  const Vid n = g.num_vertices();
  ThreadPool& pool = ThreadPool::Shared();
  const bool bases = BasesAreTheArcs(s, g);
  auto for_each_arc = [&](Vid u, auto&& fn) {
    if (bases) {
      ForEachBaseArc(s, g, u, side, fn);
    } else {
      ForEachArc(s, g, u, side, fn);
    }
  };
  offsets.assign(uint64_t{n} + 1, 0);
  pool.ParallelFor(threads, n, kGrain, [&](uint64_t begin, uint64_t end, int) {
    for (uint64_t u = begin; u < end; ++u) {
      uint64_t d = 0;
      if (bases && g.directed()) {
        d = s.v.adjacency(side).base->offsets[u + 1] - s.v.adjacency(side).base->offsets[u];
      } else {
        for_each_arc(static_cast<Vid>(u), [&](Vid, uint32_t, uint32_t) { ++d; });
      }
      offsets[u + 1] = d;
    }
  });
  for (uint64_t u = 0; u < n; ++u) offsets[u + 1] += offsets[u];
  targets.resize(offsets[n]);
  const bool weighted = !s.p.weight.empty();
  if (weighted) weights.resize(offsets[n]);
  absl::Mutex mu;
  absl::Status failed;
  std::atomic<bool> stop{false};
  pool.ParallelFor(threads, n, kGrain, [&](uint64_t begin, uint64_t end, int) {
    for (uint64_t u = begin; u < end && !stop.load(std::memory_order_relaxed); ++u) {
      uint64_t at = offsets[u];
      for_each_arc(static_cast<Vid>(u), [&](Vid t, uint32_t slot, uint32_t type) {
        targets[at] = t;
        if (weighted) {
          absl::StatusOr<float> w = WeightOf(s, slot, type);
          if (w.ok()) {
            weights[at] = *w;
          } else if (!stop.exchange(true)) {
            absl::MutexLock l(&mu);
            failed = w.status();
          }
        }
        ++at;
      });
    }
  });
  absl::MutexLock l(&mu);
  return failed;
}

absl::StatusOr<std::shared_ptr<const Graph>> Graph::Build(const Version& v, const Projection& p,
                                                          int threads) {
  const bool by_property = !p.weight.empty() && p.weight != "weight";
  uint32_t parts = kPartNodes | kPartEdges | kPartLabels | kPartOut | kPartIn;
  if (by_property) parts |= kPartEdgeProps | kPartStrings;
  NENDB_RETURN_IF_ERROR(v.Ready(parts));
  Source s{v, p, {}, false, {}, {}};
  NENDB_RETURN_IF_ERROR(Resolve(v, p, &s));
  std::shared_ptr<Graph> g(new Graph);
  g->directed_ = p.directed;
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
  // The adjacency itself, when it is exactly the projection.
  const Csr& out = *v.out->base;
  if (g->to_vertex_.empty() && s.type_ok.empty() && !s.check_live && p.directed &&
      p.weight.empty() && v.out->delta_entries == 0 && v.in->delta_entries == 0 &&
      out.nodes == nodes.slots() && v.in->base->nodes == nodes.slots()) {
    g->borrowed_ = true;
    g->m_ = out.entries;
    g->out_ = {out.offsets, out.nbr, nullptr};
    g->in_ = {v.in->base->offsets, v.in->base->nbr, nullptr};
    g->keep_ = std::make_shared<std::pair<std::shared_ptr<const Csr>, std::shared_ptr<const Csr>>>(
        v.out->base, v.in->base);
    return std::shared_ptr<const Graph>(std::move(g));
  }
  auto owned = std::make_shared<Owned>();
  NENDB_RETURN_IF_ERROR(BuildSide(s, *g, Side::kOut, threads, owned->out_offsets,
                                  owned->out_targets, owned->out_weights));
  if (p.directed) {
    NENDB_RETURN_IF_ERROR(BuildSide(s, *g, Side::kIn, threads, owned->in_offsets, owned->in_targets,
                                    owned->in_weights));
  }
  g->m_ = owned->out_targets.size();
  g->Own(std::move(owned));
  return std::shared_ptr<const Graph>(std::move(g));
}

std::shared_ptr<const Graph> Graph::FromArcs(Vid vertices, absl::Span<const Vid> sources,
                                             absl::Span<const Vid> targets,
                                             absl::Span<const float> weights, bool directed) {
  std::shared_ptr<Graph> g(new Graph);
  g->n_ = vertices;
  g->node_id_bound_ = vertices;
  g->directed_ = directed;
  auto owned = std::make_shared<Owned>();
  const bool weighted = !weights.empty();
  // One side by counting sort of (key, other), stable in input order.
  auto side = [&](absl::Span<const Vid> key, absl::Span<const Vid> other, bool both,
                  std::vector<uint64_t>& offsets, std::vector<Vid>& out, std::vector<float>& w) {
    offsets.assign(uint64_t{vertices} + 1, 0);
    for (size_t i = 0; i < key.size(); ++i) {
      ++offsets[key[i] + 1];
      if (both && key[i] != other[i]) ++offsets[other[i] + 1];
    }
    for (Vid u = 0; u < vertices; ++u) offsets[u + 1] += offsets[u];
    std::vector<uint64_t> cursor(offsets.begin(), offsets.end() - 1);
    out.resize(offsets[vertices]);
    if (weighted) w.resize(offsets[vertices]);
    auto put = [&](Vid a, Vid b, size_t i) {
      const uint64_t at = cursor[a]++;
      out[at] = b;
      if (weighted) w[at] = weights[i];
    };
    for (size_t i = 0; i < key.size(); ++i) {
      put(key[i], other[i], i);
      if (both && key[i] != other[i]) put(other[i], key[i], i);
    }
  };
  side(sources, targets, !directed, owned->out_offsets, owned->out_targets, owned->out_weights);
  if (directed) {
    side(targets, sources, false, owned->in_offsets, owned->in_targets, owned->in_weights);
  }
  g->m_ = owned->out_targets.size();
  g->Own(std::move(owned));
  return g;
}

}  // namespace nendb::algo
