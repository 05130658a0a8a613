// ByteWriter / ByteReader: little-endian fixed-width integers, length-prefixed
// strings and 8-byte-aligned arrays, for the small binary encodings nendb
// defines itself (the snapshot meta section, logged operations). Every read
// is bounds-checked: a damaged input makes the reader fail, never overrun.
#ifndef NENDB_UTIL_BYTES_H_
#define NENDB_UTIL_BYTES_H_

#include <cstdint>
#include <cstring>
#include <string>
#include <type_traits>

#include "absl/strings/string_view.h"
#include "absl/types/span.h"

namespace nendb {

class ByteWriter {
 public:
  void U8(uint8_t v) { out_.push_back(static_cast<char>(v)); }
  void U32(uint32_t v) { Raw(&v, 4); }
  void U64(uint64_t v) { Raw(&v, 8); }
  void I64(int64_t v) { Raw(&v, 8); }
  void F64(double v) { Raw(&v, 8); }
  void Str(absl::string_view s) {
    U32(static_cast<uint32_t>(s.size()));
    Raw(s.data(), s.size());
  }
  // An array of trivially copyable values, 8-byte aligned from the start of
  // the output so a reader can view it in place.
  template <typename T>
  void Array(absl::Span<const T> v) {
    static_assert(std::is_trivially_copyable_v<T> && alignof(T) <= 8);
    U64(v.size());
    Align();
    Raw(v.data(), v.size() * sizeof(T));
    Align();
  }
  void Raw(const void* p, size_t n) { out_.append(static_cast<const char*>(p), n); }
  void Align() { out_.resize((out_.size() + 7) & ~size_t{7}, '\0'); }

  size_t size() const { return out_.size(); }
  const std::string& bytes() const { return out_; }
  void Clear() { out_.clear(); }
  std::string Take() { return std::move(out_); }

 private:
  std::string out_;
};

class ByteReader {
 public:
  // `in` should start 8-byte aligned for Array() to view in place.
  explicit ByteReader(absl::string_view in) : in_(in) {}
  bool ok() const { return ok_; }
  bool done() const { return pos_ == in_.size(); }

  uint8_t U8() { return Fixed<uint8_t>(); }
  uint32_t U32() { return Fixed<uint32_t>(); }
  uint64_t U64() { return Fixed<uint64_t>(); }
  int64_t I64() { return Fixed<int64_t>(); }
  double F64() { return Fixed<double>(); }
  absl::string_view Str() {
    const uint32_t n = U32();
    if (!ok_ || n > in_.size() - pos_) return Fail<absl::string_view>();
    absl::string_view s = in_.substr(pos_, n);
    pos_ += n;
    return s;
  }
  template <typename T>
  absl::Span<const T> Array() {
    const uint64_t n = U64();
    Align();
    if (!ok_ || n > (in_.size() - pos_) / sizeof(T)) return Fail<absl::Span<const T>>();
    const char* p = in_.data() + pos_;
    if (reinterpret_cast<uintptr_t>(p) % alignof(T) != 0) return Fail<absl::Span<const T>>();
    pos_ += n * sizeof(T);
    Align();
    return absl::Span<const T>(reinterpret_cast<const T*>(p), n);
  }
  // A count of items of at least `min_bytes` each, checked against what is
  // left so a damaged count cannot make the caller allocate wildly.
  uint64_t Count(size_t min_bytes) {
    const uint64_t n = U64();
    if (!ok_ || n > (in_.size() - pos_) / min_bytes) return Fail<uint64_t>();
    return n;
  }
  void Align() {
    const size_t to = (pos_ + 7) & ~size_t{7};
    if (to > in_.size()) {
      Fail<int>();
      return;
    }
    pos_ = to;
  }

 private:
  template <typename T>
  T Fail() {
    ok_ = false;
    pos_ = in_.size();
    return T();
  }
  template <typename T>
  T Fixed() {
    if (in_.size() - pos_ < sizeof(T)) return Fail<T>();
    T v;
    std::memcpy(&v, in_.data() + pos_, sizeof(T));
    pos_ += sizeof(T);
    return v;
  }
  absl::string_view in_;
  size_t pos_ = 0;
  bool ok_ = true;
};

}  // namespace nendb

#endif  // NENDB_UTIL_BYTES_H_
