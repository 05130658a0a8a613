#include "storage/adjacency.h"

#include <cstring>

namespace nendb {

void Adjacency::Append(uint32_t node, uint32_t nbr, uint32_t edge, uint32_t type,
                       const WriteCtx& ctx) {
  if (node >= delta_count.size()) {
    delta_count.Resize(node + 1, ctx);
    delta_ends.Resize(node + 1, ctx);
  }
  const uint32_t count = delta_count.Get(node);
  const uint64_t ends = delta_ends.Get(node);
  uint32_t head = static_cast<uint32_t>(ends);
  uint32_t tail = static_cast<uint32_t>(ends >> 32);
  const uint32_t pos = count % kDeltaPerBlock;
  if (pos == 0) {
    // Link a new block. The old tail's `next` is past what readers follow
    // (they stop after `count` entries), so it is written in place.
    const uint32_t fresh = static_cast<uint32_t>(pool.size());
    pool.Resize(fresh + 1, ctx);
    if (count == 0) {
      head = fresh;
    } else {
      reinterpret_cast<DeltaBlock*>(pool.MutableInvisible(tail, ctx))->next = fresh;
    }
    tail = fresh;
    delta_ends.Set(node, uint64_t{head} | (uint64_t{tail} << 32), ctx);
  }
  auto* b = reinterpret_cast<DeltaBlock*>(pool.MutableInvisible(tail, ctx));
  b->nbr[pos] = nbr;
  b->edge[pos] = edge;
  b->type[pos] = type;
  delta_count.Set(node, count + 1, ctx);
  ++delta_entries;
}

std::shared_ptr<const Csr> Adjacency::BuildBase(const EdgeTable& edges, uint64_t nodes,
                                                Side side, const WriteCtx& ctx) {
  const Column<uint32_t>& key = side == Side::kOut ? edges.src : edges.dst;
  const Column<uint32_t>& other = side == Side::kOut ? edges.dst : edges.src;
  auto csr = std::make_shared<Csr>();
  csr->nodes = nodes;
  csr->entries = edges.live;
  auto alloc = [&](size_t bytes) {
    BlockPtr b = Block::Allocate(ctx.arena, std::max<size_t>(bytes, 8), ctx.txn);
    csr->blocks.push_back(b);
    return b->mutable_data();
  };
  auto* offsets = reinterpret_cast<uint64_t*>(alloc((nodes + 1) * 8));
  auto* nbr = reinterpret_cast<uint32_t*>(alloc(csr->entries * 4));
  auto* edge = reinterpret_cast<uint32_t*>(alloc(csr->entries * 4));
  auto* type = reinterpret_cast<uint32_t*>(alloc(csr->entries * 4));
  const uint64_t slots = edges.slots();
  // Counting sort by the key endpoint; entries of a node stay in slot order.
  // The three u32 columns share one chunk layout, so a run of one is a run of
  // all.
  auto for_each_run = [&](auto&& fn) {
    edges.type.raw().ForEachRun(0, slots, [&](const std::byte* t, uint64_t first, uint64_t n) {
      fn(reinterpret_cast<const uint32_t*>(t), reinterpret_cast<const uint32_t*>(key.raw().At(first)),
         reinterpret_cast<const uint32_t*>(other.raw().At(first)), first, n);
    });
  };
  for_each_run([&](const uint32_t* t, const uint32_t* k, const uint32_t*, uint64_t, uint64_t n) {
    for (uint64_t i = 0; i < n; ++i) offsets[k[i] + 1] += t[i] != kFreeSlot;
  });
  for (uint64_t v = 0; v < nodes; ++v) offsets[v + 1] += offsets[v];
  std::vector<uint64_t> cursor(offsets, offsets + nodes);
  for_each_run([&](const uint32_t* t, const uint32_t* k, const uint32_t* o, uint64_t first,
                   uint64_t n) {
    for (uint64_t i = 0; i < n; ++i) {
      if (t[i] == kFreeSlot) continue;
      const uint64_t at = cursor[k[i]]++;
      nbr[at] = o[i];
      edge[at] = static_cast<uint32_t>(first + i);
      type[at] = t[i];
    }
  });
  csr->offsets = offsets;
  csr->nbr = nbr;
  csr->edge = edge;
  csr->type = type;
  return csr;
}

void RebuildAdjacency(EdgeTable& edges, uint64_t nodes, Adjacency& out, Adjacency& in,
                      const WriteCtx& ctx) {
  for (Adjacency* a : {&out, &in}) {
    Adjacency fresh;
    fresh.owner = ctx.txn;
    fresh.base = Adjacency::BuildBase(edges, nodes, a == &out ? Side::kOut : Side::kIn, ctx);
    *a = std::move(fresh);
  }
  // Pending slots are no longer listed anywhere: chain them onto the free list.
  while (edges.pending_head != kNoRow) {
    const uint32_t slot = edges.pending_head;
    edges.pending_head = edges.row.Get(slot);
    edges.row.Set(slot, edges.free_head, ctx);
    edges.free_head = slot;
  }
  edges.free_count += edges.pending_count;
  edges.pending_count = 0;
}

}  // namespace nendb
