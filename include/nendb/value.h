// Value: one property value (int64, float64, bool, string, float32 vector or
// null). Key: the optional per-label unique key of a node (int64 or string).
//
// Both are self-contained values that own their data; copy them freely. Not
// synchronized: share a const Value between threads, not a mutable one.
#ifndef NENDB_VALUE_H_
#define NENDB_VALUE_H_

#include <cstdint>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "nendb/types.h"

namespace nendb {

class Value {
 public:
  Value() = default;  // null
  Value(int64_t v) : v_(v) {}
  Value(int v) : v_(int64_t{v}) {}
  Value(double v) : v_(v) {}
  Value(bool v) : v_(v) {}
  Value(std::string v) : v_(std::move(v)) {}
  Value(const char* v) : v_(std::string(v)) {}
  Value(absl::string_view v) : v_(std::string(v)) {}
  Value(std::vector<float> v) : v_(std::move(v)) {}

  static Value Null() { return Value(); }
  static Value Vector(absl::Span<const float> v) {
    return Value(std::vector<float>(v.begin(), v.end()));
  }

  ValueType type() const { return static_cast<ValueType>(v_.index()); }
  bool is_null() const { return type() == ValueType::kNull; }

  // Accessors; calling the wrong one is a programming error (asserts).
  int64_t int64() const { return std::get<int64_t>(v_); }
  double float64() const { return std::get<double>(v_); }
  bool boolean() const { return std::get<bool>(v_); }
  const std::string& string() const { return std::get<std::string>(v_); }
  absl::Span<const float> vector() const { return std::get<std::vector<float>>(v_); }

  // A readable rendering for messages and the CLI, e.g. 42, "bob", [1, 2].
  std::string DebugString() const;

  friend bool operator==(const Value& a, const Value& b) { return a.v_ == b.v_; }

 private:
  // The index of each alternative equals its ValueType.
  std::variant<std::monostate, int64_t, double, bool, std::string, std::vector<float>> v_;
};

using Property = std::pair<std::string, Value>;
using PropertyMap = std::vector<Property>;

// A node key: none, an int64 or a non-empty string of at most kMaxKeyBytes.
class Key {
 public:
  enum class Kind : uint8_t { kNone = 0, kInt = 1, kString = 2 };

  Key() = default;
  Key(int64_t v) : v_(v) {}
  Key(int v) : v_(int64_t{v}) {}
  Key(std::string v) : v_(std::move(v)) {}
  Key(const char* v) : v_(std::string(v)) {}
  Key(absl::string_view v) : v_(std::string(v)) {}

  Kind kind() const { return static_cast<Kind>(v_.index()); }
  bool empty() const { return kind() == Kind::kNone; }
  int64_t int64() const { return std::get<int64_t>(v_); }
  const std::string& string() const { return std::get<std::string>(v_); }
  std::string DebugString() const;

  friend bool operator==(const Key& a, const Key& b) { return a.v_ == b.v_; }

 private:
  std::variant<std::monostate, int64_t, std::string> v_;
};

}  // namespace nendb

#endif  // NENDB_VALUE_H_
