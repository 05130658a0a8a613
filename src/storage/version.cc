#include "storage/version.h"

namespace nendb {

absl::Status Verifier::CheckSlow(uint32_t parts) const {
  absl::MutexLock l(&mu_);
  if (!failure_.ok()) return failure_;
  for (uint32_t bit = 1; bit & kPartAll; bit <<= 1) {
    if (!(parts & bit) || (verified_.load(std::memory_order_relaxed) & bit)) continue;
    absl::Status s = VerifyPart(static_cast<Part>(bit));
    if (!s.ok()) {
      failure_ = s;
      return s;
    }
    verified_.fetch_or(bit, std::memory_order_release);
  }
  return absl::OkStatus();
}

namespace {

PropTable& MutTable(std::vector<Cow<PropTable>>& tables, uint32_t id, TxnId txn) {
  if (id >= tables.size()) tables.resize(id + 1);
  return tables[id].Mut(txn);
}

uint64_t TableBytes(const PropTable& t) {
  uint64_t n = t.entity.raw().TotalBytes() + t.used.words().raw().TotalBytes();
  for (const auto& c : t.columns) n += c.values.TotalBytes() + c.valid.words().raw().TotalBytes();
  return n;
}

uint64_t AdjacencyBytes(const Adjacency& a) {
  uint64_t n =
      a.delta_count.raw().TotalBytes() + a.delta_ends.raw().TotalBytes() + a.pool.TotalBytes();
  for (const auto& b : a.base->blocks) n += b->size();
  return n;
}

}  // namespace

PropTable& Version::MutNodeProps(uint32_t label, TxnId txn) {
  return MutTable(node_props, label, txn);
}

PropTable& Version::MutEdgeProps(uint32_t type, TxnId txn) {
  return MutTable(edge_props, type, txn);
}

Footprint MeasureFootprint(const Version& v) {
  Footprint f;
  const NodeTable& nt = *v.nodes;
  f.node_bytes = nt.label.raw().TotalBytes() + nt.row.raw().TotalBytes() +
                 nt.gen.raw().TotalBytes() + nt.flags.raw().TotalBytes() +
                 nt.key.raw().TotalBytes() + v.keys->slots.raw().TotalBytes();
  for (const auto& m : v.labels->members) f.node_bytes += m.words().raw().TotalBytes();
  for (const auto& t : v.node_props) f.node_bytes += TableBytes(*t);
  const EdgeTable& et = *v.edges;
  f.edge_bytes = et.src.raw().TotalBytes() + et.dst.raw().TotalBytes() +
                 et.type.raw().TotalBytes() + et.gen.raw().TotalBytes() +
                 et.row.raw().TotalBytes() + et.weight.raw().TotalBytes() + AdjacencyBytes(*v.out) +
                 AdjacencyBytes(*v.in);
  for (const auto& t : v.edge_props) f.edge_bytes += TableBytes(*t);
  f.string_bytes = v.strings->TotalBytes();
  return f;
}

}  // namespace nendb
