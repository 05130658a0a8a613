#include "algo/graph_file.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "algo/graph_internal.h"
#include "nendb/errors.h"
#include "snapshot/derived.h"
#include "util/crc32c.h"
#include "util/status_macros.h"
#include "util/thread_pool.h"

namespace nendb::algo {
namespace {

using snapshot::SectionKind;

inline constexpr char kMagic[8] = {'N', 'E', 'N', 'D', 'B', 'G', 'R', 'F'};
inline constexpr uint32_t kVersion = 1;
const snapshot::FileKind kKind{
    kMagic, kVersion, "projection",
    "The file only holds a projection of the snapshot beside it: delete it, or run `nendb "
    "check --repair`, and it is built again"};

// The graph.meta section: this, then key_bytes of key.
struct Meta {
  uint64_t vertices;
  uint64_t arcs;
  uint64_t node_id_bound;
  uint32_t flags;
  uint32_t key_bytes;
  uint64_t reserved[2];
};
static_assert(sizeof(Meta) == 48);
inline constexpr uint32_t kDirected = 1, kWeighted = 2, kVertexMap = 4;

// Bytes checked per step of a fused checksum-and-range pass: small enough
// that the range check reads what the checksum just brought into the cache.
inline constexpr uint64_t kBlock = 256 << 10;

// What each section must hold beyond its checksum: offsets from 0 to the
// arc count, never falling; ids below a bound; weights that are numbers (a
// build never lets NaN through, and kernels compare weights).
enum class Rule { kOffsets, kBelow, kNumbers };

struct Check {
  size_t section;
  Rule rule;
  uint64_t bound;  // kOffsets: the last offset; kBelow: the bound of every element
};

snapshot::DerivedOf Of(const GraphFileId& id) {
  return {id.generation, id.sequence, id.database_id, /*any_sequence=*/!id.exact};
}

}  // namespace

absl::Status WriteGraphFile(Env* env, const std::string& dir, const std::string& name,
                            const std::string& tmp_suffix, const Graph& g, const GraphFileId& id) {
  const Vid n = g.num_vertices();
  const uint64_t m = g.num_arcs();
  const absl::Span<const NodeId> nodes = g.node_ids();
  auto body = [&](snapshot::SectionWriter& w) -> absl::Status {
    Meta meta{};
    meta.vertices = n;
    meta.arcs = m;
    meta.node_id_bound = g.node_id_bound();
    meta.flags = (g.directed() ? kDirected : 0) | (g.weighted() ? kWeighted : 0) |
                 (nodes.empty() ? 0 : kVertexMap);
    meta.key_bytes = static_cast<uint32_t>(id.key.size());
    NENDB_RETURN_IF_ERROR(snapshot::WriteDerivedStart(w, kKind, Of(id), SectionKind::kGraphMeta,
                                                      &meta, sizeof(meta), id.key));
    const Arcs sides[2] = {g.out(), g.in_topology()};
    for (uint32_t side = 0; side < (g.directed() ? 2 : 1); ++side) {
      NENDB_RETURN_IF_ERROR(
          w.Array(SectionKind::kGraphOffsets, side, 0, 8, sides[side].offsets, uint64_t{n} + 1));
      NENDB_RETURN_IF_ERROR(
          w.Array(SectionKind::kGraphTargets, side, 0, 4, sides[side].targets, m));
    }
    if (g.weighted()) {
      NENDB_RETURN_IF_ERROR(w.Array(SectionKind::kGraphWeights, 0, 0, 4, g.out().weights, m));
    }
    if (!nodes.empty()) {
      NENDB_RETURN_IF_ERROR(w.Array(SectionKind::kGraphNodes, 0, 0, 8, nodes.data(), n));
    }
    return w.Finish();
  };
  uint64_t bytes = 0;
  return snapshot::WriteSectionFile(env, dir, name, tmp_suffix, /*sync_dir=*/false, body, &bytes);
}

namespace {

// Checks one section: its checksum and its rule, block by block.
absl::Status CheckSection(const snapshot::SectionFile& f, const Check& c) {
  const snapshot::SectionEntry& e = f.entry(c.section);
  const std::byte* data = f.data(c.section);
  uint32_t crc = 0;
  uint64_t previous = 0;  // kOffsets: the offset before the block
  for (uint64_t at = 0; at < e.length; at += kBlock) {
    const uint64_t len = std::min(kBlock, e.length - at);
    crc = crc32c::Extend(crc, data + at, len);
    const uint64_t first = at / e.elem_size, count = len / e.elem_size;
    uint64_t bad = count;
    if (c.rule == Rule::kBelow && e.elem_size == 4) {
      const auto* p = reinterpret_cast<const uint32_t*>(data + at);
      uint32_t high = 0;
      for (uint64_t i = 0; i < count; ++i) high = std::max(high, p[i]);
      if (high >= c.bound)
        bad = std::find_if(p, p + count, [&](uint32_t x) { return x >= c.bound; }) - p;
    } else if (c.rule == Rule::kBelow) {
      const auto* p = reinterpret_cast<const uint64_t*>(data + at);
      bad = std::find_if(p, p + count, [&](uint64_t x) { return x >= c.bound; }) - p;
    } else if (c.rule == Rule::kNumbers) {
      const auto* p = reinterpret_cast<const float*>(data + at);
      bad = std::find_if(p, p + count, [](float x) { return std::isnan(x); }) - p;
    } else if (c.rule == Rule::kOffsets) {
      const auto* p = reinterpret_cast<const uint64_t*>(data + at);
      for (uint64_t i = 0; i < count && bad == count; ++i) {
        const bool ok = first + i == 0 ? p[i] == 0 : p[i] >= previous && p[i] <= c.bound;
        if (!ok) bad = i;
        previous = p[i];
      }
    }
    if (bad != count) {
      return f.Damaged(e.offset + (first + bad) * e.elem_size,
                       absl::StrCat(snapshot::SectionName(static_cast<SectionKind>(e.kind)), " #",
                                    e.index, "[", first + bad, "] is out of range"));
    }
  }
  NENDB_RETURN_IF_ERROR(f.CheckCrc(c.section, crc));
  if (c.rule == Rule::kOffsets && previous != c.bound) {
    return f.Damaged(e.offset + e.length - 8, absl::StrCat("the last offset is ", previous,
                                                           ", not the arc count ", c.bound));
  }
  return absl::OkStatus();
}

// The checks of every section, the largest first, on up to `threads`
// threads; the first failure by section order.
absl::Status CheckAll(const snapshot::SectionFile& f, std::vector<Check> checks, int threads) {
  std::sort(checks.begin(), checks.end(), [&](const Check& a, const Check& b) {
    return f.entry(a.section).length > f.entry(b.section).length;
  });
  std::vector<absl::Status> results(checks.size());
  ThreadPool::Shared().ParallelFor(threads, checks.size(), 1, [&](uint64_t b, uint64_t e, int) {
    for (uint64_t i = b; i < e; ++i) results[i] = CheckSection(f, checks[i]);
  });
  size_t first = checks.size();
  for (size_t i = 0; i < checks.size(); ++i) {
    if (!results[i].ok() && (first == checks.size() || checks[i].section < checks[first].section)) {
      first = i;
    }
  }
  return first == checks.size() ? absl::OkStatus() : results[first];
}

}  // namespace

absl::StatusOr<std::shared_ptr<const Graph>> LoadGraphFile(Env* env, const std::string& path,
                                                           const GraphFileId& expect, int threads) {
  Meta meta;
  NENDB_ASSIGN_OR_RETURN(snapshot::Derived d,
                         snapshot::OpenDerived(env, path, kKind, Of(expect),
                                               SectionKind::kGraphMeta, &meta, sizeof(meta)));
  const snapshot::SectionFile& f = d.file;
  if (d.key.size() != meta.key_bytes) {
    return f.Damaged(d.meta_offset, "graph.meta's key length disagrees with its size");
  }
  const absl::string_view key = d.key;
  if (expect.exact && key != expect.key) {
    return absl::FailedPreconditionError(
        absl::StrCat(path, " holds another projection than the one asked for"));
  }
  const bool directed = meta.flags & kDirected, weighted = meta.flags & kWeighted,
             mapped = meta.flags & kVertexMap;
  if ((expect.exact ? meta.node_id_bound != expect.node_id_bound
                    : meta.node_id_bound > expect.node_id_bound) ||
      meta.node_id_bound > kMaxNodes || meta.vertices > meta.node_id_bound ||
      meta.vertices >= kNoVertex || (!mapped && meta.vertices != meta.node_id_bound) ||
      meta.flags > (kDirected | kWeighted | kVertexMap)) {
    return f.Damaged(d.meta_offset,
                     absl::StrCat("graph.meta says ", meta.vertices, " vertices of ",
                                  meta.node_id_bound, " node slots, impossible here"));
  }
  const uint64_t n = meta.vertices, m = meta.arcs;
  std::vector<Check> checks;
  size_t offsets[2] = {}, targets[2] = {}, weights = 0, nodes = 0;
  for (uint32_t side = 0; side < (directed ? 2 : 1); ++side) {
    NENDB_ASSIGN_OR_RETURN(offsets[side], f.Find(SectionKind::kGraphOffsets, side, 0, 8, n + 1));
    NENDB_ASSIGN_OR_RETURN(targets[side], f.Find(SectionKind::kGraphTargets, side, 0, 4, m));
    checks.push_back({offsets[side], Rule::kOffsets, m});
    checks.push_back({targets[side], Rule::kBelow, n});
  }
  if (weighted) {
    NENDB_ASSIGN_OR_RETURN(weights, f.Find(SectionKind::kGraphWeights, 0, 0, 4, m));
    checks.push_back({weights, Rule::kNumbers, 0});
  }
  if (mapped) {
    NENDB_ASSIGN_OR_RETURN(nodes, f.Find(SectionKind::kGraphNodes, 0, 0, 8, n));
    checks.push_back({nodes, Rule::kBelow, meta.node_id_bound});
  }
  NENDB_RETURN_IF_ERROR(CheckAll(f, checks, threads));

  std::shared_ptr<Graph> g(new Graph);
  g->n_ = static_cast<Vid>(n);
  g->m_ = m;
  g->directed_ = directed;
  g->threads_ = threads;
  g->node_id_bound_ = meta.node_id_bound;
  auto arcs = [&](int side) -> Arcs {
    return {reinterpret_cast<const uint64_t*>(f.data(offsets[side])),
            reinterpret_cast<const Vid*>(f.data(targets[side])), nullptr};
  };
  g->out_ = arcs(0);
  if (weighted) g->out_.weights = reinterpret_cast<const float*>(f.data(weights));
  if (directed) {
    g->in_ = arcs(1);
    g->lazy_in_weights_ = weighted;
  }
  if (mapped) {
    const auto* ids = reinterpret_cast<const NodeId*>(f.data(nodes));
    g->to_node_.assign(ids, ids + n);
    g->to_vertex_.assign(meta.node_id_bound, kNoVertex);
    for (Vid v = 0; v < n; ++v) {
      if (g->to_vertex_[ids[v]] != kNoVertex) {
        return f.Damaged(f.entry(nodes).offset + uint64_t{v} * 8,
                         absl::StrCat("graph.nodes lists node ", ids[v], " twice"));
      }
      g->to_vertex_[ids[v]] = v;
    }
  }
  g->owned_ = std::make_shared<Graph::Owned>();  // for the lazy in-weights
  g->keep_ = f.file();
  return std::shared_ptr<const Graph>(std::move(g));
}

}  // namespace nendb::algo
