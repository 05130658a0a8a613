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
  uint64_t n = t.entity.raw().HeapBytes() + t.used.words().raw().HeapBytes();
  for (const auto& c : t.columns) n += c.values.HeapBytes() + c.valid.words().raw().HeapBytes();
  return n;
}

uint64_t AdjacencyBytes(const Adjacency& a) {
  uint64_t n = a.delta_count.raw().HeapBytes() + a.delta_ends.raw().HeapBytes() +
               a.pool.HeapBytes();
  for (const auto& b : a.base->blocks) {
    if (!b->mapped()) n += b->size();
  }
  return n;
}

}  // namespace

PropTable& Version::MutNodeProps(uint32_t label, TxnId txn) {
  return MutTable(node_props, label, txn);
}

PropTable& Version::MutEdgeProps(uint32_t type, TxnId txn) {
  return MutTable(edge_props, type, txn);
}

uint64_t Version::HeapBytes() const {
  uint64_t n = 0;
  n += nodes->label.raw().HeapBytes() + nodes->row.raw().HeapBytes() +
       nodes->gen.raw().HeapBytes() + nodes->flags.raw().HeapBytes() +
       nodes->key.raw().HeapBytes();
  n += edges->src.raw().HeapBytes() + edges->dst.raw().HeapBytes() +
       edges->type.raw().HeapBytes() + edges->gen.raw().HeapBytes() +
       edges->row.raw().HeapBytes() + edges->weight.raw().HeapBytes();
  for (const auto& m : labels->members) n += m.words().raw().HeapBytes();
  n += keys->slots.raw().HeapBytes();
  n += AdjacencyBytes(*out) + AdjacencyBytes(*in);
  n += strings->HeapBytes();
  for (const auto& t : node_props) n += TableBytes(*t);
  for (const auto& t : edge_props) n += TableBytes(*t);
  return n;
}

}  // namespace nendb
