#include "snapshot/meta.h"

#include <cstring>

#include "util/bytes.h"

namespace nendb::snapshot {
namespace {

void EncodeNames(ByteWriter& e, const Dictionary& d) {
  e.U64(d.size());
  for (const auto& n : d.names()) e.Str(n);
}

bool DecodeNames(ByteReader& d, Dictionary* out) {
  const uint64_t n = d.Count(4);
  for (uint64_t i = 0; i < n && d.ok(); ++i) {
    const absl::string_view name = d.Str();
    if (!d.ok() || out->Intern(name) != i) return false;  // names must be distinct
  }
  return d.ok();
}

void EncodeTables(ByteWriter& e, const std::vector<TableMeta>& tables) {
  e.U64(tables.size());
  for (const auto& t : tables) {
    e.U32(t.id);
    e.U64(t.rows);
    e.U64(t.live);
    e.U32(t.free_head);
    e.U64(t.columns.size());
    for (const auto& c : t.columns) {
      e.U32(c.name);
      e.U8(c.type);
      e.U32(c.dim);
    }
  }
}

bool DecodeTables(ByteReader& d, std::vector<TableMeta>* tables) {
  const uint64_t n = d.Count(32);
  for (uint64_t i = 0; i < n && d.ok(); ++i) {
    TableMeta t;
    t.id = d.U32();
    t.rows = d.U64();
    t.live = d.U64();
    t.free_head = d.U32();
    const uint64_t nc = d.Count(9);
    for (uint64_t k = 0; k < nc && d.ok(); ++k) {
      TableMeta::Column c;
      c.name = d.U32();
      c.type = d.U8();
      c.dim = d.U32();
      t.columns.push_back(c);
    }
    tables->push_back(std::move(t));
  }
  return d.ok();
}

}  // namespace

std::string EncodeMeta(const Meta& m) {
  ByteWriter e;
  EncodeNames(e, m.catalog.labels);
  EncodeNames(e, m.catalog.edge_types);
  EncodeNames(e, m.catalog.property_names);
  e.U64(m.catalog.schemas.size());
  for (const auto& s : m.catalog.schemas) {
    e.U8(s.strict ? 1 : 0);
    e.U64(s.properties.size());
    for (const auto& p : s.properties) {
      e.U32(p.name);
      e.U8(static_cast<uint8_t>(p.type));
      e.U32(p.dim);
      e.U8(p.required ? 1 : 0);
    }
  }
  for (uint64_t v : {m.node_slots, m.node_live, m.node_free_count}) e.U64(v);
  e.U32(m.node_free_head);
  for (uint64_t v : {m.edge_slots, m.edge_live, m.edge_free_count}) e.U64(v);
  e.U32(m.edge_free_head);
  for (const auto* counts : {&m.label_counts, &m.type_counts}) {
    e.U64(counts->size());
    for (uint64_t c : *counts) e.U64(c);
  }
  for (uint64_t v : {m.key_capacity, m.key_live, m.key_tombstones, m.string_bytes, m.adj_entries}) {
    e.U64(v);
  }
  EncodeTables(e, m.node_tables);
  EncodeTables(e, m.edge_tables);
  e.U64(m.catalog.vector_indexes.size());
  for (const VectorIndexDef& x : m.catalog.vector_indexes) {
    e.U32(x.label);
    e.U32(x.property);
    e.U8(MetricByte(x.metric, x.quantization));
    e.U32(x.m);
    e.U32(x.ef_construction);
  }
  return e.Take();
}

bool DecodeMeta(absl::string_view bytes, Meta* m) {
  ByteReader d(bytes);
  if (!DecodeNames(d, &m->catalog.labels) || !DecodeNames(d, &m->catalog.edge_types) ||
      !DecodeNames(d, &m->catalog.property_names)) {
    return false;
  }
  const uint64_t ns = d.Count(9);
  for (uint64_t i = 0; i < ns && d.ok(); ++i) {
    DeclaredSchema s;
    s.strict = d.U8() != 0;
    const uint64_t np = d.Count(10);
    for (uint64_t k = 0; k < np && d.ok(); ++k) {
      DeclaredProperty p;
      p.name = d.U32();
      p.type = static_cast<ValueType>(d.U8());
      p.dim = d.U32();
      p.required = d.U8() != 0;
      s.properties.push_back(p);
    }
    m->catalog.schemas.push_back(std::move(s));
  }
  m->node_slots = d.U64();
  m->node_live = d.U64();
  m->node_free_count = d.U64();
  m->node_free_head = d.U32();
  m->edge_slots = d.U64();
  m->edge_live = d.U64();
  m->edge_free_count = d.U64();
  m->edge_free_head = d.U32();
  for (auto* counts : {&m->label_counts, &m->type_counts}) {
    const uint64_t n = d.Count(8);
    for (uint64_t i = 0; i < n && d.ok(); ++i) counts->push_back(d.U64());
  }
  m->key_capacity = d.U64();
  m->key_live = d.U64();
  m->key_tombstones = d.U64();
  m->string_bytes = d.U64();
  m->adj_entries = d.U64();
  if (!DecodeTables(d, &m->node_tables) || !DecodeTables(d, &m->edge_tables)) return false;
  if (!d.done()) {  // files written before vector indexes end here
    const uint64_t nv = d.Count(17);
    for (uint64_t i = 0; i < nv && d.ok(); ++i) {
      VectorIndexDef x;
      x.label = d.U32();
      x.property = d.U32();
      const uint8_t metric = d.U8();
      x.metric = metric & 15;
      x.quantization = metric >> 4;
      x.m = d.U32();
      x.ef_construction = d.U32();
      m->catalog.vector_indexes.push_back(x);
    }
  }
  return d.ok() && d.done();
}

}  // namespace nendb::snapshot
