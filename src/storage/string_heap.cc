#include "storage/string_heap.h"

#include <cstring>

namespace nendb {

StringRef StringHeap::Add(absl::string_view s, const WriteCtx& ctx) {
  if (s.empty()) return MakeStringRef(0, 0);
  const uint64_t in_slot = size_ & (kHeapSlotBytes - 1);
  const bool tail_usable = in_slot != 0 && !slots_.empty() && !slots_.back().block->mapped() &&
                           in_slot + s.size() <= kHeapSlotBytes;
  if (!tail_usable) {
    // Start a new slot (or several, for a string larger than one).
    const uint64_t start = (size_ + kHeapSlotBytes - 1) & ~(kHeapSlotBytes - 1);
    const uint64_t nslots = (s.size() + kHeapSlotBytes - 1) >> kHeapSlotShift;
    BlockPtr block = Block::Allocate(ctx.arena, nslots * kHeapSlotBytes, ctx.txn);
    slots_.resize(start >> kHeapSlotShift);
    for (uint64_t i = 0; i < nslots; ++i) {
      slots_.push_back(Slot{block->data() + i * kHeapSlotBytes, block});
    }
    size_ = start;
  }
  // Bytes at or beyond size_ are invisible to every committed version, so the
  // tail block is written in place even when versions share it.
  const uint64_t off = size_;
  std::byte* dst =
      const_cast<std::byte*>(slots_[off >> kHeapSlotShift].base) + (off & (kHeapSlotBytes - 1));
  std::memcpy(dst, s.data(), s.size());
  size_ += s.size();
  return MakeStringRef(off, s.size());
}

StringHeap StringHeap::Mapped(const std::shared_ptr<const MappedFile>& file, const std::byte* data,
                              uint64_t bytes) {
  StringHeap h;
  h.size_ = bytes;
  for (uint64_t off = 0; off < bytes; off += kHeapSlotBytes) {
    const uint64_t n = std::min(kHeapSlotBytes, bytes - off);
    h.slots_.push_back(Slot{data + off, Block::Map(file, data + off, n)});
  }
  return h;
}

uint64_t StringHeap::TotalBytes() const {
  uint64_t total = 0;
  const Block* last = nullptr;
  for (const auto& s : slots_) {
    if (s.block.get() != last) total += s.block->size();
    last = s.block.get();
  }
  return total;
}

}  // namespace nendb
