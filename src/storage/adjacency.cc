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

}  // namespace

// Counting sort by the key endpoint; entries of a node stay in slot order.
// A direct scatter writes each entry to a random place in three large arrays,
// one cache miss each. For large inputs the scatter goes in two steps (a
// one-pass radix partition, as in Satish et al., "Fast sort on CPUs and
// GPUs", SIGMOD 2010): edges are first split into up to 256 buckets of
// consecutive key ranges, written as sequential streams, and each bucket is
// then scattered into its slice of the output, which stays in cache.
std::shared_ptr<const Csr> Adjacency::BuildBase(const EdgeTable& edges, uint64_t nodes, Side side,
                                                const WriteCtx& ctx) {
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
  csr->offsets = offsets;
  csr->nbr = nbr;
  csr->edge = edge;
  csr->type = type;
  // The three u32 columns share one chunk layout, so a run of one is a run of
  // all: fn(types, keys, others, first slot, count).
  auto for_each_run = [&](uint64_t begin, uint64_t end, auto&& fn) {
    edges.type.raw().ForEachRun(begin, end, [&](const std::byte* t, uint64_t first, uint64_t n) {
      fn(reinterpret_cast<const uint32_t*>(t),
         reinterpret_cast<const uint32_t*>(key.raw().At(first)),
         reinterpret_cast<const uint32_t*>(other.raw().At(first)), first, n);
    });
  };
  const uint64_t slots = edges.slots();
  for_each_run(0, slots,
               [&](const uint32_t* t, const uint32_t* k, const uint32_t*, uint64_t, uint64_t n) {
                 // A free slot's endpoints mean nothing: never index with them.
                 for (uint64_t i = 0; i < n; ++i) {
                   if (t[i] != kFreeSlot) ++offsets[k[i] + 1];
                 }
               });
  for (uint64_t v = 0; v < nodes; ++v) offsets[v + 1] += offsets[v];
  std::vector<uint64_t> cursor(offsets, offsets + nodes);
  auto place = [&](const Entry& e) {
    const uint64_t at = cursor[e.key]++;
    nbr[at] = e.other;
    edge[at] = e.edge;
    type[at] = e.type;
  };
  if (csr->entries < kDirectScatterEdges) {
    for_each_run(
        0, slots,
        [&](const uint32_t* t, const uint32_t* k, const uint32_t* o, uint64_t first, uint64_t n) {
          for (uint64_t i = 0; i < n; ++i) {
            if (t[i] != kFreeSlot) place({k[i], o[i], static_cast<uint32_t>(first + i), t[i]});
          }
        });
    return csr;
  }
  int shift = 0;
  while ((nodes >> shift) >= (uint64_t{1} << kMaxBucketBits)) ++shift;
  const size_t buckets = (nodes >> shift) + 1;
  std::vector<Entry> staged(std::min(slots, kPartitionBatch));
  std::vector<uint64_t> fill(buckets + 1);
  for (uint64_t lo = 0; lo < slots; lo += kPartitionBatch) {
    const uint64_t hi = std::min(slots, lo + kPartitionBatch);
    std::fill(fill.begin(), fill.end(), 0);
    for_each_run(lo, hi,
                 [&](const uint32_t* t, const uint32_t* k, const uint32_t*, uint64_t, uint64_t n) {
                   for (uint64_t i = 0; i < n; ++i) {
                     if (t[i] != kFreeSlot) ++fill[(k[i] >> shift) + 1];
                   }
                 });
    for (size_t b = 0; b < buckets; ++b) fill[b + 1] += fill[b];
    const uint64_t staged_end = fill[buckets];
    for_each_run(
        lo, hi,
        [&](const uint32_t* t, const uint32_t* k, const uint32_t* o, uint64_t first, uint64_t n) {
          for (uint64_t i = 0; i < n; ++i) {
            if (t[i] == kFreeSlot) continue;
            staged[fill[k[i] >> shift]++] = {k[i], o[i], static_cast<uint32_t>(first + i), t[i]};
          }
        });
    // Entries are grouped by bucket and in slot order within each.
    for (uint64_t i = 0; i < staged_end; ++i) place(staged[i]);
  }
  return csr;
}

void BuildAdjacency(const EdgeTable& edges, uint64_t nodes, Adjacency& out, Adjacency& in,
                    const WriteCtx& ctx) {
  // The two sides are independent scatters bound by memory latency: with a
  // second thread each gets its own core.
  std::shared_ptr<const Csr> in_base;
  if (ctx.threads > 1 && edges.live >= kParallelRebuildEdges) {
    std::exception_ptr failed;
    std::thread t([&] {
      try {
        in_base = Adjacency::BuildBase(edges, nodes, Side::kIn, ctx);
      } catch (...) {
        failed = std::current_exception();
      }
    });
    std::shared_ptr<const Csr> out_base;
    try {
      out_base = Adjacency::BuildBase(edges, nodes, Side::kOut, ctx);
    } catch (...) {
      t.join();
      throw;
    }
    t.join();
    if (failed) std::rethrow_exception(failed);
    out = Adjacency();
    out.base = std::move(out_base);
  } else {
    out = Adjacency();
    out.base = Adjacency::BuildBase(edges, nodes, Side::kOut, ctx);
    in_base = Adjacency::BuildBase(edges, nodes, Side::kIn, ctx);
  }
  in = Adjacency();
  in.base = std::move(in_base);
  out.owner = in.owner = ctx.txn;
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
