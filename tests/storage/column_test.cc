#include "storage/column.h"

#include <memory>

#include "gtest/gtest.h"
#include "storage/string_heap.h"

namespace nendb {
namespace {

class ColumnTest : public ::testing::Test {
 protected:
  WriteCtx Txn() { return WriteCtx{next_++, arena_}; }
  std::shared_ptr<ChunkArena> arena_ = std::make_shared<ChunkArena>(1 << 20, 0);
  TxnId next_ = 1;
};

TEST_F(ColumnTest, AppendAndReadAcrossChunks) {
  Column<uint64_t> c;
  WriteCtx t = Txn();
  const uint64_t n = 3 * (kChunkBytes / 8) + 17;  // several chunks
  for (uint64_t i = 0; i < n; ++i) c.Append(i * 3, t);
  ASSERT_EQ(c.size(), n);
  for (uint64_t i = 0; i < n; ++i) ASSERT_EQ(c.Get(i), i * 3) << i;
}

TEST_F(ColumnTest, NewRowsReadZero) {
  Column<uint32_t> c;
  WriteCtx t = Txn();
  c.Resize(100000, t);
  EXPECT_EQ(c.Get(0), 0u);
  EXPECT_EQ(c.Get(99999), 0u);
  c.Set(5, 7, t);
  EXPECT_EQ(c.Get(5), 7u);
}

TEST_F(ColumnTest, ForkedCopyDoesNotDisturbOriginal) {
  Column<uint32_t> base;
  WriteCtx t1 = Txn();
  for (uint32_t i = 0; i < 50000; ++i) base.Append(i, t1);
  // A second transaction works on a copy.
  Column<uint32_t> work = base;
  work.Fork();
  WriteCtx t2 = Txn();
  work.Set(10, 999, t2);
  work.Set(40000, 888, t2);
  for (uint32_t i = 0; i < 1000; ++i) work.Append(1000000 + i, t2);
  EXPECT_EQ(base.Get(10), 10u);
  EXPECT_EQ(base.Get(40000), 40000u);
  EXPECT_EQ(base.size(), 50000u);
  EXPECT_EQ(work.Get(10), 999u);
  EXPECT_EQ(work.Get(40000), 888u);
  EXPECT_EQ(work.Get(50999), 1000999u);
  // Writing again in the same transaction reuses its own chunk.
  work.Set(11, 5, t2);
  EXPECT_EQ(base.Get(11), 11u);
}

TEST_F(ColumnTest, RolledBackAppendsAreZeroedWhenRowsReappear) {
  Column<uint32_t> base;
  WriteCtx t1 = Txn();
  for (uint32_t i = 0; i < 10; ++i) base.Append(1, t1);
  {
    Column<uint32_t> aborted = base;
    aborted.Fork();
    WriteCtx t2 = Txn();
    for (uint32_t i = 0; i < 10; ++i) aborted.Append(77, t2);  // written in place, then dropped
  }
  Column<uint32_t> next = base;
  next.Fork();
  WriteCtx t3 = Txn();
  next.Resize(20, t3);
  for (uint64_t i = 10; i < 20; ++i) EXPECT_EQ(next.Get(i), 0u) << i;
  EXPECT_EQ(base.size(), 10u);
}

TEST_F(ColumnTest, FillAndSetRange) {
  Column<uint64_t> c;
  WriteCtx t = Txn();
  const uint64_t n = 40000;
  c.Resize(n, t);
  c.Fill(100, n - 200, 42, t);
  std::vector<uint64_t> v(20000);
  for (uint64_t i = 0; i < v.size(); ++i) v[i] = i;
  c.SetRange(10000, v.data(), v.size(), t);
  EXPECT_EQ(c.Get(99), 0u);
  EXPECT_EQ(c.Get(100), 42u);
  EXPECT_EQ(c.Get(10000), 0u);
  EXPECT_EQ(c.Get(29999), 19999u);
  EXPECT_EQ(c.Get(30000), 42u);
  EXPECT_EQ(c.Get(n - 101), 42u);
  EXPECT_EQ(c.Get(n - 100), 0u);
}

TEST_F(ColumnTest, LargeElementsGetOneChunkEach) {
  RawColumn c(4 * 100000);  // larger than a chunk
  WriteCtx t = Txn();
  c.Resize(3, t);
  auto* p = reinterpret_cast<float*>(c.Mutable(1, t));
  p[99999] = 1.5f;
  EXPECT_EQ(reinterpret_cast<const float*>(c.At(1))[99999], 1.5f);
  EXPECT_EQ(reinterpret_cast<const float*>(c.At(2))[0], 0.0f);
}

TEST_F(ColumnTest, BitColumnAssignAndCount) {
  BitColumn b;
  WriteCtx t = Txn();
  b.Resize(1000, t);
  std::vector<uint8_t> flags(300);
  for (size_t i = 0; i < flags.size(); ++i) flags[i] = i % 3 == 0;
  b.Assign(37, flags.size(), flags.data(), t);
  EXPECT_EQ(b.Count(), 100u);
  EXPECT_TRUE(b.Get(37));
  EXPECT_FALSE(b.Get(38));
  EXPECT_TRUE(b.Get(40));
  b.Assign(500, 200, nullptr, t);
  EXPECT_EQ(b.Count(), 300u);
  b.Set(37, false, t);
  EXPECT_EQ(b.Count(), 299u);
}

TEST_F(ColumnTest, EmptyStringsNeedNoHeap) {
  StringHeap h;
  WriteCtx t = Txn();
  const StringRef r = h.Add("", t);
  EXPECT_EQ(h.size(), 0u);
  EXPECT_TRUE(h.Get(r).empty());
}

TEST_F(ColumnTest, StringHeapSmallAndLargeStrings) {
  StringHeap h;
  WriteCtx t = Txn();
  std::vector<std::pair<StringRef, std::string>> kept;
  for (int i = 0; i < 2000; ++i) {
    std::string s(static_cast<size_t>(i * 37 % 1500), static_cast<char>('a' + i % 26));
    kept.emplace_back(h.Add(s, t), s);
  }
  std::string big(3u << 20, 'x');
  big[12345] = 'y';
  kept.emplace_back(h.Add(big, t), big);
  kept.emplace_back(h.Add("after", t), "after");
  for (const auto& [ref, s] : kept) {
    ASSERT_TRUE(h.Contains(ref));
    ASSERT_EQ(h.Get(ref), s);
  }
  // A copy keeps reading the same strings while the original grows.
  StringHeap copy = h;
  StringRef more = h.Add("more", t);
  EXPECT_FALSE(copy.Contains(more));
  EXPECT_EQ(copy.Get(kept[5].first), kept[5].second);
}

}  // namespace
}  // namespace nendb
