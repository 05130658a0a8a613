#include "storage/arena.h"

#include <sys/mman.h>

#include <cstring>
#include <new>

namespace nendb {
namespace {

std::byte* MapAnonymous(size_t bytes) {
  void* p = ::mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (p == MAP_FAILED) throw std::bad_alloc();
  return static_cast<std::byte*>(p);
}

size_t RoundToPage(size_t bytes) { return (bytes + 4095) & ~size_t{4095}; }

}  // namespace

ChunkArena::ChunkArena(size_t slab_bytes, size_t reserve_bytes)
    : slab_bytes_(std::max(kChunkBytes, slab_bytes / kChunkBytes * kChunkBytes)) {
  absl::MutexLock l(&mu_);
  for (size_t r = 0; r < reserve_bytes; r += slab_bytes_) AddSlabLocked();
}

ChunkArena::~ChunkArena() {
  absl::MutexLock l(&mu_);
  for (auto& [p, n] : slabs_) ::munmap(p, n);
}

void ChunkArena::AddSlabLocked() {
  std::byte* slab = MapAnonymous(slab_bytes_);
  slabs_.emplace_back(slab, slab_bytes_);
  // Hand out the slab front to back so touched memory stays dense.
  for (size_t off = slab_bytes_; off > 0; off -= kChunkBytes) {
    free_chunks_.push_back(slab + off - kChunkBytes);
  }
}

namespace {
// Up to this many freed chunks stay resident (4 MiB) so that transactions
// copying chunks do not fault fresh pages in every time.
constexpr size_t kWarmChunks = 64;
}  // namespace

std::byte* ChunkArena::Allocate(size_t bytes, bool zero) {
  if (bytes > kChunkBytes) {
    std::byte* p = MapAnonymous(RoundToPage(bytes));
    in_use_.fetch_add(RoundToPage(bytes), std::memory_order_relaxed);
    return p;
  }
  std::byte* p;
  bool dirty = false;
  {
    absl::MutexLock l(&mu_);
    if (!warm_chunks_.empty()) {
      p = warm_chunks_.back();
      warm_chunks_.pop_back();
      dirty = true;
    } else {
      if (free_chunks_.empty()) AddSlabLocked();
      p = free_chunks_.back();  // zero: fresh pages or pages dropped by Free()
      free_chunks_.pop_back();
    }
  }
  if (dirty && zero) std::memset(p, 0, kChunkBytes);
  in_use_.fetch_add(kChunkBytes, std::memory_order_relaxed);
  return p;
}

void ChunkArena::Free(std::byte* p, size_t bytes) {
  if (bytes > kChunkBytes) {
    ::munmap(p, RoundToPage(bytes));
    in_use_.fetch_sub(RoundToPage(bytes), std::memory_order_relaxed);
    return;
  }
  in_use_.fetch_sub(kChunkBytes, std::memory_order_relaxed);
  {
    absl::MutexLock l(&mu_);
    if (warm_chunks_.size() < kWarmChunks) {
      warm_chunks_.push_back(p);
      return;
    }
  }
  // Give the pages back; the next touch sees zeros.
  ::madvise(p, kChunkBytes, MADV_DONTNEED);
  absl::MutexLock l(&mu_);
  free_chunks_.push_back(p);
}

uint64_t ChunkArena::bytes_reserved() const {
  absl::MutexLock l(&mu_);
  return slabs_.size() * slab_bytes_;
}

std::shared_ptr<Block> Block::Allocate(const std::shared_ptr<ChunkArena>& arena, size_t bytes,
                                       TxnId owner, bool zero) {
  std::shared_ptr<Block> b(new Block());
  b->data_ = arena->Allocate(bytes, zero);
  b->size_ = bytes;
  b->owner_ = owner;
  b->arena_ = arena;
  return b;
}

std::shared_ptr<Block> Block::Map(std::shared_ptr<const MappedFile> file, const std::byte* data,
                                  size_t bytes) {
  std::shared_ptr<Block> b(new Block());
  b->data_ = data;
  b->size_ = bytes;
  b->file_ = std::move(file);
  return b;
}

Block::~Block() {
  if (arena_ != nullptr) arena_->Free(const_cast<std::byte*>(data_), size_);
}

}  // namespace nendb
