// Adjacency: the edges of every node in one direction (out or in).
//
// Two parts: a base in compressed sparse row form (offsets per node into
// parallel arrays of neighbour, edge slot and edge type), immutable and either
// built in memory or mapped from a snapshot; and a delta of edges added since
// the base was built, kept per node as a chain of 64-byte blocks in an
// append-only pool. Entries of deleted edges stay until the next rebuild;
// readers skip them by checking the edge table. Rebuild() turns the live
// edges of an edge table into a fresh base and an empty delta.
//
// Ownership and thread-safety: see Cow and Column. The base is shared by
// versions and never modified.
#ifndef NENDB_STORAGE_ADJACENCY_H_
#define NENDB_STORAGE_ADJACENCY_H_

#include <cstdint>
#include <memory>
#include <vector>

#include "storage/column.h"
#include "storage/edge_table.h"

namespace nendb {

inline constexpr uint64_t kNoOffsets[1] = {0};

struct Csr {
  uint64_t nodes = 0;  // may lag behind the node table: later nodes have no base entries
  uint64_t entries = 0;
  const uint64_t* offsets = kNoOffsets;  // nodes + 1
  const uint32_t* nbr = nullptr;
  const uint32_t* edge = nullptr;
  const uint32_t* type = nullptr;
  std::vector<BlockPtr> blocks;  // keep the arrays alive
};

inline constexpr uint32_t kDeltaPerBlock = 5;
struct DeltaBlock {
  uint32_t next;
  uint32_t nbr[kDeltaPerBlock];
  uint32_t edge[kDeltaPerBlock];
  uint32_t type[kDeltaPerBlock];
};
static_assert(sizeof(DeltaBlock) == 64);

enum class Side : uint8_t { kOut, kIn };

struct Adjacency {
  TxnId owner = 0;
  std::shared_ptr<const Csr> base = std::make_shared<const Csr>();
  Column<uint32_t> delta_count;  // by node
  Column<uint64_t> delta_ends;   // by node: head block | tail block << 32
  RawColumn pool{sizeof(DeltaBlock)};
  uint64_t delta_entries = 0;

  void Fork(TxnId txn) {
    owner = txn;
    delta_count.Fork();
    delta_ends.Fork();
    pool.Fork();
  }

  // Entries of node, dead ones included: fn(nbr, edge_slot, type).
  template <typename Fn>
  void ForEach(uint64_t node, Fn&& fn) const {
    if (node < base->nodes) {
      const uint64_t end = base->offsets[node + 1];
      for (uint64_t i = base->offsets[node]; i < end; ++i) {
        fn(base->nbr[i], base->edge[i], base->type[i]);
      }
    }
    if (node < delta_count.size()) {
      uint32_t left = delta_count.Get(node);
      uint32_t block = static_cast<uint32_t>(delta_ends.Get(node));
      while (left > 0) {
        const auto* b = reinterpret_cast<const DeltaBlock*>(pool.At(block));
        const uint32_t k = left < kDeltaPerBlock ? left : kDeltaPerBlock;
        for (uint32_t j = 0; j < k; ++j) fn(b->nbr[j], b->edge[j], b->type[j]);
        left -= k;
        block = b->next;
      }
    }
  }
  // Entries of node, dead ones included.
  uint64_t RawDegree(uint64_t node) const {
    uint64_t d = node < base->nodes ? base->offsets[node + 1] - base->offsets[node] : 0;
    return d + (node < delta_count.size() ? delta_count.Get(node) : 0);
  }

  void Append(uint32_t node, uint32_t nbr, uint32_t edge, uint32_t type, const WriteCtx& ctx);

  // A fresh base over node ids [0, nodes) from the live edges of `edges`.
  static std::shared_ptr<const Csr> BuildBase(const EdgeTable& edges, uint64_t nodes, Side side,
                                              const WriteCtx& ctx);
  // The same from `old`, a base listing exactly the live edges of slots
  // below `first`, and the edges of slots [first, slots()): old lists are
  // copied whole, so only the new edges are sorted.
  static std::shared_ptr<const Csr> ExtendBase(const Csr& old, const EdgeTable& edges,
                                               uint64_t first, uint64_t nodes, Side side,
                                               const WriteCtx& ctx);
};

// Builds both directions afresh from the live edges of the edge table. With
// ctx.threads > 1 and at least kParallelRebuildEdges edges, the directions
// are built concurrently.
inline constexpr uint64_t kParallelRebuildEdges = uint64_t{1} << 18;
void BuildAdjacency(const EdgeTable& edges, uint64_t nodes, Adjacency& out, Adjacency& in,
                    const WriteCtx& ctx);

// Whether ExtendAdjacency may follow a bulk append of the edge slots
// [first, slots()): the bases list every other live edge and nothing else
// (no delta entries, no deleted edges pending).
bool CanExtendAdjacency(const EdgeTable& edges, uint64_t first, const Adjacency& out,
                        const Adjacency& in);
// BuildAdjacency's result at the cost of sorting only the appended edges.
void ExtendAdjacency(const EdgeTable& edges, uint64_t first, uint64_t nodes, Adjacency& out,
                     Adjacency& in, const WriteCtx& ctx);

// Makes the pending slots (deleted edges an adjacency built before may still
// list) reusable and starts the counts of the compaction policy afresh. Only
// right after BuildAdjacency, or when nothing reads the adjacency before its
// next BuildAdjacency (Version::adjacency_stale).
void FreePendingSlots(EdgeTable& edges, const WriteCtx& ctx);

}  // namespace nendb

#endif  // NENDB_STORAGE_ADJACENCY_H_
