#include "storage/adjacency.h"

#include <cstring>
#include <exception>
#include <thread>

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

namespace {

// One edge on its way to its key endpoint's list.
struct Entry {
  uint32_t key, other, edge, type;
};

// Below this many edges the scatter's working set fits in cache anyway.
constexpr uint64_t kDirectScatterEdges = uint64_t{1} << 16;
// Edges partitioned at a time: bounds the temporary buffer (16 bytes each,
// 64 MiB); smaller batches write each bucket's slice more sparsely (2^20: 20%
// slower on 10M edges).
constexpr uint64_t kPartitionBatch = uint64_t{1} << 22;
constexpr int kMaxBucketBits = 8;

// The edge table seen from one side: the key endpoint (whose list an edge
// joins) and the other one.
struct SideView {
  SideView(const EdgeTable& edges, Side side)
      : edges(edges),
        key(side == Side::kOut ? edges.src : edges.dst),
        other(side == Side::kOut ? edges.dst : edges.src) {}

  // The three u32 columns share one chunk layout, so a run of one is a run
  // of all: fn(types, keys, others, first slot, count).
  template <typename Fn>
  void ForEachRun(uint64_t begin, uint64_t end, Fn&& fn) const {
    edges.type.raw().ForEachRun(begin, end, [&](const std::byte* t, uint64_t first, uint64_t n) {
      fn(reinterpret_cast<const uint32_t*>(t),
         reinterpret_cast<const uint32_t*>(key.raw().At(first)),
         reinterpret_cast<const uint32_t*>(other.raw().At(first)), first, n);
    });
  }
  // counts[k + 1] += live edges of slots [begin, end) keyed by k. A free
  // slot's endpoints mean nothing: never index with them.
  void Count(uint64_t begin, uint64_t end, uint64_t* counts) const {
    ForEachRun(begin, end,
               [&](const uint32_t* t, const uint32_t* k, const uint32_t*, uint64_t, uint64_t n) {
                 for (uint64_t i = 0; i < n; ++i) {
                   if (t[i] != kFreeSlot) ++counts[k[i] + 1];
                 }
               });
  }

  const EdgeTable& edges;
  const Column<uint32_t>& key;
  const Column<uint32_t>& other;
};

// A Csr with room for `entries` entries over `nodes` nodes, offsets zeroed.
std::shared_ptr<Csr> NewCsr(uint64_t nodes, uint64_t entries, const WriteCtx& ctx) {
  auto csr = std::make_shared<Csr>();
  csr->nodes = nodes;
  csr->entries = entries;
  auto alloc = [&](size_t bytes) {
    BlockPtr b = Block::Allocate(ctx.arena, std::max<size_t>(bytes, 8), ctx.txn);
    csr->blocks.push_back(b);
    return b->mutable_data();
  };
  auto* offsets = reinterpret_cast<uint64_t*>(alloc((nodes + 1) * 8));
  std::memset(offsets, 0, (nodes + 1) * 8);
  csr->offsets = offsets;
  csr->nbr = reinterpret_cast<uint32_t*>(alloc(entries * 4));
  csr->edge = reinterpret_cast<uint32_t*>(alloc(entries * 4));
  csr->type = reinterpret_cast<uint32_t*>(alloc(entries * 4));
  return csr;
}

// Writes the live edges of slots [lo, hi) to the lists of their key
// endpoints, each at cursor[key]++ (so in slot order within a list).
//
// Counting sort: a direct scatter writes each entry to a random place in three
// large arrays, one cache miss each. For large inputs the scatter goes in two
// steps (a one-pass radix partition, as in Satish et al., "Fast sort on CPUs
// and GPUs", SIGMOD 2010): edges are first split into up to 256 buckets of
// consecutive key ranges, written as sequential streams, and each bucket is
// then scattered into its slice of the output, which stays in cache.
void Scatter(const SideView& view, uint64_t lo, uint64_t hi, uint64_t nodes, Csr& csr,
             std::vector<uint64_t>& cursor) {
  auto* nbr = const_cast<uint32_t*>(csr.nbr);
  auto* edge = const_cast<uint32_t*>(csr.edge);
  auto* type = const_cast<uint32_t*>(csr.type);
  auto place = [&](const Entry& e) {
    const uint64_t at = cursor[e.key]++;
    nbr[at] = e.other;
    edge[at] = e.edge;
    type[at] = e.type;
  };
  if (hi - lo < kDirectScatterEdges) {
    view.ForEachRun(
        lo, hi,
        [&](const uint32_t* t, const uint32_t* k, const uint32_t* o, uint64_t first, uint64_t n) {
          for (uint64_t i = 0; i < n; ++i) {
            if (t[i] != kFreeSlot) place({k[i], o[i], static_cast<uint32_t>(first + i), t[i]});
          }
        });
    return;
  }
  int shift = 0;
  while ((nodes >> shift) >= (uint64_t{1} << kMaxBucketBits)) ++shift;
  const size_t buckets = (nodes >> shift) + 1;
  std::vector<Entry> staged(std::min(hi - lo, kPartitionBatch));
  std::vector<uint64_t> fill(buckets + 1);
  for (uint64_t at = lo; at < hi; at += kPartitionBatch) {
    const uint64_t end = std::min(hi, at + kPartitionBatch);
    std::fill(fill.begin(), fill.end(), 0);
    view.ForEachRun(
        at, end, [&](const uint32_t* t, const uint32_t* k, const uint32_t*, uint64_t, uint64_t n) {
          for (uint64_t i = 0; i < n; ++i) {
            if (t[i] != kFreeSlot) ++fill[(k[i] >> shift) + 1];
          }
        });
    for (size_t b = 0; b < buckets; ++b) fill[b + 1] += fill[b];
    const uint64_t staged_end = fill[buckets];
    view.ForEachRun(
        at, end,
        [&](const uint32_t* t, const uint32_t* k, const uint32_t* o, uint64_t first, uint64_t n) {
          for (uint64_t i = 0; i < n; ++i) {
            if (t[i] == kFreeSlot) continue;
            staged[fill[k[i] >> shift]++] = {k[i], o[i], static_cast<uint32_t>(first + i), t[i]};
          }
        });
    // Entries are grouped by bucket and in slot order within each.
    for (uint64_t i = 0; i < staged_end; ++i) place(staged[i]);
  }
}

}  // namespace

std::shared_ptr<const Csr> Adjacency::BuildBase(const EdgeTable& edges, uint64_t nodes, Side side,
                                                const WriteCtx& ctx) {
  const SideView view(edges, side);
  std::shared_ptr<Csr> csr = NewCsr(nodes, edges.live, ctx);
  auto* offsets = const_cast<uint64_t*>(csr->offsets);
  view.Count(0, edges.slots(), offsets);
  for (uint64_t v = 0; v < nodes; ++v) offsets[v + 1] += offsets[v];
  std::vector<uint64_t> cursor(offsets, offsets + nodes);
  Scatter(view, 0, edges.slots(), nodes, *csr, cursor);
  return csr;
}

std::shared_ptr<const Csr> Adjacency::ExtendBase(const Csr& old, const EdgeTable& edges,
                                                 uint64_t first, uint64_t nodes, Side side,
                                                 const WriteCtx& ctx) {
  const SideView view(edges, side);
  std::shared_ptr<Csr> csr = NewCsr(nodes, edges.live, ctx);
  auto* offsets = const_cast<uint64_t*>(csr->offsets);
  view.Count(first, edges.slots(), offsets);
  auto old_degree = [&](uint64_t v) {
    return v < old.nodes ? old.offsets[v + 1] - old.offsets[v] : 0;
  };
  for (uint64_t v = 0; v < nodes; ++v) offsets[v + 1] += offsets[v] + old_degree(v);
  // Each list: its old entries as they were, then the new ones.
  std::vector<uint64_t> cursor(nodes);
  auto* nbr = const_cast<uint32_t*>(csr->nbr);
  auto* edge = const_cast<uint32_t*>(csr->edge);
  auto* type = const_cast<uint32_t*>(csr->type);
  for (uint64_t v = 0; v < nodes; ++v) {
    const uint64_t d = old_degree(v);
    if (d > 0) {
      const uint64_t from = old.offsets[v];
      std::memcpy(nbr + offsets[v], old.nbr + from, d * 4);
      std::memcpy(edge + offsets[v], old.edge + from, d * 4);
      std::memcpy(type + offsets[v], old.type + from, d * 4);
    }
    cursor[v] = offsets[v] + d;
  }
  Scatter(view, first, edges.slots(), nodes, *csr, cursor);
  return csr;
}

namespace {

// Runs build(side) for both sides and installs the results as fresh bases.
// The two are independent scatters bound by memory latency: with a second
// thread each gets its own core.
template <typename Build>
void BuildBoth(uint64_t edges, Adjacency& out, Adjacency& in, const WriteCtx& ctx, Build&& build) {
  std::shared_ptr<const Csr> in_base, out_base;
  if (ctx.threads > 1 && edges >= kParallelRebuildEdges) {
    std::exception_ptr failed;
    std::thread t([&] {
      try {
        in_base = build(Side::kIn);
      } catch (...) {
        failed = std::current_exception();
      }
    });
    try {
      out_base = build(Side::kOut);
    } catch (...) {
      t.join();
      throw;
    }
    t.join();
    if (failed) std::rethrow_exception(failed);
  } else {
    out_base = build(Side::kOut);
    in_base = build(Side::kIn);
  }
  out = Adjacency();
  out.base = std::move(out_base);
  in = Adjacency();
  in.base = std::move(in_base);
  out.owner = in.owner = ctx.txn;
}

}  // namespace

void BuildAdjacency(const EdgeTable& edges, uint64_t nodes, Adjacency& out, Adjacency& in,
                    const WriteCtx& ctx) {
  BuildBoth(edges.live, out, in, ctx,
            [&](Side side) { return Adjacency::BuildBase(edges, nodes, side, ctx); });
}

bool CanExtendAdjacency(const EdgeTable& edges, uint64_t first, const Adjacency& out,
                        const Adjacency& in) {
  const uint64_t before = edges.live - (edges.slots() - first);
  return edges.pending_count == 0 && out.delta_entries == 0 && in.delta_entries == 0 &&
         out.base->entries == before && in.base->entries == before;
}

void ExtendAdjacency(const EdgeTable& edges, uint64_t first, uint64_t nodes, Adjacency& out,
                     Adjacency& in, const WriteCtx& ctx) {
  const std::shared_ptr<const Csr> old_out = out.base, old_in = in.base;
  BuildBoth(edges.live, out, in, ctx, [&](Side side) {
    const Csr& old = side == Side::kOut ? *old_out : *old_in;
    return Adjacency::ExtendBase(old, edges, first, nodes, side, ctx);
  });
}

void FreePendingSlots(EdgeTable& edges, const WriteCtx& ctx) {
  while (edges.pending_head != kNoRow) {
    const uint32_t slot = edges.pending_head;
    edges.pending_head = edges.row.Get(slot);
    edges.row.Set(slot, edges.free_head, ctx);
    edges.free_head = slot;
  }
  edges.free_count += edges.pending_count;
  edges.pending_count = 0;
  edges.added_since_rebuild = 0;
  edges.live_at_rebuild = edges.live;
}

}  // namespace nendb
