// Single-node write operations: add, set property, add/remove label, delete.
#include <algorithm>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "nendb/errors.h"
#include "txn/ops.h"
#include "txn/prop_check.h"
#include "txn/queries.h"
#include "util/status_macros.h"

namespace nendb::ops {
namespace {

constexpr uint32_t kNodeWriteParts =
    kPartNodes | kPartLabels | kPartKeys | kPartStrings | kPartNodeProps;

std::string KeyConflict(const Version& v, uint32_t label, const Key& key, uint64_t other) {
  return absl::StrCat("a node with label \"", v.catalog->labels.Name(label), "\" and key ",
                      key.DebugString(), " already exists (node ", other,
                      "); keys are unique per label");
}

void StoreProps(Version& v, const WriteCtx& ctx, uint32_t node,
                absl::Span<const check::NamedValue> props) {
  check::StoreProps(v, ctx, check::Entity::kNode, node, props);
}

// Moves a node's properties out of its primary label's table.
std::vector<std::pair<uint32_t, Value>> TakeProps(Version& v, const WriteCtx& ctx, uint32_t node) {
  auto props = query::NodeProps(v, node);
  NodeTable& nt = v.nodes.Mut(ctx.txn);
  const uint32_t row = nt.row.Get(node);
  if (row != kNoRow) {
    v.MutNodeProps(nt.label.Get(node), ctx.txn).FreeRow(row, ctx);
    nt.row.Set(node, kNoRow, ctx);
  }
  return props;
}

std::vector<check::NamedValue> Named(const Version& v,
                                     const std::vector<std::pair<uint32_t, Value>>& props) {
  std::vector<check::NamedValue> out;
  for (const auto& [id, value] : props) {
    out.push_back(check::NamedValue{v.catalog->property_names.Name(id), id, &value});
  }
  return out;
}

// Makes room in the key index. Call before the new entries exist anywhere:
// a growing index is rebuilt from the node table.
void ReserveKeys(Version& v, const WriteCtx& ctx, uint64_t more) {
  v.keys.Mut(ctx.txn).Reserve(more, ctx);
}

// Indexes the node's key under labels (room reserved by ReserveKeys).
void IndexKey(Version& v, const WriteCtx& ctx, uint32_t node, absl::Span<const uint32_t> labels) {
  if ((v.nodes->flags.Get(node) & kKeyKindMask) == kKeyNone) return;
  KeyIndex& ki = v.keys.Mut(ctx.txn);
  const KeyView key = KeyView::OfNode(*v.nodes, *v.strings, node);
  for (uint32_t l : labels) ki.Insert(l, key, node, ctx);
}

void UnindexKey(Version& v, const WriteCtx& ctx, uint32_t node, uint32_t label) {
  if ((v.nodes->flags.Get(node) & kKeyKindMask) == kKeyNone) return;
  const KeyView key = KeyView::OfNode(*v.nodes, *v.strings, node);
  v.keys.Mut(ctx.txn).Erase(label, key, node, ctx);
}

}  // namespace

absl::StatusOr<NodeId> AddNode(Version& v, const WriteCtx& ctx,
                               const std::vector<std::string>& labels, const Key& key,
                               const PropertyMap& props) {
  NENDB_RETURN_IF_ERROR(v.Ready(kNodeWriteParts));
  if (labels.empty()) return absl::InvalidArgumentError("a node needs at least one label");
  std::vector<uint32_t> existing;
  std::optional<uint32_t> primary;
  absl::flat_hash_set<absl::string_view> seen;
  for (size_t i = 0; i < labels.size(); ++i) {
    NENDB_RETURN_IF_ERROR(ValidateName("a label", labels[i]));
    if (!seen.insert(labels[i]).second) {
      return absl::InvalidArgumentError(absl::StrCat("label \"", labels[i], "\" is given twice"));
    }
    if (auto id = v.catalog->labels.Find(labels[i])) {
      existing.push_back(*id);
      if (i == 0) primary = *id;
    }
  }
  NENDB_RETURN_IF_ERROR(check::ValidateKey(key));
  NENDB_ASSIGN_OR_RETURN(auto named, check::ResolveProps(v, props));
  NENDB_RETURN_IF_ERROR(check::CheckNodeProps(v, existing, primary, named, true));
  if (!key.empty()) {
    for (uint32_t l : existing) {
      const uint64_t other = v.keys->Find(l, KeyView::Of(key), *v.nodes, *v.labels, *v.strings);
      if (other != kNoNode) return ConstraintError(KeyConflict(v, l, key, other));
    }
  }
  if (v.nodes->free_head == kNoRow && v.nodes->slots() >= kMaxNodes) {
    return CapacityError(absl::StrCat("the database holds the maximum of ", kMaxNodes, " nodes"));
  }

  std::vector<uint32_t> ids;
  for (const auto& l : labels) ids.push_back(check::InternLabel(v, ctx, l));
  if (!key.empty()) ReserveKeys(v, ctx, ids.size());
  NodeTable& nt = v.nodes.Mut(ctx.txn);
  uint32_t node;
  if (nt.free_head != kNoRow) {
    node = nt.free_head;
    nt.free_head = nt.row.Get(node);
    --nt.free_count;
  } else {
    node = static_cast<uint32_t>(nt.slots());
    for (auto* c : {&nt.label, &nt.row, &nt.gen}) c->Resize(node + 1, ctx);
    nt.flags.Resize(node + 1, ctx);
    nt.key.Resize(node + 1, ctx);
  }
  uint8_t flags = ids.size() > 1 ? kHasExtraLabels : 0;
  uint64_t raw_key = 0;
  if (key.kind() == Key::Kind::kInt) {
    flags |= kKeyInt;
    raw_key = static_cast<uint64_t>(key.int64());
  } else if (key.kind() == Key::Kind::kString) {
    flags |= kKeyString;
    raw_key = v.strings.Mut(ctx.txn).Add(key.string(), ctx);
  }
  nt.label.Set(node, ids[0], ctx);
  nt.row.Set(node, kNoRow, ctx);
  nt.flags.Set(node, flags, ctx);
  nt.key.Set(node, raw_key, ctx);
  ++nt.live;
  LabelSets& ls = v.labels.Mut(ctx.txn);
  for (uint32_t l : ids) ls.Add(l, node, ctx);
  IndexKey(v, ctx, node, ids);
  StoreProps(v, ctx, node, named);
  return NodeId{node};
}

absl::Status SetProperty(Version& v, const WriteCtx& ctx, NodeId node, absl::string_view name,
                         const Value& value) {
  NENDB_RETURN_IF_ERROR(v.Ready(kNodeWriteParts));
  NENDB_RETURN_IF_ERROR(query::CheckNode(v, node));
  PropertyMap one = {{std::string(name), value}};
  NENDB_ASSIGN_OR_RETURN(auto named, check::ResolveProps(v, one));
  const auto labels = query::NodeLabels(v, node);
  NENDB_RETURN_IF_ERROR(check::CheckNodeProps(v, labels, labels[0], named, false));
  StoreProps(v, ctx, static_cast<uint32_t>(node), named);
  return absl::OkStatus();
}

absl::Status AddLabel(Version& v, const WriteCtx& ctx, NodeId node, absl::string_view label) {
  NENDB_RETURN_IF_ERROR(v.Ready(kNodeWriteParts));
  NENDB_RETURN_IF_ERROR(query::CheckNode(v, node));
  NENDB_RETURN_IF_ERROR(ValidateName("a label", label));
  auto labels = query::NodeLabels(v, node);
  const auto id = v.catalog->labels.Find(label);
  if (id && v.labels->Has(*id, node)) {
    return absl::InvalidArgumentError(
        absl::StrCat("node ", node, " already has label \"", label, "\""));
  }
  if (id) {
    auto with = labels;
    with.push_back(*id);
    const auto props = query::NodeProps(v, node);
    NENDB_RETURN_IF_ERROR(check::CheckNodeProps(v, with, labels[0], Named(v, props), true));
    if ((v.nodes->flags.Get(node) & kKeyKindMask) != kKeyNone) {
      const KeyView key = KeyView::OfNode(*v.nodes, *v.strings, node);
      const uint64_t other = v.keys->Find(*id, key, *v.nodes, *v.labels, *v.strings);
      if (other != kNoNode) return ConstraintError(KeyConflict(v, *id, key.ToKey(), other));
    }
  }
  const uint32_t l = check::InternLabel(v, ctx, label);
  ReserveKeys(v, ctx, 1);
  NodeTable& nt = v.nodes.Mut(ctx.txn);
  nt.flags.Set(node, nt.flags.Get(node) | kHasExtraLabels, ctx);
  v.labels.Mut(ctx.txn).Add(l, node, ctx);
  const uint32_t one[] = {l};
  IndexKey(v, ctx, static_cast<uint32_t>(node), one);
  return absl::OkStatus();
}

absl::Status RemoveLabel(Version& v, const WriteCtx& ctx, NodeId node, absl::string_view label) {
  NENDB_RETURN_IF_ERROR(v.Ready(kNodeWriteParts));
  NENDB_RETURN_IF_ERROR(query::CheckNode(v, node));
  const auto id = v.catalog->labels.Find(label);
  if (!id || !v.labels->Has(*id, node)) {
    return absl::NotFoundError(absl::StrCat("node ", node, " has no label \"", label, "\""));
  }
  auto labels = query::NodeLabels(v, node);
  if (labels.size() == 1) {
    return absl::InvalidArgumentError(
        absl::StrCat("label \"", label, "\" is the only label of node ", node,
                     "; a node keeps at least one label (add another first, or delete the node)"));
  }
  std::vector<uint32_t> rest;
  for (uint32_t l : labels) {
    if (l != *id) rest.push_back(l);
  }
  const auto props = query::NodeProps(v, node);
  const bool was_primary = labels[0] == *id;
  // Moving properties to a new primary label must fit its columns.
  NENDB_RETURN_IF_ERROR(check::CheckNodeProps(v, rest, rest[0], Named(v, props), true));

  const uint32_t n = static_cast<uint32_t>(node);
  UnindexKey(v, ctx, n, *id);
  v.labels.Mut(ctx.txn).Remove(*id, node, ctx);
  NodeTable& nt = v.nodes.Mut(ctx.txn);
  if (rest.size() == 1) nt.flags.Set(node, nt.flags.Get(node) & ~kHasExtraLabels, ctx);
  if (was_primary) {
    auto moved = TakeProps(v, ctx, n);
    v.nodes.Mut(ctx.txn).label.Set(node, rest[0], ctx);
    StoreProps(v, ctx, n, Named(v, moved));
  }
  return absl::OkStatus();
}

absl::Status DeleteNode(Version& v, const WriteCtx& ctx, NodeId node, bool detach) {
  NENDB_RETURN_IF_ERROR(v.Ready(kPartAll));
  NENDB_RETURN_IF_ERROR(query::CheckNode(v, node));
  EnsureAdjacency(v, ctx);  // its edges are read below
  std::vector<uint32_t> incident;
  for (Side side : {Side::kOut, Side::kIn}) {
    query::ForEachLiveEntry(v, node, side, kFreeSlot,
                            [&](uint32_t, uint32_t slot) { incident.push_back(slot); });
  }
  if (!incident.empty() && !detach) {
    return absl::InvalidArgumentError(
        absl::StrCat("node ", node, " still has edges; delete them first or delete with detach"));
  }
  std::sort(incident.begin(), incident.end());
  incident.erase(std::unique(incident.begin(), incident.end()), incident.end());
  for (uint32_t slot : incident) {
    NENDB_RETURN_IF_ERROR(DeleteEdge(v, ctx, MakeEdgeId(slot, v.edges->gen.Get(slot))));
  }
  const uint32_t n = static_cast<uint32_t>(node);
  const auto labels = query::NodeLabels(v, node);
  for (uint32_t l : labels) UnindexKey(v, ctx, n, l);
  LabelSets& ls = v.labels.Mut(ctx.txn);
  for (uint32_t l : labels) ls.Remove(l, node, ctx);
  TakeProps(v, ctx, n);
  NodeTable& nt = v.nodes.Mut(ctx.txn);
  nt.label.Set(node, kFreeSlot, ctx);
  nt.gen.Set(node, nt.gen.Get(node) + 1, ctx);
  nt.flags.Set(node, 0, ctx);
  nt.key.Set(node, 0, ctx);
  nt.row.Set(node, nt.free_head, ctx);
  nt.free_head = n;
  ++nt.free_count;
  --nt.live;
  return absl::OkStatus();
}

}  // namespace nendb::ops
