#include "snapshot/reader.h"

#include <bit>
#include <cstring>

#include "absl/strings/str_cat.h"
#include "nendb/errors.h"
#include "snapshot/format.h"
#include "snapshot/meta.h"
#include "snapshot/sections.h"
#include "snapshot/verify.h"
#include "util/status_macros.h"

namespace nendb::snapshot {
namespace {

std::shared_ptr<PropTable> BuildTable(const SectionFile& s, const TableMeta& m, uint32_t edges,
                                      const std::vector<size_t>& ids) {
  auto t = std::make_shared<PropTable>();
  t->entity = Column<uint32_t>(s.Column(ids[0]));
  t->used = BitColumn::FromWords(Column<uint64_t>(s.Column(ids[1])), m.rows);
  t->live = m.live;
  t->free_head = m.free_head;
  for (size_t k = 0; k < m.columns.size(); ++k) {
    PropColumn c;
    c.name = m.columns[k].name;
    c.type = static_cast<ValueType>(m.columns[k].type);
    c.dim = m.columns[k].dim;
    c.values = s.Column(ids[2 + 2 * k]);
    c.valid = BitColumn::FromWords(Column<uint64_t>(s.Column(ids[3 + 2 * k])), m.rows);
    t->columns.push_back(std::move(c));
  }
  return t;
}

}  // namespace

absl::StatusOr<Loaded> Load(Env* env, const std::string& path, bool verify_all) {
  NENDB_ASSIGN_OR_RETURN(std::shared_ptr<const MappedFile> file, env->MapFile(path));
  NENDB_ASSIGN_OR_RETURN(SectionFile s,
                         SectionFile::Open(file, {kHeaderMagic, kFormatVersion, "snapshot"}));
  const Header& h = s.header();

  // The meta section is small: verify and decode it now.
  NENDB_ASSIGN_OR_RETURN(size_t meta_i, s.Locate(SectionKind::kMeta, 0, 0));
  const SectionEntry& me = s.entry(meta_i);
  NENDB_RETURN_IF_ERROR(s.VerifyCrc(meta_i));
  Meta meta;
  if (!DecodeMeta(absl::string_view(reinterpret_cast<const char*>(s.data(meta_i)), me.length),
                  &meta)) {
    return CorruptionError(path, me.offset, "meta section is malformed");
  }
  NENDB_RETURN_IF_ERROR(CheckMeta(path, meta));

  // Locate every section, checking sizes against the meta section.
  Layout lay;
  const uint64_t n = meta.node_slots, e = meta.edge_slots, words = (n + 63) / 64;
  NENDB_ASSIGN_OR_RETURN(lay.node_label, s.Find(SectionKind::kNodeLabel, 0, 0, 4, n));
  NENDB_ASSIGN_OR_RETURN(lay.node_row, s.Find(SectionKind::kNodeRow, 0, 0, 4, n));
  NENDB_ASSIGN_OR_RETURN(lay.node_gen, s.Find(SectionKind::kNodeGen, 0, 0, 4, n));
  NENDB_ASSIGN_OR_RETURN(lay.node_flags, s.Find(SectionKind::kNodeFlags, 0, 0, 1, n));
  NENDB_ASSIGN_OR_RETURN(lay.node_key, s.Find(SectionKind::kNodeKey, 0, 0, 8, n));
  for (uint32_t l = 0; l < meta.catalog.labels.size(); ++l) {
    NENDB_ASSIGN_OR_RETURN(size_t i, s.Find(SectionKind::kLabelMembers, l, 0, 8, words));
    lay.label_members.push_back(i);
  }
  NENDB_ASSIGN_OR_RETURN(lay.edge_src, s.Find(SectionKind::kEdgeSrc, 0, 0, 4, e));
  NENDB_ASSIGN_OR_RETURN(lay.edge_dst, s.Find(SectionKind::kEdgeDst, 0, 0, 4, e));
  NENDB_ASSIGN_OR_RETURN(lay.edge_type, s.Find(SectionKind::kEdgeType, 0, 0, 4, e));
  NENDB_ASSIGN_OR_RETURN(lay.edge_gen, s.Find(SectionKind::kEdgeGen, 0, 0, 4, e));
  NENDB_ASSIGN_OR_RETURN(lay.edge_row, s.Find(SectionKind::kEdgeRow, 0, 0, 4, e));
  NENDB_ASSIGN_OR_RETURN(lay.edge_weight, s.Find(SectionKind::kEdgeWeight, 0, 0, 8, e));
  for (uint32_t side = 0; side < 2; ++side) {
    auto& a = lay.adj[side];
    NENDB_ASSIGN_OR_RETURN(a.offsets, s.Find(SectionKind::kAdjOffsets, side, 0, 8, n + 1));
    NENDB_ASSIGN_OR_RETURN(a.nbr, s.Find(SectionKind::kAdjNbr, side, 0, 4, meta.adj_entries));
    NENDB_ASSIGN_OR_RETURN(a.edge, s.Find(SectionKind::kAdjEdge, side, 0, 4, meta.adj_entries));
    NENDB_ASSIGN_OR_RETURN(a.type, s.Find(SectionKind::kAdjType, side, 0, 4, meta.adj_entries));
  }
  NENDB_ASSIGN_OR_RETURN(lay.key_slots, s.Find(SectionKind::kKeySlots, 0, 0, 8, meta.key_capacity));
  NENDB_ASSIGN_OR_RETURN(lay.strings, s.Find(SectionKind::kStrings, 0, 0, 1, meta.string_bytes));
  for (uint32_t edges = 0; edges < 2; ++edges) {
    for (const TableMeta& t : edges ? meta.edge_tables : meta.node_tables) {
      const uint64_t tw = (t.rows + 63) / 64;
      std::vector<size_t> ids;
      NENDB_ASSIGN_OR_RETURN(size_t ent, s.Find(SectionKind::kPropEntity, t.id, edges, 4, t.rows));
      NENDB_ASSIGN_OR_RETURN(size_t used, s.Find(SectionKind::kPropUsed, t.id, edges, 8, tw));
      ids = {ent, used};
      for (uint32_t k = 0; k < t.columns.size(); ++k) {
        const auto& c = t.columns[k];
        const uint32_t aux = (k << 1) | edges;
        NENDB_ASSIGN_OR_RETURN(size_t vals,
                               s.Find(SectionKind::kPropValues, t.id, aux,
                                      ValueBytes(static_cast<ValueType>(c.type), c.dim), t.rows));
        NENDB_ASSIGN_OR_RETURN(size_t valid, s.Find(SectionKind::kPropValid, t.id, aux, 8, tw));
        ids.push_back(vals);
        ids.push_back(valid);
      }
      (edges ? lay.edge_tables : lay.node_tables).push_back(std::move(ids));
    }
  }

  // Build the version over the mapping.
  auto v = std::make_shared<Version>();
  v->seq = h.sequence;
  v->catalog = Cow<Catalog>(std::make_shared<Catalog>(meta.catalog));
  auto nodes = std::make_shared<NodeTable>();
  nodes->label = Column<uint32_t>(s.Column(lay.node_label));
  nodes->row = Column<uint32_t>(s.Column(lay.node_row));
  nodes->gen = Column<uint32_t>(s.Column(lay.node_gen));
  nodes->flags = Column<uint8_t>(s.Column(lay.node_flags));
  nodes->key = Column<uint64_t>(s.Column(lay.node_key));
  nodes->live = meta.node_live;
  nodes->free_head = meta.node_free_head;
  nodes->free_count = meta.node_free_count;
  v->nodes = Cow<NodeTable>(nodes);
  auto labels = std::make_shared<LabelSets>();
  for (size_t i : lay.label_members) {
    labels->members.push_back(BitColumn::FromWords(Column<uint64_t>(s.Column(i)), n));
  }
  labels->counts = meta.label_counts;
  v->labels = Cow<LabelSets>(labels);
  auto edges = std::make_shared<EdgeTable>();
  edges->src = Column<uint32_t>(s.Column(lay.edge_src));
  edges->dst = Column<uint32_t>(s.Column(lay.edge_dst));
  edges->type = Column<uint32_t>(s.Column(lay.edge_type));
  edges->gen = Column<uint32_t>(s.Column(lay.edge_gen));
  edges->row = Column<uint32_t>(s.Column(lay.edge_row));
  edges->weight = Column<double>(s.Column(lay.edge_weight));
  edges->live = meta.edge_live;
  edges->type_counts = meta.type_counts;
  edges->free_head = meta.edge_free_head;
  edges->free_count = meta.edge_free_count;
  edges->live_at_rebuild = meta.edge_live;  // a snapshot's adjacency is compact
  v->edges = Cow<EdgeTable>(edges);
  for (uint32_t side = 0; side < 2; ++side) {
    auto csr = std::make_shared<Csr>();
    const auto& a = lay.adj[side];
    csr->nodes = n;
    csr->entries = meta.adj_entries;
    csr->offsets = reinterpret_cast<const uint64_t*>(s.data(a.offsets));
    csr->nbr = reinterpret_cast<const uint32_t*>(s.data(a.nbr));
    csr->edge = reinterpret_cast<const uint32_t*>(s.data(a.edge));
    csr->type = reinterpret_cast<const uint32_t*>(s.data(a.type));
    for (size_t i : {a.offsets, a.nbr, a.edge, a.type}) {
      csr->blocks.push_back(Block::Map(file, s.data(i), s.entry(i).length));
    }
    auto adj = std::make_shared<Adjacency>();
    adj->base = csr;
    (side == 0 ? v->out : v->in) = Cow<Adjacency>(adj);
  }
  auto keys = std::make_shared<KeyIndex>();
  keys->slots = Column<uint64_t>(s.Column(lay.key_slots));
  keys->live = meta.key_live;
  keys->tombstones = meta.key_tombstones;
  v->keys = Cow<KeyIndex>(keys);
  v->strings = Cow<StringHeap>(std::make_shared<StringHeap>(
      StringHeap::Mapped(file, s.data(lay.strings), meta.string_bytes)));
  for (size_t i = 0; i < meta.node_tables.size(); ++i) {
    const TableMeta& t = meta.node_tables[i];
    if (t.id >= v->node_props.size()) v->node_props.resize(t.id + 1);
    v->node_props[t.id] = Cow<PropTable>(BuildTable(s, t, 0, lay.node_tables[i]));
  }
  for (size_t i = 0; i < meta.edge_tables.size(); ++i) {
    const TableMeta& t = meta.edge_tables[i];
    if (t.id >= v->edge_props.size()) v->edge_props.resize(t.id + 1);
    v->edge_props[t.id] = Cow<PropTable>(BuildTable(s, t, 1, lay.edge_tables[i]));
  }
  v->node_props.resize(meta.catalog.labels.size());
  v->edge_props.resize(meta.catalog.edge_types.size());

  auto verifier = std::make_shared<FileVerifier>(s, std::move(meta), std::move(lay));
  if (verify_all) NENDB_RETURN_IF_ERROR(verifier->Check(kPartAll));
  v->verifier = verifier;

  Loaded out;
  out.version = v;
  out.info.generation = h.generation;
  out.info.sequence = h.sequence;
  std::memcpy(out.info.database_id.data(), h.database_id, 16);
  out.info.file_bytes = file->size();
  return out;
}

}  // namespace nendb::snapshot
