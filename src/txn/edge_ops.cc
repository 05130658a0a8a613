// Single-edge write operations: add, set property or weight, delete; and the
// adjacency compaction policy.
#include "absl/strings/str_cat.h"
#include "nendb/errors.h"
#include "txn/ops.h"
#include "txn/prop_check.h"
#include "txn/queries.h"
#include "util/status_macros.h"

namespace nendb::ops {
namespace {

constexpr uint32_t kEdgeWriteParts =
    kPartNodes | kPartEdges | kPartOut | kPartIn | kPartStrings | kPartEdgeProps;

void StoreEdgeProps(Version& v, const WriteCtx& ctx, uint32_t slot,
                    absl::Span<const check::NamedValue> props) {
  check::StoreProps(v, ctx, check::Entity::kEdge, slot, props);
}

absl::Status CheckEndpoint(const Version& v, absl::string_view which, NodeId node) {
  absl::Status s = query::CheckNode(v, node);
  if (s.ok()) return s;
  return absl::Status(s.code(), absl::StrCat("the ", which, " of the edge: ", s.message()));
}

}  // namespace

absl::StatusOr<EdgeId> AddEdge(Version& v, const WriteCtx& ctx, NodeId source, NodeId target,
                               absl::string_view type, double weight, const PropertyMap& props) {
  NENDB_RETURN_IF_ERROR(v.Ready(kEdgeWriteParts));
  NENDB_RETURN_IF_ERROR(CheckEndpoint(v, "source", source));
  NENDB_RETURN_IF_ERROR(CheckEndpoint(v, "target", target));
  NENDB_RETURN_IF_ERROR(ValidateName("an edge type", type));
  NENDB_RETURN_IF_ERROR(check::ValidateWeight(weight));
  NENDB_ASSIGN_OR_RETURN(auto named, check::ResolveProps(v, props));
  NENDB_RETURN_IF_ERROR(check::CheckEdgeProps(v, v.catalog->edge_types.Find(type), named));
  if (v.edges->free_head == kNoRow && v.edges->slots() >= kMaxEdges) {
    return CapacityError(absl::StrCat("the database holds the maximum of ", kMaxEdges, " edges"));
  }

  const uint32_t tid = check::InternType(v, ctx, type);
  EdgeTable& et = v.edges.Mut(ctx.txn);
  uint32_t slot;
  if (et.free_head != kNoRow) {
    slot = et.free_head;
    et.free_head = et.row.Get(slot);
    --et.free_count;
  } else {
    slot = static_cast<uint32_t>(et.slots());
    for (auto* c : {&et.src, &et.dst, &et.type, &et.gen, &et.row}) c->Resize(slot + 1, ctx);
    et.weight.Resize(slot + 1, ctx);
  }
  const auto src = static_cast<uint32_t>(source);
  const auto dst = static_cast<uint32_t>(target);
  et.src.Set(slot, src, ctx);
  et.dst.Set(slot, dst, ctx);
  et.type.Set(slot, tid, ctx);
  et.row.Set(slot, kNoRow, ctx);
  et.weight.Set(slot, weight, ctx);
  ++et.live;
  ++et.added_since_rebuild;
  et.CountType(tid, 1);
  if (ctx.defer_adjacency) {
    v.adjacency_stale = true;
  } else {
    v.out.Mut(ctx.txn).Append(src, dst, slot, tid, ctx);
    v.in.Mut(ctx.txn).Append(dst, src, slot, tid, ctx);
  }
  StoreEdgeProps(v, ctx, slot, named);
  return MakeEdgeId(slot, v.edges->gen.Get(slot));
}

absl::Status SetEdgeProperty(Version& v, const WriteCtx& ctx, EdgeId edge, absl::string_view name,
                             const Value& value) {
  NENDB_RETURN_IF_ERROR(v.Ready(kEdgeWriteParts));
  NENDB_RETURN_IF_ERROR(query::CheckEdge(v, edge));
  PropertyMap one = {{std::string(name), value}};
  NENDB_ASSIGN_OR_RETURN(auto named, check::ResolveProps(v, one));
  NENDB_RETURN_IF_ERROR(check::CheckEdgeProps(v, v.edges->type.Get(EdgeSlot(edge)), named));
  StoreEdgeProps(v, ctx, EdgeSlot(edge), named);
  return absl::OkStatus();
}

absl::Status SetWeight(Version& v, const WriteCtx& ctx, EdgeId edge, double weight) {
  NENDB_RETURN_IF_ERROR(v.Ready(kPartEdges));
  NENDB_RETURN_IF_ERROR(query::CheckEdge(v, edge));
  NENDB_RETURN_IF_ERROR(check::ValidateWeight(weight));
  v.edges.Mut(ctx.txn).weight.Set(EdgeSlot(edge), weight, ctx);
  return absl::OkStatus();
}

absl::Status DeleteEdge(Version& v, const WriteCtx& ctx, EdgeId edge) {
  NENDB_RETURN_IF_ERROR(v.Ready(kEdgeWriteParts));
  NENDB_RETURN_IF_ERROR(query::CheckEdge(v, edge));
  const uint32_t slot = EdgeSlot(edge);
  EdgeTable& et = v.edges.Mut(ctx.txn);
  const uint32_t row = et.row.Get(slot);
  if (row != kNoRow) v.MutEdgeProps(et.type.Get(slot), ctx.txn).FreeRow(row, ctx);
  et.CountType(et.type.Get(slot), -1);
  et.type.Set(slot, kFreeSlot, ctx);
  et.gen.Set(slot, et.gen.Get(slot) + 1, ctx);
  // The adjacency still lists the slot: park it until the next rebuild.
  et.row.Set(slot, et.pending_head, ctx);
  et.pending_head = slot;
  ++et.pending_count;
  --et.live;
  return absl::OkStatus();
}

void MaybeCompactAdjacency(Version& v, const WriteCtx& ctx, bool force) {
  const EdgeTable& et = *v.edges;
  const uint64_t threshold = std::max<uint64_t>(uint64_t{1} << 16, et.live_at_rebuild / 4);
  const bool due = et.added_since_rebuild > threshold || et.pending_count > threshold;
  if (!force && !due) return;
  if (!force && et.added_since_rebuild == 0 && et.pending_count == 0 && !v.adjacency_stale) return;
  if (ctx.defer_adjacency && !force) {
    // The slots the writer freed here are freed here too (edge ids depend on
    // it); the adjacency itself waits.
    FreePendingSlots(v.edges.Mut(ctx.txn), ctx);
    v.adjacency_stale = true;
    return;
  }
  BuildAdjacency(*v.edges, v.nodes->slots(), v.out.Mut(ctx.txn), v.in.Mut(ctx.txn), ctx);
  FreePendingSlots(v.edges.Mut(ctx.txn), ctx);
  v.adjacency_stale = false;
}

void EnsureAdjacency(Version& v, const WriteCtx& ctx) {
  if (!v.adjacency_stale) return;
  // Lists every live edge; pending slots stay pending (freeing them now would
  // change which slots later edges get).
  BuildAdjacency(*v.edges, v.nodes->slots(), v.out.Mut(ctx.txn), v.in.Mut(ctx.txn), ctx);
  v.adjacency_stale = false;
}

}  // namespace nendb::ops
