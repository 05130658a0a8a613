#include "storage/column.h"

#include <algorithm>
#include <bit>

#include "nendb/types.h"

namespace nendb {
namespace {

// Large enough for the biggest chunk: one maximal vector element.
constexpr size_t kZeroBytes = std::max<size_t>(kChunkBytes, size_t{kMaxVectorDim} * 4);
alignas(64) const std::byte kZeros[kZeroBytes] = {};

uint32_t ShiftFor(uint32_t elem_size) {
  if (elem_size >= kChunkBytes) return 0;
  return static_cast<uint32_t>(std::bit_width(kChunkBytes / elem_size) - 1);
}

}  // namespace

RawColumn::RawColumn(uint32_t elem_size)
    : elem_size_(elem_size), shift_(ShiftFor(elem_size)), row_mask_((uint64_t{1} << shift_) - 1) {}

const std::shared_ptr<RawColumn::Page>& RawColumn::ZeroPage() {
  static const std::shared_ptr<Page> page = [] {
    auto p = std::make_shared<Page>();
    p->data.fill(kZeros);
    return p;
  }();
  return page;
}

std::shared_ptr<RawColumn::Page> RawColumn::ClonePage(const Page& page, TxnId owner) {
  auto p = std::make_shared<Page>(page);
  p->owner = owner;
  return p;
}

uint64_t RawColumn::RunEnd(uint64_t row) const { return std::min(size_, (row | row_mask_) + 1); }

std::byte* RawColumn::Mutable(uint64_t row, const WriteCtx& ctx) {
  Page& page = *pages_[row >> (shift_ + kPageShift)];
  const uint32_t c = (row >> shift_) & (kChunksPerPage - 1);
  const Block* b = page.blocks[c].get();
  // In place: our own chunk, or a row no committed version can see yet.
  if (b != nullptr && (b->owner() == ctx.txn || (row >= stable_ && !b->mapped()))) {
    return const_cast<std::byte*>(page.data[c]) + (row & row_mask_) * elem_size_;
  }
  return MutableSlow(row, ctx);
}

std::byte* RawColumn::MutableInvisible(uint64_t row, const WriteCtx& ctx) {
  const Page& page = *pages_[row >> (shift_ + kPageShift)];
  const uint32_t c = (row >> shift_) & (kChunksPerPage - 1);
  const Block* b = page.blocks[c].get();
  if (b != nullptr && !b->mapped()) {
    return const_cast<std::byte*>(page.data[c]) + (row & row_mask_) * elem_size_;
  }
  return Mutable(row, ctx);
}

std::byte* RawColumn::MutableSlow(uint64_t row, const WriteCtx& ctx) {
  const uint64_t p = row >> (shift_ + kPageShift);
  const uint32_t c = (row >> shift_) & (kChunksPerPage - 1);
  // The page's pointer array may be written in place only if we own the page
  // or no committed version has any row in slot c.
  const bool fresh_slot = (row & ~row_mask_) >= stable_;
  if (pages_[p] == ZeroPage() || (pages_[p]->owner != ctx.txn && !fresh_slot)) {
    pages_[p] = ClonePage(*pages_[p], ctx.txn);
  }
  Page& page = *pages_[p];
  const Block* old = page.blocks[c].get();
  // A full copy overwrites every byte, so the fresh chunk need not be zeroed.
  const bool full_copy = old != nullptr && old->size() >= chunk_bytes();
  BlockPtr fresh = Block::Allocate(ctx.arena, chunk_bytes(), ctx.txn, !full_copy);
  if (old != nullptr) {
    std::memcpy(fresh->mutable_data(), old->data(), std::min(old->size(), chunk_bytes()));
  }
  page.data[c] = fresh->data();
  page.blocks[c] = std::move(fresh);
  return const_cast<std::byte*>(page.data[c]) + (row & row_mask_) * elem_size_;
}

std::byte* RawColumn::MutableRun(uint64_t row, const WriteCtx& ctx, uint64_t* run_end) {
  *run_end = RunEnd(row);
  return Mutable(row, ctx);
}

void RawColumn::WriteRange(uint64_t row, const void* src, uint64_t n, const WriteCtx& ctx) {
  const auto* p = static_cast<const std::byte*>(src);
  while (n > 0) {
    uint64_t end;
    std::byte* dst = MutableRun(row, ctx, &end);
    const uint64_t k = std::min(n, end - row);
    std::memcpy(dst, p, k * elem_size_);
    p += k * elem_size_;
    row += k;
    n -= k;
  }
}

void RawColumn::Resize(uint64_t rows, const WriteCtx& ctx) {
  if (rows <= size_) return;
  const uint64_t old = size_;
  const uint64_t pages_needed = ((rows - 1) >> (shift_ + kPageShift)) + 1;
  while (pages_.size() < pages_needed) pages_.push_back(ZeroPage());
  size_ = rows;
  // Rows beyond the old size may hold leftovers of a rolled-back transaction
  // (or, in a mapped tail chunk, the next section of the file): zero them.
  for (uint64_t row = old; row < rows;) {
    const Page& page = *pages_[row >> (shift_ + kPageShift)];
    const uint64_t end = RunEnd(row);
    if (page.blocks[(row >> shift_) & (kChunksPerPage - 1)] != nullptr) {
      std::memset(Mutable(row, ctx), 0, (end - row) * elem_size_);
    }
    row = end;
  }
}

RawColumn RawColumn::Mapped(uint32_t elem_size, const std::shared_ptr<const MappedFile>& file,
                            const std::byte* data, uint64_t rows) {
  RawColumn col(elem_size);
  col.size_ = rows;
  col.stable_ = rows;
  const uint64_t per_chunk = col.rows_per_chunk();
  const uint64_t chunks = (rows + per_chunk - 1) / per_chunk;
  for (uint64_t i = 0; i < chunks; ++i) {
    if (i % kChunksPerPage == 0) col.pages_.push_back(ClonePage(*ZeroPage(), 0));
    Page& page = *col.pages_.back();
    const uint64_t first = i * per_chunk;
    const uint64_t n = std::min(per_chunk, rows - first);
    const std::byte* p = data + first * elem_size;
    page.blocks[i % kChunksPerPage] = Block::Map(file, p, n * elem_size);
    page.data[i % kChunksPerPage] = p;
  }
  return col;
}

uint64_t RawColumn::TotalBytes() const {
  uint64_t total = 0;
  for (const auto& page : pages_) {
    for (const auto& b : page->blocks) {
      if (b != nullptr) total += b->size();
    }
  }
  return total;
}

void BitColumn::Set(uint64_t i, bool v, const WriteCtx& ctx) {
  uint64_t w = words_.Get(i >> 6);
  const uint64_t mask = uint64_t{1} << (i & 63);
  const uint64_t nw = v ? (w | mask) : (w & ~mask);
  if (nw != w) words_.Set(i >> 6, nw, ctx);
}

void BitColumn::Resize(uint64_t bits, const WriteCtx& ctx) {
  if (bits <= bits_) return;
  words_.Resize((bits + 63) / 64, ctx);
  bits_ = bits;
}

void BitColumn::Assign(uint64_t begin, uint64_t n, const uint8_t* flags, const WriteCtx& ctx) {
  uint64_t i = 0;
  while (i < n) {
    const uint64_t bit = begin + i;
    const uint64_t w = bit >> 6;
    const uint64_t off = bit & 63;
    const uint64_t take = std::min<uint64_t>(64 - off, n - i);
    uint64_t set = 0;
    for (uint64_t k = 0; k < take; ++k) {
      if (flags == nullptr || flags[i + k] != 0) set |= uint64_t{1} << (off + k);
    }
    const uint64_t mask = take == 64 ? ~uint64_t{0} : ((uint64_t{1} << take) - 1) << off;
    const uint64_t old = words_.Get(w);
    const uint64_t nw = (old & ~mask) | set;
    if (nw != old) words_.Set(w, nw, ctx);
    i += take;
  }
}

uint64_t BitColumn::Count() const {
  uint64_t n = 0;
  const uint64_t full = bits_ / 64;
  words_.raw().ForEachRun(0, full, [&](const std::byte* p, uint64_t, uint64_t count) {
    const auto* w = reinterpret_cast<const uint64_t*>(p);
    for (uint64_t k = 0; k < count; ++k) n += std::popcount(w[k]);
  });
  if (bits_ % 64) n += std::popcount(words_.Get(full) & ((uint64_t{1} << (bits_ % 64)) - 1));
  return n;
}

BitColumn BitColumn::FromWords(Column<uint64_t> words, uint64_t bits) {
  BitColumn b;
  b.words_ = std::move(words);
  b.bits_ = bits;
  return b;
}

}  // namespace nendb
