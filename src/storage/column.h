// Column: a persistent array of fixed-size elements, the unit of all node,
// edge and property storage.
//
// Rows live in chunks of at most 64 KiB (a power-of-two number of rows),
// grouped 256 to a page. Versions of the database share chunks: a write
// transaction copies a chunk (and its page) the first time it changes a row
// that committed versions can see, and writes rows beyond every committed
// version's size in place, so an append never copies. Chunks that were never
// written read as zeros, and so do rows added by Resize().
//
// Ownership: a RawColumn value owns references to its pages and chunks;
// copying one is cheap (page pointers only) and yields a column sharing them.
// Thread-safety: const methods may run concurrently with each other and with
// a write transaction modifying a copy of the column. Mutating methods are for
// the single write transaction that owns the enclosing table (see Fork()).
#ifndef NENDB_STORAGE_COLUMN_H_
#define NENDB_STORAGE_COLUMN_H_

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>
#include <memory>
#include <vector>

#include "storage/arena.h"

namespace nendb {

inline constexpr uint32_t kPageShift = 8;
inline constexpr uint32_t kChunksPerPage = 1u << kPageShift;

class RawColumn {
 public:
  explicit RawColumn(uint32_t elem_size = 1);

  uint32_t elem_size() const { return elem_size_; }
  uint64_t size() const { return size_; }
  uint32_t chunk_shift() const { return shift_; }
  uint64_t rows_per_chunk() const { return uint64_t{1} << shift_; }
  size_t chunk_bytes() const { return rows_per_chunk() * elem_size_; }

  // Element `row` (< size()).
  const std::byte* At(uint64_t row) const {
    const Page& page = *pages_[row >> (shift_ + kPageShift)];
    return page.data[(row >> shift_) & (kChunksPerPage - 1)] + (row & row_mask_) * elem_size_;
  }
  // First row after `row` that is not contiguous with it in memory.
  uint64_t RunEnd(uint64_t row) const;

  // Makes this column the working copy of a new write transaction: rows below
  // the current size are visible to readers and copied before a change.
  void Fork() { stable_ = size_; }
  // A writable pointer to element `row` (< size()).
  std::byte* Mutable(uint64_t row, const WriteCtx& ctx);
  // Like Mutable(), for append-only structures whose caller writes only bytes
  // of the row that no committed version reads (past their counts): writes
  // in place unless the chunk is mapped.
  std::byte* MutableInvisible(uint64_t row, const WriteCtx& ctx);
  // Like Mutable(), also returning the first row not contiguous with it.
  std::byte* MutableRun(uint64_t row, const WriteCtx& ctx, uint64_t* run_end);
  // Grows to `rows` rows; the new rows read as zeros. Never shrinks.
  void Resize(uint64_t rows, const WriteCtx& ctx);
  // Copies n elements from src into rows [row, row + n) (< size()).
  void WriteRange(uint64_t row, const void* src, uint64_t n, const WriteCtx& ctx);
  // Appends one row and returns a writable pointer to it (contents zero).
  std::byte* Append(const WriteCtx& ctx) {
    Resize(size_ + 1, ctx);
    return Mutable(size_ - 1, ctx);
  }

  // A column over `rows` elements stored contiguously at `data` inside a
  // mapped file (64-byte aligned). The column keeps the mapping alive.
  static RawColumn Mapped(uint32_t elem_size, const std::shared_ptr<const MappedFile>& file,
                          const std::byte* data, uint64_t rows);

  // Calls fn(const std::byte* first, uint64_t row, uint64_t count) for each
  // contiguous run of rows in [begin, end).
  template <typename Fn>
  void ForEachRun(uint64_t begin, uint64_t end, Fn&& fn) const {
    while (begin < end) {
      uint64_t stop = std::min(end, RunEnd(begin));
      fn(At(begin), begin, stop - begin);
      begin = stop;
    }
  }

  // Bytes of the chunks this column references, mapped or not.
  uint64_t TotalBytes() const;

 private:
  struct Page {
    TxnId owner = 0;
    std::array<const std::byte*, kChunksPerPage> data;  // the zero buffer where no block
    std::array<BlockPtr, kChunksPerPage> blocks;
  };
  static const std::shared_ptr<Page>& ZeroPage();
  static std::shared_ptr<Page> ClonePage(const Page& page, TxnId owner);
  std::byte* MutableSlow(uint64_t row, const WriteCtx& ctx);

  uint32_t elem_size_;
  uint32_t shift_;
  uint64_t row_mask_;
  uint64_t size_ = 0;
  uint64_t stable_ = 0;
  std::vector<std::shared_ptr<Page>> pages_;
};

// A column of a trivially copyable type.
template <typename T>
class Column {
 public:
  Column() : raw_(sizeof(T)) {}
  explicit Column(RawColumn raw) : raw_(std::move(raw)) {}

  uint64_t size() const { return raw_.size(); }
  T Get(uint64_t row) const {
    T v;
    std::memcpy(&v, raw_.At(row), sizeof(T));
    return v;
  }
  void Set(uint64_t row, const T& v, const WriteCtx& ctx) {
    std::memcpy(raw_.Mutable(row, ctx), &v, sizeof(T));
  }
  uint64_t Append(const T& v, const WriteCtx& ctx) {
    std::memcpy(raw_.Append(ctx), &v, sizeof(T));
    return raw_.size() - 1;
  }
  void Resize(uint64_t rows, const WriteCtx& ctx) { raw_.Resize(rows, ctx); }
  // Sets rows [row, row + n) from values.
  void SetRange(uint64_t row, const T* values, uint64_t n, const WriteCtx& ctx) {
    raw_.WriteRange(row, values, n, ctx);
  }
  // Sets rows [row, row + n) to v.
  void Fill(uint64_t row, uint64_t n, const T& v, const WriteCtx& ctx) {
    while (n > 0) {
      uint64_t end;
      T* p = reinterpret_cast<T*>(raw_.MutableRun(row, ctx, &end));
      uint64_t k = std::min(n, end - row);
      std::fill(p, p + k, v);
      row += k;
      n -= k;
    }
  }
  void Fork() { raw_.Fork(); }
  const RawColumn& raw() const { return raw_; }
  RawColumn& raw() { return raw_; }

 private:
  RawColumn raw_;
};

// A column of bits (presence flags, label membership).
class BitColumn {
 public:
  uint64_t size() const { return bits_; }
  bool Get(uint64_t i) const { return (words_.Get(i >> 6) >> (i & 63)) & 1; }
  void Set(uint64_t i, bool v, const WriteCtx& ctx);
  void Resize(uint64_t bits, const WriteCtx& ctx);
  // Sets bits [begin, begin + n) (< size()) from flags (nonzero: set), or all
  // to 1 if flags is null.
  void Assign(uint64_t begin, uint64_t n, const uint8_t* flags, const WriteCtx& ctx);
  void Fork() { words_.Fork(); }
  // Number of set bits in [0, size()).
  uint64_t Count() const;
  const Column<uint64_t>& words() const { return words_; }
  // For snapshots: a bit column over mapped words.
  static BitColumn FromWords(Column<uint64_t> words, uint64_t bits);

 private:
  Column<uint64_t> words_;
  uint64_t bits_ = 0;
};

}  // namespace nendb

#endif  // NENDB_STORAGE_COLUMN_H_
