#include "snapshot/writer.h"

#include <chrono>
#include <cstring>
#include <vector>

#include "absl/strings/str_cat.h"
#include "snapshot/format.h"
#include "snapshot/meta.h"
#include "snapshot/sections.h"
#include "util/status_macros.h"

namespace nendb::snapshot {
namespace {

// New string offsets: strings are copied in the order they are referenced.
class StringCompactor {
 public:
  explicit StringCompactor(const StringHeap& heap) : heap_(heap) {}
  StringRef Remap(StringRef old) {
    const uint64_t len = StringRefLength(old);
    if (len == 0) return MakeStringRef(0, 0);
    order_.push_back(old);
    const StringRef fresh = MakeStringRef(size_, len);
    size_ += len;
    return fresh;
  }
  uint64_t size() const { return size_; }
  absl::Status Write(SectionWriter& w) const {
    NENDB_RETURN_IF_ERROR(w.Begin(SectionKind::kStrings, 0, 0, 1, size_));
    for (StringRef r : order_) {
      const absl::string_view s = heap_.Get(r);
      NENDB_RETURN_IF_ERROR(w.Raw(s.data(), s.size()));
    }
    return w.End();
  }

 private:
  const StringHeap& heap_;
  std::vector<StringRef> order_;
  uint64_t size_ = 0;
};

TableMeta MetaOf(uint32_t id, const PropTable& t) {
  TableMeta m;
  m.id = id;
  m.rows = t.rows();
  m.live = t.live;
  m.free_head = t.free_head;
  for (const auto& c : t.columns) {
    m.columns.push_back(TableMeta::Column{c.name, static_cast<uint8_t>(c.type), c.dim});
  }
  return m;
}

Meta BuildMeta(const Version& v, uint64_t string_bytes) {
  Meta m;
  m.catalog = *v.catalog;
  m.node_slots = v.nodes->slots();
  m.node_live = v.nodes->live;
  m.node_free_count = v.nodes->free_count;
  m.node_free_head = v.nodes->free_head;
  m.edge_slots = v.edges->slots();
  m.edge_live = v.edges->live;
  m.edge_free_count = v.edges->free_count;
  m.edge_free_head = v.edges->free_head;
  m.label_counts = v.labels->counts;
  m.label_counts.resize(v.catalog->labels.size());
  m.type_counts = v.edges->type_counts;
  m.type_counts.resize(v.catalog->edge_types.size());
  m.key_capacity = v.keys->slots.size();
  m.key_live = v.keys->live;
  m.key_tombstones = v.keys->tombstones;
  m.string_bytes = string_bytes;
  m.adj_entries = v.out->base->entries;
  for (uint32_t i = 0; i < v.node_props.size(); ++i) {
    if (v.node_props[i]->rows() > 0) m.node_tables.push_back(MetaOf(i, *v.node_props[i]));
  }
  for (uint32_t i = 0; i < v.edge_props.size(); ++i) {
    if (v.edge_props[i]->rows() > 0) m.edge_tables.push_back(MetaOf(i, *v.edge_props[i]));
  }
  return m;
}

// String columns rewritten to compacted offsets, computed before writing.
struct RemappedStrings {
  std::vector<uint64_t> node_keys;
  std::vector<std::vector<uint64_t>> node_cols;  // per string column, in table order
  std::vector<std::vector<uint64_t>> edge_cols;
};

void RemapTables(const std::vector<Cow<PropTable>>& tables, StringCompactor& sc,
                 std::vector<std::vector<uint64_t>>* out) {
  for (const auto& t : tables) {
    if (t->rows() == 0) continue;
    for (const auto& c : t->columns) {
      if (c.type != ValueType::kString) continue;
      std::vector<uint64_t> refs(t->rows());
      for (uint64_t r = 0; r < t->rows(); ++r) {
        if (!t->Has(c, static_cast<uint32_t>(r))) continue;
        StringRef old;
        std::memcpy(&old, c.values.At(r), 8);
        refs[r] = sc.Remap(old);
      }
      out->push_back(std::move(refs));
    }
  }
}

absl::Status WriteTables(SectionWriter& w, const std::vector<Cow<PropTable>>& tables,
                         uint32_t edges, const std::vector<std::vector<uint64_t>>& strings) {
  size_t next_string = 0;
  for (uint32_t id = 0; id < tables.size(); ++id) {
    const PropTable& t = *tables[id];
    if (t.rows() == 0) continue;
    const uint64_t words = (t.rows() + 63) / 64;
    NENDB_RETURN_IF_ERROR(w.Column(SectionKind::kPropEntity, id, edges, t.entity.raw(), t.rows()));
    NENDB_RETURN_IF_ERROR(w.Column(SectionKind::kPropUsed, id, edges, t.used.words().raw(), words));
    for (uint32_t k = 0; k < t.columns.size(); ++k) {
      const PropColumn& c = t.columns[k];
      const uint32_t aux = (k << 1) | edges;
      if (c.type == ValueType::kString) {
        NENDB_RETURN_IF_ERROR(
            w.Array(SectionKind::kPropValues, id, aux, 8, strings[next_string++].data(), t.rows()));
      } else {
        NENDB_RETURN_IF_ERROR(w.Column(SectionKind::kPropValues, id, aux, c.values, t.rows()));
      }
      NENDB_RETURN_IF_ERROR(
          w.Column(SectionKind::kPropValid, id, aux, c.valid.words().raw(), words));
    }
  }
  return absl::OkStatus();
}

absl::Status WriteAdjacency(SectionWriter& w, const Csr& csr, uint32_t side, uint64_t nodes) {
  // Offsets cover every node slot; nodes added after the base have none.
  NENDB_RETURN_IF_ERROR(w.Begin(SectionKind::kAdjOffsets, side, 0, 8, nodes + 1));
  NENDB_RETURN_IF_ERROR(w.Raw(csr.offsets, (csr.nodes + 1) * 8));
  for (uint64_t i = csr.nodes; i < nodes; ++i) {
    NENDB_RETURN_IF_ERROR(w.Raw(&csr.offsets[csr.nodes], 8));
  }
  NENDB_RETURN_IF_ERROR(w.End());
  NENDB_RETURN_IF_ERROR(w.Array(SectionKind::kAdjNbr, side, 0, 4, csr.nbr, csr.entries));
  NENDB_RETURN_IF_ERROR(w.Array(SectionKind::kAdjEdge, side, 0, 4, csr.edge, csr.entries));
  return w.Array(SectionKind::kAdjType, side, 0, 4, csr.type, csr.entries);
}

absl::Status WriteBody(SectionWriter& w, const Version& v, const SnapshotInfo& info) {
  Header h{};
  std::memcpy(h.magic, kHeaderMagic, 8);
  h.format_version = kFormatVersion;
  h.header_bytes = kHeaderBytes;
  h.generation = info.generation;
  h.sequence = info.sequence;
  std::memcpy(h.database_id, info.database_id.data(), 16);
  h.created_unix_micros = std::chrono::duration_cast<std::chrono::microseconds>(
                              std::chrono::system_clock::now().time_since_epoch())
                              .count();
  NENDB_RETURN_IF_ERROR(w.Header(h));

  // Strings are compacted, so string columns are rewritten first.
  const NodeTable& nt = *v.nodes;
  StringCompactor sc(*v.strings);
  RemappedStrings rs;
  rs.node_keys.resize(nt.slots());
  for (uint64_t n = 0; n < nt.slots(); ++n) {
    const uint64_t raw = nt.key.Get(n);
    const bool string_key = nt.IsLive(n) && (nt.flags.Get(n) & kKeyKindMask) == kKeyString;
    rs.node_keys[n] = string_key ? sc.Remap(raw) : (nt.IsLive(n) ? raw : 0);
  }
  RemapTables(v.node_props, sc, &rs.node_cols);
  RemapTables(v.edge_props, sc, &rs.edge_cols);

  const std::string meta = EncodeMeta(BuildMeta(v, sc.size()));
  NENDB_RETURN_IF_ERROR(w.Array(SectionKind::kMeta, 0, 0, 1, meta.data(), meta.size()));

  const uint64_t nodes = nt.slots();
  NENDB_RETURN_IF_ERROR(w.Column(SectionKind::kNodeLabel, 0, 0, nt.label.raw(), nodes));
  NENDB_RETURN_IF_ERROR(w.Column(SectionKind::kNodeRow, 0, 0, nt.row.raw(), nodes));
  NENDB_RETURN_IF_ERROR(w.Column(SectionKind::kNodeGen, 0, 0, nt.gen.raw(), nodes));
  NENDB_RETURN_IF_ERROR(w.Column(SectionKind::kNodeFlags, 0, 0, nt.flags.raw(), nodes));
  NENDB_RETURN_IF_ERROR(w.Array(SectionKind::kNodeKey, 0, 0, 8, rs.node_keys.data(), nodes));
  const uint64_t node_words = (nodes + 63) / 64;
  for (uint32_t l = 0; l < v.catalog->labels.size(); ++l) {
    if (l < v.labels->members.size()) {
      NENDB_RETURN_IF_ERROR(w.Column(SectionKind::kLabelMembers, l, 0,
                                     v.labels->members[l].words().raw(), node_words));
    } else {
      NENDB_RETURN_IF_ERROR(w.Begin(SectionKind::kLabelMembers, l, 0, 8, node_words));
      NENDB_RETURN_IF_ERROR(w.Zeros(node_words * 8));
      NENDB_RETURN_IF_ERROR(w.End());
    }
  }

  const EdgeTable& et = *v.edges;
  const uint64_t edges = et.slots();
  NENDB_RETURN_IF_ERROR(w.Column(SectionKind::kEdgeSrc, 0, 0, et.src.raw(), edges));
  NENDB_RETURN_IF_ERROR(w.Column(SectionKind::kEdgeDst, 0, 0, et.dst.raw(), edges));
  NENDB_RETURN_IF_ERROR(w.Column(SectionKind::kEdgeType, 0, 0, et.type.raw(), edges));
  NENDB_RETURN_IF_ERROR(w.Column(SectionKind::kEdgeGen, 0, 0, et.gen.raw(), edges));
  NENDB_RETURN_IF_ERROR(w.Column(SectionKind::kEdgeRow, 0, 0, et.row.raw(), edges));
  NENDB_RETURN_IF_ERROR(w.Column(SectionKind::kEdgeWeight, 0, 0, et.weight.raw(), edges));
  NENDB_RETURN_IF_ERROR(WriteAdjacency(w, *v.out->base, 0, nodes));
  NENDB_RETURN_IF_ERROR(WriteAdjacency(w, *v.in->base, 1, nodes));
  NENDB_RETURN_IF_ERROR(
      w.Column(SectionKind::kKeySlots, 0, 0, v.keys->slots.raw(), v.keys->slots.size()));
  NENDB_RETURN_IF_ERROR(sc.Write(w));
  NENDB_RETURN_IF_ERROR(WriteTables(w, v.node_props, 0, rs.node_cols));
  NENDB_RETURN_IF_ERROR(WriteTables(w, v.edge_props, 1, rs.edge_cols));

  return w.Finish();
}

}  // namespace

absl::Status Write(Env* env, const std::string& dir, const std::string& name, const Version& v,
                   SnapshotInfo* info, const ProgressFn& progress) {
  if (v.out->delta_entries != 0 || v.in->delta_entries != 0 || v.edges->pending_count != 0) {
    return absl::InternalError("snapshot of a version whose adjacency is not compact");
  }
  return WriteSectionFile(
      env, dir, name, ".tmp", /*sync_dir=*/true,
      [&](SectionWriter& w) {
        if (progress) {
          const Footprint f = MeasureFootprint(v);
          w.SetProgress(&progress, f.node_bytes + f.edge_bytes + f.string_bytes);
        }
        return WriteBody(w, v, *info);
      },
      &info->file_bytes);
}

}  // namespace nendb::snapshot
