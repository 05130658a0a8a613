#include "txn/queries.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "util/status_macros.h"

namespace nendb::query {
namespace {

constexpr uint32_t kNodeParts = kPartNodes | kPartLabels | kPartStrings;

}  // namespace

absl::Status CheckNode(const Version& v, NodeId node) {
  if (v.nodes->IsLive(node)) return absl::OkStatus();
  if (node >= v.nodes->slots()) {
    return absl::NotFoundError(absl::StrCat("node ", node, " does not exist (ids so far go up to ",
                                            v.nodes->slots(), ")"));
  }
  return absl::NotFoundError(absl::StrCat("node ", node, " does not exist (it was deleted)"));
}

absl::Status CheckEdge(const Version& v, EdgeId edge) {
  if (v.edges->IsLive(edge)) return absl::OkStatus();
  return absl::NotFoundError(
      absl::StrCat("edge ", edge, " does not exist (never created, or deleted)"));
}

std::vector<uint32_t> NodeLabels(const Version& v, uint64_t node) {
  const uint32_t primary = v.nodes->label.Get(node);
  std::vector<uint32_t> out = {primary};
  if (v.nodes->flags.Get(node) & kHasExtraLabels) {
    const uint32_t n = static_cast<uint32_t>(v.labels->members.size());
    for (uint32_t l = 0; l < n; ++l) {
      if (l != primary && v.labels->Has(l, node)) out.push_back(l);
    }
  }
  return out;
}

std::vector<std::pair<uint32_t, Value>> NodeProps(const Version& v, uint64_t node) {
  std::vector<std::pair<uint32_t, Value>> out;
  const uint32_t row = v.nodes->row.Get(node);
  const PropTable* t = v.NodeProps(v.nodes->label.Get(node));
  if (row == kNoRow || t == nullptr) return out;
  for (const auto& c : t->columns) {
    if (t->Has(c, row)) out.emplace_back(c.name, t->Get(c, row, *v.strings));
  }
  return out;
}

absl::StatusOr<NodeId> FindNode(const Version& v, absl::string_view label, const Key& key) {
  NENDB_RETURN_IF_ERROR(v.Ready(kNodeParts | kPartKeys));
  auto id = v.catalog->labels.Find(label);
  if (!id) return absl::NotFoundError(absl::StrCat("there is no label \"", label, "\""));
  if (key.empty()) return absl::InvalidArgumentError("find needs a key");
  const uint64_t node = v.keys->Find(*id, KeyView::Of(key), *v.nodes, *v.labels, *v.strings);
  if (node == kNoNode) {
    return absl::NotFoundError(
        absl::StrCat("no node with label \"", label, "\" has key ", key.DebugString()));
  }
  return node;
}

absl::StatusOr<Node> GetNode(const Version& v, NodeId node) {
  NENDB_RETURN_IF_ERROR(v.Ready(kNodeParts | kPartNodeProps));
  NENDB_RETURN_IF_ERROR(CheckNode(v, node));
  Node n;
  n.id = node;
  for (uint32_t l : NodeLabels(v, node)) n.labels.push_back(v.catalog->labels.Name(l));
  n.key = KeyView::OfNode(*v.nodes, *v.strings, node).ToKey();
  for (auto& [name, value] : NodeProps(v, node)) {
    n.properties.emplace_back(v.catalog->property_names.Name(name), std::move(value));
  }
  return n;
}

absl::StatusOr<Edge> GetEdge(const Version& v, EdgeId edge) {
  NENDB_RETURN_IF_ERROR(v.Ready(kPartEdges | kPartEdgeProps | kPartStrings));
  NENDB_RETURN_IF_ERROR(CheckEdge(v, edge));
  const EdgeTable& t = *v.edges;
  const uint32_t slot = EdgeSlot(edge);
  Edge e;
  e.id = edge;
  e.source = t.src.Get(slot);
  e.target = t.dst.Get(slot);
  const uint32_t type = t.type.Get(slot);
  e.type = v.catalog->edge_types.Name(type);
  e.weight = t.weight.Get(slot);
  const uint32_t row = t.row.Get(slot);
  if (const PropTable* p = v.EdgeProps(type); p != nullptr && row != kNoRow) {
    for (const auto& c : p->columns) {
      if (p->Has(c, row)) {
        e.properties.emplace_back(v.catalog->property_names.Name(c.name),
                                  p->Get(c, row, *v.strings));
      }
    }
  }
  return e;
}

absl::StatusOr<Value> GetProperty(const Version& v, NodeId node, absl::string_view name) {
  NENDB_RETURN_IF_ERROR(v.Ready(kNodeParts | kPartNodeProps));
  NENDB_RETURN_IF_ERROR(CheckNode(v, node));
  auto id = v.catalog->property_names.Find(name);
  const PropTable* t = v.NodeProps(v.nodes->label.Get(node));
  const uint32_t row = v.nodes->row.Get(node);
  if (!id || t == nullptr || row == kNoRow) return Value();
  const int c = t->FindColumn(*id);
  if (c < 0) return Value();
  return t->Get(t->columns[c], row, *v.strings);
}

absl::StatusOr<Value> GetEdgeProperty(const Version& v, EdgeId edge, absl::string_view name) {
  NENDB_RETURN_IF_ERROR(v.Ready(kPartEdges | kPartEdgeProps | kPartStrings));
  NENDB_RETURN_IF_ERROR(CheckEdge(v, edge));
  const uint32_t slot = EdgeSlot(edge);
  auto id = v.catalog->property_names.Find(name);
  const PropTable* t = v.EdgeProps(v.edges->type.Get(slot));
  const uint32_t row = v.edges->row.Get(slot);
  if (!id || t == nullptr || row == kNoRow) return Value();
  const int c = t->FindColumn(*id);
  if (c < 0) return Value();
  return t->Get(t->columns[c], row, *v.strings);
}

namespace {

// The type id to filter by: kFreeSlot for all types, nullopt if the named
// type does not exist (so nothing matches).
std::optional<uint32_t> TypeFilter(const Version& v, absl::string_view edge_type) {
  if (edge_type.empty()) return kFreeSlot;
  return v.catalog->edge_types.Find(edge_type);
}

}  // namespace

absl::Status Neighbors(const Version& v, NodeId node, Direction direction,
                       absl::string_view edge_type, std::vector<NodeId>* nodes,
                       std::vector<EdgeId>* edges) {
  NENDB_RETURN_IF_ERROR(v.Ready(kPartNodes | kPartEdges | kPartOut | kPartIn));
  NENDB_RETURN_IF_ERROR(CheckNode(v, node));
  nodes->clear();
  if (edges != nullptr) edges->clear();
  const auto type = TypeFilter(v, edge_type);
  if (!type) return absl::OkStatus();
  const EdgeTable& et = *v.edges;
  auto emit = [&](uint32_t nbr, uint32_t slot) {
    nodes->push_back(nbr);
    if (edges != nullptr) edges->push_back(MakeEdgeId(slot, et.gen.Get(slot)));
  };
  if (direction != Direction::kIn) ForEachLiveEntry(v, node, Side::kOut, *type, emit);
  if (direction != Direction::kOut) {
    const bool both = direction == Direction::kBoth;
    ForEachLiveEntry(v, node, Side::kIn, *type, [&](uint32_t nbr, uint32_t slot) {
      if (both && nbr == node) return;  // a self-loop was listed on the out side
      emit(nbr, slot);
    });
  }
  return absl::OkStatus();
}

absl::StatusOr<uint64_t> Degree(const Version& v, NodeId node, Direction direction,
                                absl::string_view edge_type) {
  NENDB_RETURN_IF_ERROR(v.Ready(kPartNodes | kPartEdges | kPartOut | kPartIn));
  NENDB_RETURN_IF_ERROR(CheckNode(v, node));
  const auto type = TypeFilter(v, edge_type);
  if (!type) return 0;
  const bool exact = *type == kFreeSlot && v.edges->pending_count == 0;
  uint64_t d = 0;
  if (direction != Direction::kIn) {
    if (exact) {
      d += v.out->RawDegree(node);
    } else {
      ForEachLiveEntry(v, node, Side::kOut, *type, [&](uint32_t, uint32_t) { ++d; });
    }
  }
  if (direction != Direction::kOut) {
    const bool both = direction == Direction::kBoth;
    ForEachLiveEntry(v, node, Side::kIn, *type, [&](uint32_t nbr, uint32_t) {
      if (!(both && nbr == node)) ++d;
    });
  }
  return d;
}

absl::StatusOr<std::vector<NodeId>> NodesWithLabel(const Version& v, absl::string_view label) {
  NENDB_RETURN_IF_ERROR(v.Ready(kPartNodes | kPartLabels));
  auto id = v.catalog->labels.Find(label);
  if (!id) return absl::NotFoundError(absl::StrCat("there is no label \"", label, "\""));
  std::vector<NodeId> out;
  if (*id >= v.labels->members.size()) return out;
  const BitColumn& bits = v.labels->members[*id];
  out.reserve(v.labels->Count(*id));
  const uint64_t words = (bits.size() + 63) / 64;
  bits.words().raw().ForEachRun(0, words, [&](const std::byte* p, uint64_t first, uint64_t n) {
    const auto* w = reinterpret_cast<const uint64_t*>(p);
    for (uint64_t i = 0; i < n; ++i) {
      for (uint64_t x = w[i]; x != 0; x &= x - 1) {
        const uint64_t node = (first + i) * 64 + std::countr_zero(x);
        if (node < bits.size()) out.push_back(node);
      }
    }
  });
  return out;
}

absl::StatusOr<LabelInfo> GetLabelInfo(const Version& v, absl::string_view label) {
  auto id = v.catalog->labels.Find(label);
  if (!id) return absl::NotFoundError(absl::StrCat("there is no label \"", label, "\""));
  LabelInfo info;
  info.name = std::string(label);
  info.num_nodes = v.labels->Count(*id);
  const DeclaredSchema* schema =
      *id < v.catalog->schemas.size() ? &v.catalog->schemas[*id] : nullptr;
  if (schema != nullptr) {
    info.strict = schema->strict;
    for (const auto& p : schema->properties) {
      info.columns.push_back(
          ColumnInfo{v.catalog->property_names.Name(p.name), p.type, p.dim, true, p.required});
    }
  }
  if (const PropTable* t = v.NodeProps(*id)) {
    for (const auto& c : t->columns) {
      if (schema != nullptr && schema->Find(c.name) != nullptr) continue;
      info.columns.push_back(
          ColumnInfo{v.catalog->property_names.Name(c.name), c.type, c.dim, false, false});
    }
  }
  return info;
}

absl::StatusOr<EdgeTypeInfo> GetEdgeTypeInfo(const Version& v, absl::string_view type) {
  auto id = v.catalog->edge_types.Find(type);
  if (!id) return absl::NotFoundError(absl::StrCat("there is no edge type \"", type, "\""));
  EdgeTypeInfo info;
  info.name = std::string(type);
  info.num_edges = *id < v.edges->type_counts.size() ? v.edges->type_counts[*id] : 0;
  if (const PropTable* t = v.EdgeProps(*id)) {
    for (const auto& c : t->columns) {
      info.columns.push_back(
          ColumnInfo{v.catalog->property_names.Name(c.name), c.type, c.dim, false, false});
    }
  }
  return info;
}

absl::Status FindNodes(const Version& v, absl::string_view label, const BulkKeys& keys,
                       absl::Span<NodeId> out) {
  NENDB_RETURN_IF_ERROR(v.Ready(kNodeParts | kPartKeys));
  const size_t n = keys.ints.empty() ? keys.strings.size() : keys.ints.size();
  if (out.size() != n) {
    return absl::InvalidArgumentError(
        absl::StrCat("the output has room for ", out.size(), " ids, not ", n));
  }
  if (keys.ints.empty() && n > 0 &&
      (keys.strings.offsets.back() > keys.strings.bytes.size() ||
       keys.strings.offsets.front() > keys.strings.offsets.back())) {
    return absl::InvalidArgumentError("string key offsets run past the data");
  }
  const auto id = v.catalog->labels.Find(label);
  if (!id) {
    std::fill(out.begin(), out.end(), kNoNode);
    return absl::OkStatus();
  }
  // Blocks of lookups in three passes (hash and prefetch the slots, prefetch
  // the nodes they name, then probe), so the cache misses of a block overlap:
  // a lookup is a few dependent misses in tables larger than the cache.
  constexpr size_t kBlock = 32;
  KeyView block[kBlock];
  uint64_t hashes[kBlock];
  for (size_t at = 0; at < n; at += kBlock) {
    const size_t k = std::min(kBlock, n - at);
    for (size_t j = 0; j < k; ++j) {
      const size_t i = at + j;
      if (!keys.ints.empty()) {
        block[j] = KeyView{Key::Kind::kInt, keys.ints[i], {}};
      } else {
        if (keys.strings.offsets[i] > keys.strings.offsets[i + 1] ||
            keys.strings.offsets[i + 1] > keys.strings.bytes.size()) {
          return absl::InvalidArgumentError(
              absl::StrCat("string key offsets are not increasing at row ", i));
        }
        block[j] = KeyView{Key::Kind::kString, 0, keys.strings.at(i)};
      }
      hashes[j] = KeyIndex::Hash(*id, block[j]);
      v.keys->Prefetch(hashes[j]);
    }
    for (size_t j = 0; j < k; ++j) {
      v.keys->PrefetchCandidate(*id, hashes[j], *v.nodes, *v.labels);
    }
    for (size_t j = 0; j < k; ++j) {
      out[at + j] = v.keys->FindHashed(*id, block[j], hashes[j], *v.nodes, *v.labels, *v.strings);
    }
  }
  return absl::OkStatus();
}

absl::Status ScanEdges(const Version& v, absl::string_view edge_type, std::vector<EdgeId>* ids,
                       std::vector<NodeId>* sources, std::vector<NodeId>* targets,
                       std::vector<double>* weights) {
  NENDB_RETURN_IF_ERROR(v.Ready(kPartEdges));
  for (auto* vec : {ids, sources, targets}) {
    if (vec != nullptr) vec->clear();
  }
  if (weights != nullptr) weights->clear();
  const auto type = TypeFilter(v, edge_type);
  if (!type) return absl::OkStatus();
  const EdgeTable& t = *v.edges;
  for (uint64_t slot = 0; slot < t.slots(); ++slot) {
    const uint32_t ty = t.type.Get(slot);
    if (ty == kFreeSlot || (*type != kFreeSlot && ty != *type)) continue;
    if (ids != nullptr) ids->push_back(MakeEdgeId(static_cast<uint32_t>(slot), t.gen.Get(slot)));
    if (sources != nullptr) sources->push_back(t.src.Get(slot));
    if (targets != nullptr) targets->push_back(t.dst.Get(slot));
    if (weights != nullptr) weights->push_back(t.weight.Get(slot));
  }
  return absl::OkStatus();
}

}  // namespace nendb::query
