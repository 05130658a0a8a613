// StringHeap: append-only storage for every string a database holds (keys and
// string property values). A string is referenced by a StringRef packing its
// length (high 24 bits) and byte offset (low 40 bits). Strings are never
// changed or freed in place; a snapshot keeps only the strings still
// referenced.
//
// The heap is divided into 1 MiB slots; a string never straddles a slot
// boundary unless it is larger than a slot, in which case it gets one block
// spanning several slots.
//
// Ownership and thread-safety follow Column: copies share blocks; const
// methods are safe beside a write transaction appending to its own copy.
#ifndef NENDB_STORAGE_STRING_HEAP_H_
#define NENDB_STORAGE_STRING_HEAP_H_

#include <cstdint>
#include <memory>
#include <vector>

#include "absl/strings/string_view.h"
#include "storage/arena.h"

namespace nendb {

using StringRef = uint64_t;

inline constexpr uint32_t kHeapSlotShift = 20;
inline constexpr uint64_t kHeapSlotBytes = uint64_t{1} << kHeapSlotShift;

inline constexpr StringRef MakeStringRef(uint64_t offset, uint64_t length) {
  return (length << 40) | offset;
}
inline constexpr uint64_t StringRefOffset(StringRef r) { return r & ((uint64_t{1} << 40) - 1); }
inline constexpr uint64_t StringRefLength(StringRef r) { return r >> 40; }

class StringHeap {
 public:
  uint64_t size() const { return size_; }  // bytes, including padding
  // True if ref lies inside the heap (used to validate loaded files).
  bool Contains(StringRef ref) const {
    return StringRefOffset(ref) + StringRefLength(ref) <= size_;
  }
  absl::string_view Get(StringRef ref) const {
    if (StringRefLength(ref) == 0) return {};  // an empty heap has no slots
    const uint64_t off = StringRefOffset(ref);
    const Slot& s = slots_[off >> kHeapSlotShift];
    return absl::string_view(reinterpret_cast<const char*>(s.base) + (off & (kHeapSlotBytes - 1)),
                             StringRefLength(ref));
  }

  TxnId owner = 0;
  void Fork(TxnId txn) { owner = txn; }
  StringRef Add(absl::string_view s, const WriteCtx& ctx);

  // A heap over `bytes` bytes of a mapped file.
  static StringHeap Mapped(const std::shared_ptr<const MappedFile>& file, const std::byte* data,
                           uint64_t bytes);
  uint64_t TotalBytes() const;

 private:
  struct Slot {
    const std::byte* base = nullptr;  // address of the slot's first byte
    BlockPtr block;
  };
  std::vector<Slot> slots_;
  uint64_t size_ = 0;
};

}  // namespace nendb

#endif  // NENDB_STORAGE_STRING_HEAP_H_
