#include "snapshot/verify.h"

#include <bit>
#include <cstring>

#include "absl/strings/str_cat.h"
#include "nendb/errors.h"
#include "nendb/vector_index.h"
#include "storage/edge_table.h"
#include "storage/node_table.h"
#include "storage/string_heap.h"
#include "util/status_macros.h"

namespace nendb::snapshot {

absl::Status CheckMeta(const std::string& path, const Meta& m) {
  auto bad = [&](const std::string& what) { return CorruptionError(path, 0, "meta: " + what); };
  const Catalog& c = m.catalog;
  if (m.node_slots > kMaxNodes || m.edge_slots > kMaxEdges) return bad("too many slots");
  if (m.node_live + m.node_free_count != m.node_slots) return bad("node counts disagree");
  if (m.edge_live + m.edge_free_count != m.edge_slots) return bad("edge counts disagree");
  if (m.adj_entries != m.edge_live) return bad("adjacency size disagrees with the edge count");
  if (c.schemas.size() != c.labels.size() || m.label_counts.size() != c.labels.size()) {
    return bad("label tables disagree");
  }
  if (m.type_counts.size() != c.edge_types.size()) return bad("edge type counts disagree");
  uint64_t typed = 0;
  for (uint64_t count : m.type_counts) typed += count;
  if (typed != m.edge_live) return bad("edge type counts do not add up to the edge count");
  for (const auto& s : c.schemas) {
    for (const auto& p : s.properties) {
      if (p.name >= c.property_names.size() || p.type == ValueType::kNull ||
          p.type > ValueType::kVector ||
          (p.type == ValueType::kVector && (p.dim == 0 || p.dim > kMaxVectorDim))) {
        return bad("a schema declares an impossible property");
      }
    }
  }
  for (uint64_t count : m.label_counts) {
    if (count > m.node_live) return bad("a label counts more nodes than exist");
  }
  if (m.key_capacity != 0 && !std::has_single_bit(m.key_capacity)) {
    return bad("key index capacity is not a power of two");
  }
  if (m.key_live + m.key_tombstones > m.key_capacity) return bad("key index overfull");
  for (int edges = 0; edges < 2; ++edges) {
    const auto& tables = edges ? m.edge_tables : m.node_tables;
    const uint64_t ids = edges ? c.edge_types.size() : c.labels.size();
    const uint64_t limit = edges ? m.edge_slots : m.node_slots;
    uint32_t prev = 0;
    for (size_t i = 0; i < tables.size(); ++i) {
      const TableMeta& t = tables[i];
      if (t.id >= ids || (i > 0 && t.id <= prev)) return bad("property tables are out of order");
      prev = t.id;
      if (t.rows > limit || t.live > t.rows) return bad("a property table has impossible sizes");
      for (const auto& col : t.columns) {
        const auto type = static_cast<ValueType>(col.type);
        if (col.name >= c.property_names.size() || type == ValueType::kNull ||
            type > ValueType::kVector ||
            (type == ValueType::kVector && (col.dim == 0 || col.dim > kMaxVectorDim))) {
          return bad("a property column has an impossible type");
        }
      }
    }
  }
  for (const VectorIndexDef& x : c.vector_indexes) {
    // The limits of ops::CreateVectorIndex; the column may come later.
    if (x.label >= c.labels.size() || x.property >= c.property_names.size() ||
        x.metric > uint8_t(VectorMetric::kHamming) ||
        x.quantization > uint8_t(VectorQuantization::kInt8) ||
        (x.quantization != 0 && x.metric == uint8_t(VectorMetric::kHamming)) || x.m < kMinIndexM ||
        x.m > kMaxIndexM || x.ef_construction < x.m || x.ef_construction > kMaxIndexEf) {
      return bad("a vector index is impossible");
    }
  }
  return absl::OkStatus();
}

FileVerifier::FileVerifier(SectionFile file, Meta meta, Layout layout)
    : file_(std::move(file)), meta_(std::move(meta)), lay_(std::move(layout)) {}

absl::Status FileVerifier::Bad(size_t section, uint64_t element, const std::string& what) const {
  const SectionEntry& e = file_.entry(section);
  return CorruptionError(
      file_.path(), e.offset + element * e.elem_size,
      absl::StrCat(SectionName(static_cast<SectionKind>(e.kind)), "[", element, "]: ", what));
}

uint64_t FileVerifier::TableRows(bool edges, uint32_t id) const {
  for (const auto& t : edges ? meta_.edge_tables : meta_.node_tables) {
    if (t.id == id) return t.rows;
  }
  return 0;
}

absl::Status FileVerifier::VerifyNodes() const {
  for (size_t s : {lay_.node_label, lay_.node_row, lay_.node_gen, lay_.node_flags, lay_.node_key}) {
    NENDB_RETURN_IF_ERROR(file_.VerifyCrc(s));
  }
  const auto* label = Array<uint32_t>(lay_.node_label);
  const auto* row = Array<uint32_t>(lay_.node_row);
  const auto* flags = Array<uint8_t>(lay_.node_flags);
  const auto* key = Array<uint64_t>(lay_.node_key);
  const uint64_t n = meta_.node_slots;
  uint64_t live = 0;
  for (uint64_t i = 0; i < n; ++i) {
    if (label[i] == kFreeSlot) continue;
    ++live;
    if (label[i] >= meta_.catalog.labels.size()) return Bad(lay_.node_label, i, "unknown label");
    if (row[i] != kNoRow && row[i] >= TableRows(false, label[i])) {
      return Bad(lay_.node_row, i, "property row out of range");
    }
    const uint8_t kind = flags[i] & kKeyKindMask;
    if (kind == 3) return Bad(lay_.node_flags, i, "unknown key kind");
    if (kind == kKeyString) {
      const StringRef r = key[i];
      if (StringRefLength(r) == 0 || StringRefOffset(r) + StringRefLength(r) > meta_.string_bytes) {
        return Bad(lay_.node_key, i, "string key out of range");
      }
    }
  }
  if (live != meta_.node_live) return Bad(lay_.node_label, 0, "live node count disagrees");
  // The free chain must visit exactly the free slots.
  uint64_t steps = 0;
  for (uint32_t at = meta_.node_free_head; at != kNoRow; at = row[at], ++steps) {
    if (steps >= meta_.node_free_count || at >= n || label[at] != kFreeSlot) {
      return Bad(lay_.node_row, at < n ? at : 0, "broken free-slot chain");
    }
  }
  if (steps != meta_.node_free_count) return Bad(lay_.node_row, 0, "short free-slot chain");
  return absl::OkStatus();
}

absl::Status FileVerifier::VerifyEdges() const {
  for (size_t s : {lay_.edge_src, lay_.edge_dst, lay_.edge_type, lay_.edge_gen, lay_.edge_row,
                   lay_.edge_weight}) {
    NENDB_RETURN_IF_ERROR(file_.VerifyCrc(s));
  }
  const auto* src = Array<uint32_t>(lay_.edge_src);
  const auto* dst = Array<uint32_t>(lay_.edge_dst);
  const auto* type = Array<uint32_t>(lay_.edge_type);
  const auto* row = Array<uint32_t>(lay_.edge_row);
  const uint64_t e = meta_.edge_slots;
  uint64_t live = 0;
  std::vector<uint64_t> per_type(meta_.type_counts.size());
  for (uint64_t i = 0; i < e; ++i) {
    if (type[i] == kFreeSlot) continue;
    ++live;
    if (type[i] >= meta_.catalog.edge_types.size()) return Bad(lay_.edge_type, i, "unknown type");
    ++per_type[type[i]];
    if (src[i] >= meta_.node_slots) return Bad(lay_.edge_src, i, "source out of range");
    if (dst[i] >= meta_.node_slots) return Bad(lay_.edge_dst, i, "target out of range");
    if (row[i] != kNoRow && row[i] >= TableRows(true, type[i])) {
      return Bad(lay_.edge_row, i, "property row out of range");
    }
  }
  if (live != meta_.edge_live) return Bad(lay_.edge_type, 0, "live edge count disagrees");
  if (per_type != meta_.type_counts) return Bad(lay_.edge_type, 0, "edge type counts disagree");
  uint64_t steps = 0;
  for (uint32_t at = meta_.edge_free_head; at != kNoRow; at = row[at], ++steps) {
    if (steps >= meta_.edge_free_count || at >= e || type[at] != kFreeSlot) {
      return Bad(lay_.edge_row, at < e ? at : 0, "broken free-slot chain");
    }
  }
  if (steps != meta_.edge_free_count) return Bad(lay_.edge_row, 0, "short free-slot chain");
  return absl::OkStatus();
}

absl::Status FileVerifier::VerifyAdjacency(int side) const {
  const auto& a = lay_.adj[side];
  for (size_t s : {a.offsets, a.nbr, a.edge, a.type}) NENDB_RETURN_IF_ERROR(file_.VerifyCrc(s));
  const auto* off = Array<uint64_t>(a.offsets);
  const auto* nbr = Array<uint32_t>(a.nbr);
  const auto* edge = Array<uint32_t>(a.edge);
  const auto* type = Array<uint32_t>(a.type);
  const uint64_t n = meta_.node_slots, m = meta_.adj_entries;
  if (off[0] != 0) return Bad(a.offsets, 0, "offsets do not start at 0");
  for (uint64_t i = 0; i < n; ++i) {
    if (off[i + 1] < off[i] || off[i + 1] > m) return Bad(a.offsets, i + 1, "offset out of order");
  }
  if (off[n] != m) return Bad(a.offsets, n, "offsets do not end at the entry count");
  for (uint64_t i = 0; i < m; ++i) {
    if (nbr[i] >= n) return Bad(a.nbr, i, "neighbour out of range");
    if (edge[i] >= meta_.edge_slots) return Bad(a.edge, i, "edge out of range");
    if (type[i] >= meta_.catalog.edge_types.size()) return Bad(a.type, i, "type out of range");
  }
  return absl::OkStatus();
}

absl::Status FileVerifier::VerifyTables(bool edges) const {
  const auto& metas = edges ? meta_.edge_tables : meta_.node_tables;
  const auto& layouts = edges ? lay_.edge_tables : lay_.node_tables;
  const uint64_t limit = edges ? meta_.edge_slots : meta_.node_slots;
  for (size_t t = 0; t < metas.size(); ++t) {
    const TableMeta& tm = metas[t];
    const std::vector<size_t>& ids = layouts[t];
    for (size_t s : ids) NENDB_RETURN_IF_ERROR(file_.VerifyCrc(s));
    const auto* entity = Array<uint32_t>(ids[0]);
    const auto* used = Array<uint64_t>(ids[1]);
    auto is_used = [&](uint64_t r) { return (used[r >> 6] >> (r & 63)) & 1; };
    uint64_t live = 0;
    for (uint64_t r = 0; r < tm.rows; ++r) {
      if (!is_used(r)) continue;
      ++live;
      if (entity[r] >= limit) return Bad(ids[0], r, "entity out of range");
    }
    if (live != tm.live) return Bad(ids[1], 0, "live row count disagrees");
    uint64_t steps = 0;
    for (uint32_t at = tm.free_head; at != kNoRow; at = entity[at], ++steps) {
      if (steps >= tm.rows - tm.live || at >= tm.rows || is_used(at)) {
        return Bad(ids[0], at < tm.rows ? at : 0, "broken free-row chain");
      }
    }
    for (size_t k = 0; k < tm.columns.size(); ++k) {
      if (static_cast<ValueType>(tm.columns[k].type) != ValueType::kString) continue;
      const auto* refs = Array<uint64_t>(ids[2 + 2 * k]);
      const auto* valid = Array<uint64_t>(ids[3 + 2 * k]);
      for (uint64_t r = 0; r < tm.rows; ++r) {
        if (!((valid[r >> 6] >> (r & 63)) & 1)) continue;
        if (StringRefOffset(refs[r]) + StringRefLength(refs[r]) > meta_.string_bytes) {
          return Bad(ids[2 + 2 * k], r, "string out of range");
        }
      }
    }
  }
  return absl::OkStatus();
}

absl::Status FileVerifier::VerifyPart(Part part) const {
  switch (part) {
    case kPartNodes:
      return VerifyNodes();
    case kPartEdges:
      return VerifyEdges();
    case kPartLabels:
      for (size_t s : lay_.label_members) NENDB_RETURN_IF_ERROR(file_.VerifyCrc(s));
      return absl::OkStatus();
    case kPartKeys:
      return file_.VerifyCrc(lay_.key_slots);
    case kPartOut:
      return VerifyAdjacency(0);
    case kPartIn:
      return VerifyAdjacency(1);
    case kPartStrings:
      return file_.VerifyCrc(lay_.strings);
    case kPartNodeProps:
      return VerifyTables(false);
    case kPartEdgeProps:
      return VerifyTables(true);
    case kPartAll:
      break;
  }
  return absl::OkStatus();
}

}  // namespace nendb::snapshot
