// ChunkArena: where every column chunk and large array of a database comes
// from. Slabs of Options::arena_slab_bytes are reserved from the OS and carved
// into 64 KiB chunks; freed chunks return their pages to the OS
// (MADV_DONTNEED) and are reused. Arrays larger than a chunk are mapped
// directly. The arena counts the bytes in use for stats().
//
// Block: one allocation from the arena (or a window into a mapped snapshot
// file), shared by the column versions that reference it and released when
// the last one lets go.
//
// Thread-safety: ChunkArena is thread-safe (blocks are freed by whichever
// thread drops the last version using them). A Block's bytes are written only
// by the write transaction that owns it (owner()), and only before that
// transaction commits; afterwards they are immutable.
#ifndef NENDB_STORAGE_ARENA_H_
#define NENDB_STORAGE_ARENA_H_

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "nendb/env.h"

namespace nendb {

inline constexpr size_t kChunkBytes = size_t{64} << 10;

class ChunkArena {
 public:
  // reserve_bytes: slabs to reserve up front (virtual memory; resident only
  // once written).
  ChunkArena(size_t slab_bytes, size_t reserve_bytes);
  ~ChunkArena();
  ChunkArena(const ChunkArena&) = delete;
  ChunkArena& operator=(const ChunkArena&) = delete;

  // Memory of `bytes`, zero-filled unless `zero` is false (for callers that
  // overwrite all of it): up to kChunkBytes is one chunk from a slab, larger
  // sizes are mapped on their own. Free() with the same size. Throws
  // std::bad_alloc when the OS refuses.
  std::byte* Allocate(size_t bytes, bool zero = true);
  void Free(std::byte* p, size_t bytes);

  uint64_t bytes_in_use() const { return in_use_.load(std::memory_order_relaxed); }
  uint64_t bytes_reserved() const;

 private:
  void AddSlabLocked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  const size_t slab_bytes_;
  mutable absl::Mutex mu_;
  std::vector<std::pair<std::byte*, size_t>> slabs_ ABSL_GUARDED_BY(mu_);
  // Freed chunks: a few kept resident for quick reuse (they hold old bytes),
  // the rest returned to the OS (they read as zero).
  std::vector<std::byte*> warm_chunks_ ABSL_GUARDED_BY(mu_);
  std::vector<std::byte*> free_chunks_ ABSL_GUARDED_BY(mu_);
  std::atomic<uint64_t> in_use_{0};
};

// Identifies the write transaction allowed to modify a block or table in
// place. 0 is nobody: mapped data and frozen structures.
using TxnId = uint64_t;

class Block {
 public:
  static std::shared_ptr<Block> Allocate(const std::shared_ptr<ChunkArena>& arena, size_t bytes,
                                         TxnId owner, bool zero = true);
  // A window [data, data + bytes) of a mapped file; never writable.
  static std::shared_ptr<Block> Map(std::shared_ptr<const MappedFile> file, const std::byte* data,
                                    size_t bytes);
  ~Block();

  const std::byte* data() const { return data_; }
  std::byte* mutable_data() { return const_cast<std::byte*>(data_); }
  size_t size() const { return size_; }
  TxnId owner() const { return owner_; }
  bool mapped() const { return file_ != nullptr; }

  Block(const Block&) = delete;
  Block& operator=(const Block&) = delete;

 private:
  Block() = default;
  const std::byte* data_ = nullptr;
  size_t size_ = 0;
  TxnId owner_ = 0;
  std::shared_ptr<ChunkArena> arena_;
  std::shared_ptr<const MappedFile> file_;
};

using BlockPtr = std::shared_ptr<Block>;

// What a write transaction passes down to the structures it modifies.
struct WriteCtx {
  TxnId txn = 0;
  std::shared_ptr<ChunkArena> arena;
  // Threads a bulk step (an adjacency rebuild) may use.
  int threads = 1;
  // Edges are not listed in the adjacency as they are added; it is built
  // once before it is next read (a replay, which would otherwise grow the
  // per-node delta edge by edge).
  bool defer_adjacency = false;
};

}  // namespace nendb

#endif  // NENDB_STORAGE_ARENA_H_
