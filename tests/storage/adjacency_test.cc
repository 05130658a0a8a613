#include "storage/adjacency.h"

#include <memory>
#include <random>
#include <vector>

#include "gtest/gtest.h"

namespace nendb {
namespace {

struct Listed {
  uint32_t nbr, edge, type;
  bool operator==(const Listed&) const = default;
};

class AdjacencyTest : public ::testing::Test {
 protected:
  WriteCtx Txn(int threads = 1) { return WriteCtx{next_++, arena_, threads}; }

  // m random edges over n nodes, every 7th slot freed (with endpoints far out
  // of range: nothing may index with a free slot's endpoints).
  EdgeTable RandomEdges(uint64_t n, uint64_t m, uint32_t seed) {
    EdgeTable t;
    WriteCtx ctx = Txn();
    std::mt19937 rng(seed);
    for (uint64_t i = 0; i < m; ++i) {
      const bool dead = i % 7 == 3;
      t.src.Append(dead ? 0xAB000000u + static_cast<uint32_t>(i) : rng() % n, ctx);
      t.dst.Append(dead ? 0xAB000000u : rng() % n, ctx);
      t.type.Append(dead ? kFreeSlot : rng() % 3, ctx);
      t.gen.Append(0, ctx);
      t.row.Append(kNoRow, ctx);
      t.weight.Append(1.0, ctx);
      t.live += !dead;
    }
    return t;
  }

  // The reference: each node's live edges in slot order.
  static std::vector<std::vector<Listed>> Expected(const EdgeTable& t, uint64_t n, Side side) {
    std::vector<std::vector<Listed>> lists(n);
    for (uint64_t s = 0; s < t.slots(); ++s) {
      if (t.type.Get(s) == kFreeSlot) continue;
      const uint32_t key = side == Side::kOut ? t.src.Get(s) : t.dst.Get(s);
      const uint32_t other = side == Side::kOut ? t.dst.Get(s) : t.src.Get(s);
      lists[key].push_back({other, static_cast<uint32_t>(s), t.type.Get(s)});
    }
    return lists;
  }

  static std::vector<std::vector<Listed>> Listing(const Adjacency& a, uint64_t n) {
    std::vector<std::vector<Listed>> lists(n);
    for (uint64_t v = 0; v < n; ++v) {
      a.ForEach(v, [&](uint32_t nbr, uint32_t edge, uint32_t type) {
        lists[v].push_back({nbr, edge, type});
      });
    }
    return lists;
  }

  std::shared_ptr<ChunkArena> arena_ = std::make_shared<ChunkArena>(1 << 20, 0);
  TxnId next_ = 1;
};

class BuildBaseTest : public AdjacencyTest, public ::testing::WithParamInterface<uint64_t> {};

// Sizes below and above the direct-scatter limit, and more edges than one
// partition batch holds, over node counts that make 1 to 256 buckets.
TEST_P(BuildBaseTest, BuildBaseListsEveryLiveEdgeInSlotOrder) {
  const uint64_t m = GetParam();
  for (uint64_t n : {uint64_t{1}, uint64_t{300}, uint64_t{70000}}) {
    SCOPED_TRACE(n);
    const EdgeTable t = RandomEdges(n, m, static_cast<uint32_t>(m + n));
    for (Side side : {Side::kOut, Side::kIn}) {
      Adjacency a;
      a.base = Adjacency::BuildBase(t, n, side, Txn());
      ASSERT_EQ(a.base->entries, t.live);
      ASSERT_EQ(a.base->offsets[n], t.live);
      EXPECT_TRUE(Listing(a, n) == Expected(t, n, side));
    }
  }
}

// A base extended by the slots appended after it lists what a base built
// afresh lists, also over nodes added since (with no old entries).
TEST_P(BuildBaseTest, ExtendingABaseMatchesBuildingAfresh) {
  const uint64_t m = GetParam();
  // The largest size adds nothing here: two thirds of it still fit one
  // partition batch, and BuildBase covers the scatter across batches.
  if (m > (uint64_t{1} << 20)) GTEST_SKIP();
  for (uint64_t n : {uint64_t{1}, uint64_t{300}, uint64_t{70000}}) {
    SCOPED_TRACE(n);
    const uint32_t seed = static_cast<uint32_t>(m + n);
    const EdgeTable before = RandomEdges(n, m / 3, seed);  // a prefix of `after`
    const EdgeTable after = RandomEdges(n, m, seed);
    for (int threads : {1, 2}) {
      Adjacency out, in;
      BuildAdjacency(before, n, out, in, Txn(threads));
      ExtendAdjacency(after, before.slots(), n + 3, out, in, Txn(threads));
      ASSERT_EQ(out.base->entries, after.live);
      EXPECT_TRUE(Listing(out, n + 3) == Expected(after, n + 3, Side::kOut));
      EXPECT_TRUE(Listing(in, n + 3) == Expected(after, n + 3, Side::kIn));
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Sizes, BuildBaseTest,
                         ::testing::Values(uint64_t{0}, uint64_t{1000}, kParallelRebuildEdges + 5,
                                           (uint64_t{1} << 22) + 1000));

TEST_F(AdjacencyTest, ParallelRebuildMatchesSerial) {
  const uint64_t n = 5000;
  for (int threads : {1, 2}) {
    SCOPED_TRACE(threads);
    EdgeTable t = RandomEdges(n, kParallelRebuildEdges + 100, 9);
    Adjacency out, in;
    BuildAdjacency(t, n, out, in, Txn(threads));
    EXPECT_TRUE(Listing(out, n) == Expected(t, n, Side::kOut));
    EXPECT_TRUE(Listing(in, n) == Expected(t, n, Side::kIn));
    EXPECT_EQ(out.delta_entries, 0u);
  }
}

// Only bases that list exactly the live edges before the appended slots may
// be extended: not with delta entries or deleted edges pending.
TEST_F(AdjacencyTest, ExtendingNeedsAnExactBase) {
  EdgeTable t;
  WriteCtx ctx = Txn();
  for (uint32_t i = 0; i < 10; ++i) {
    t.src.Append(i % 4, ctx);
    t.dst.Append((i + 1) % 4, ctx);
    t.type.Append(0, ctx);
    t.gen.Append(0, ctx);
    t.row.Append(kNoRow, ctx);
    t.weight.Append(1.0, ctx);
    ++t.live;
  }
  Adjacency out, in;
  out.base = Adjacency::BuildBase(t, 4, Side::kOut, ctx);
  in.base = Adjacency::BuildBase(t, 4, Side::kIn, ctx);
  EXPECT_TRUE(CanExtendAdjacency(t, 10, out, in));
  EXPECT_FALSE(CanExtendAdjacency(t, 6, out, in));  // it lists "appended" slots 6..9 already
  out.Append(0, 1, 10, 0, ctx);
  EXPECT_FALSE(CanExtendAdjacency(t, 10, out, in));  // a delta entry
  out.delta_entries = 0;
  t.pending_count = 1;
  EXPECT_FALSE(CanExtendAdjacency(t, 10, out, in));  // a deletion pending
}

}  // namespace
}  // namespace nendb
