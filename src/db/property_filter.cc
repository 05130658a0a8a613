#include "db/property_filter.h"

#include <cstring>

#include "absl/strings/str_cat.h"

namespace nendb {
namespace {

// The outcome of comparing a row's value with a condition's: less, equal,
// greater, or unordered (types that do not compare, or NaN).
enum class Order { kLess, kEqual, kGreater, kUnordered };

template <typename T>
Order Compare(T a, T b) {
  if (a < b) return Order::kLess;
  if (b < a) return Order::kGreater;
  return a == b ? Order::kEqual : Order::kUnordered;
}

bool Holds(Order o, CompareOp op) {
  switch (op) {
    case CompareOp::kEq:
      return o == Order::kEqual;
    case CompareOp::kNe:
      return o != Order::kEqual;
    case CompareOp::kLt:
      return o == Order::kLess;
    case CompareOp::kLe:
      return o == Order::kLess || o == Order::kEqual;
    case CompareOp::kGt:
      return o == Order::kGreater;
    case CompareOp::kGe:
      return o == Order::kGreater || o == Order::kEqual;
  }
  return false;
}

// The row's value (held: the column has one there) against the condition's.
Order CompareRow(const PropColumn& c, uint64_t row, const StringHeap& heap, const Value& value) {
  const std::byte* p = c.values.At(row);
  switch (c.type) {
    case ValueType::kInt64:
    case ValueType::kFloat64: {
      double x;
      int64_t i;
      if (c.type == ValueType::kInt64) {
        std::memcpy(&i, p, 8);
        if (value.type() == ValueType::kInt64) return Compare(i, value.int64());
        x = static_cast<double>(i);
      } else {
        std::memcpy(&x, p, 8);
      }
      if (value.type() == ValueType::kInt64) return Compare(x, double(value.int64()));
      if (value.type() == ValueType::kFloat64) return Compare(x, value.float64());
      return Order::kUnordered;
    }
    case ValueType::kBool:
      if (value.type() != ValueType::kBool) return Order::kUnordered;
      return Compare(int{*p != std::byte{0}}, int{value.boolean()});
    case ValueType::kString: {
      if (value.type() != ValueType::kString) return Order::kUnordered;
      StringRef ref;
      std::memcpy(&ref, p, sizeof(ref));
      const int cmp = heap.Get(ref).compare(value.string());
      return cmp < 0 ? Order::kLess : cmp > 0 ? Order::kGreater : Order::kEqual;
    }
    case ValueType::kVector:
    case ValueType::kNull:
      break;
  }
  return Order::kUnordered;
}

}  // namespace

absl::StatusOr<std::vector<ResolvedCondition>> ResolveConditions(
    const Version& v, const std::vector<PropertyCondition>& where) {
  std::vector<ResolvedCondition> out;
  for (const PropertyCondition& c : where) {
    const ValueType t = c.value.type();
    if (t == ValueType::kNull || t == ValueType::kVector) {
      return absl::InvalidArgumentError(absl::StrCat("the condition on '", c.property,
                                                     "' compares with ",
                                                     t == ValueType::kNull ? "null" : "a vector",
                                                     "; use an integer, float, boolean or string"));
    }
    out.push_back({v.catalog->property_names.Find(c.property), c.op, c.value});
  }
  return out;
}

void ApplyConditions(const Version& v, const PropTable& t,
                     const std::vector<ResolvedCondition>& conditions,
                     std::vector<uint64_t>* allowed) {
  for (const ResolvedCondition& cond : conditions) {
    const int c = cond.name ? t.FindColumn(*cond.name) : -1;
    if (c < 0) {
      std::fill(allowed->begin(), allowed->end(), 0);  // no node of the table has it
      return;
    }
    const PropColumn& col = t.columns[c];
    for (uint64_t w = 0; w < allowed->size(); ++w) {
      uint64_t& bits = (*allowed)[w];
      for (uint64_t rest = bits; rest != 0; rest &= rest - 1) {
        const uint32_t r = uint32_t(w * 64 + __builtin_ctzll(rest));
        if (!t.Has(col, r) || !Holds(CompareRow(col, r, *v.strings, cond.value), cond.op)) {
          bits &= ~(uint64_t{1} << (r & 63));
        }
      }
    }
  }
}

}  // namespace nendb
