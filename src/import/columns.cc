// Implements columns.h: cell parsing with std::from_chars, type inference
// and conversion of raw cells to typed bulk columns.
#include "import/columns.h"

#include <charconv>
#include <utility>

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace nendb::csv_import {
namespace {

// Drops one leading '+' of a number (from_chars does not take it).
absl::string_view StripPlus(absl::string_view s) {
  if (s.size() > 1 && s[0] == '+' && s[1] != '-' && s[1] != '+') s.remove_prefix(1);
  return s;
}

}  // namespace

bool ParseInt64(absl::string_view s, int64_t* out) {
  s = StripPlus(s);
  if (s.empty()) return false;
  const auto r = std::from_chars(s.data(), s.data() + s.size(), *out);
  return r.ec == std::errc() && r.ptr == s.data() + s.size();
}

bool ParseFloat64(absl::string_view s, double* out) {
  s = StripPlus(s);
  if (s.empty()) return false;
  const auto r = std::from_chars(s.data(), s.data() + s.size(), *out);
  return r.ec == std::errc() && r.ptr == s.data() + s.size();
}

bool ParseBool(absl::string_view s, bool* out) {
  if (absl::EqualsIgnoreCase(s, "true")) {
    *out = true;
    return true;
  }
  if (absl::EqualsIgnoreCase(s, "false")) {
    *out = false;
    return true;
  }
  return false;
}

bool Parses(absl::string_view s, ValueType type) {
  int64_t i;
  double d;
  bool b;
  switch (type) {
    case ValueType::kInt64:
      return ParseInt64(s, &i);
    case ValueType::kFloat64:
      return ParseFloat64(s, &d);
    case ValueType::kBool:
      return ParseBool(s, &b);
    case ValueType::kString:
      return true;
    default:
      return false;
  }
}

std::string Quote(absl::string_view cell) {
  constexpr size_t kShown = 60;
  std::string out = absl::StrCat("\"", absl::CHexEscape(cell.substr(0, kShown)), "\"");
  if (cell.size() > kShown) absl::StrAppend(&out, "... (", cell.size(), " bytes)");
  return out;
}

std::string NotA(absl::string_view cell, ValueType type) {
  const char* article = type == ValueType::kInt64 ? "an " : "a ";
  return absl::StrCat(Quote(cell), " is not ", article, ValueTypeName(type));
}

void RawColumn::Filter(absl::Span<const uint8_t> keep) {
  std::string bytes;
  std::vector<uint64_t> offsets = {0};
  std::vector<uint8_t> valid;
  for (size_t i = 0; i < size(); ++i) {
    if (!keep[i]) continue;
    const absl::string_view s = at(i);
    bytes.append(s.data(), s.size());
    offsets.push_back(bytes.size());
    valid.push_back(valid_[i]);
  }
  bytes_ = std::move(bytes);
  offsets_ = std::move(offsets);
  valid_ = std::move(valid);
}

ValueType InferType(const RawColumn& column) {
  bool any = false, ints = true, floats = true, bools = true;
  int64_t i;
  double d;
  bool b;
  for (size_t r = 0; r < column.size(); ++r) {
    const absl::string_view s = column.at(r);
    if (s.empty()) continue;
    any = true;
    if (ints && !ParseInt64(s, &i)) ints = false;
    if (!ints && floats && !ParseFloat64(s, &d)) floats = false;
    if (bools && !ParseBool(s, &b)) bools = false;
    if (!ints && !floats && !bools) return ValueType::kString;
  }
  if (!any) return ValueType::kNull;
  if (ints) return ValueType::kInt64;
  if (floats) return ValueType::kFloat64;
  return bools ? ValueType::kBool : ValueType::kString;
}

TypedColumn TypedColumn::Convert(std::string name, ValueType type, RawColumn raw) {
  TypedColumn c;
  c.name_ = std::move(name);
  c.type_ = type;
  const size_t n = raw.size();
  c.valid_.resize(n);
  switch (type) {
    case ValueType::kInt64:
      c.ints_.resize(n);
      break;
    case ValueType::kFloat64:
      c.floats_.resize(n);
      break;
    case ValueType::kBool:
      c.bools_.resize(n);
      break;
    default:
      break;
  }
  if (type == ValueType::kString) {
    c.bytes_ = std::move(raw.bytes_);
    c.offsets_ = std::move(raw.offsets_);
    c.valid_ = std::move(raw.valid_);
  } else {
    for (size_t r = 0; r < n; ++r) {
      const absl::string_view s = raw.at(r);
      if (s.empty()) continue;  // null
      bool ok = false, b = false;
      switch (type) {
        case ValueType::kInt64:
          ok = ParseInt64(s, &c.ints_[r]);
          break;
        case ValueType::kFloat64:
          ok = ParseFloat64(s, &c.floats_[r]);
          break;
        case ValueType::kBool:
          ok = ParseBool(s, &b);
          c.bools_[r] = b ? 1 : 0;
          break;
        default:
          break;
      }
      c.valid_[r] = ok ? 1 : 0;
    }
  }
  for (uint8_t v : c.valid_) c.all_valid_ &= v != 0;
  return c;
}

BulkColumn TypedColumn::Slice(size_t begin, size_t end) const {
  const size_t n = end - begin;
  BulkColumn b;
  switch (type_) {
    case ValueType::kInt64:
      b = BulkColumn::Int64(name_, absl::MakeConstSpan(ints_).subspan(begin, n));
      break;
    case ValueType::kFloat64:
      b = BulkColumn::Float64(name_, absl::MakeConstSpan(floats_).subspan(begin, n));
      break;
    case ValueType::kBool:
      b = BulkColumn::Bool(name_, absl::MakeConstSpan(bools_).subspan(begin, n));
      break;
    default:
      b = BulkColumn::String(
          name_, StringColumn{absl::MakeConstSpan(offsets_).subspan(begin, n + 1), bytes_});
      break;
  }
  if (!all_valid_) b.valid = absl::MakeConstSpan(valid_).subspan(begin, n);
  return b;
}

TypedColumn TypedColumn::Gather(absl::Span<const uint32_t> rows) const {
  TypedColumn c;
  c.name_ = name_;
  c.type_ = type_;
  c.valid_.reserve(rows.size());
  for (uint32_t r : rows) {
    c.valid_.push_back(valid_[r]);
    c.all_valid_ &= valid_[r] != 0;
  }
  switch (type_) {
    case ValueType::kInt64:
      for (uint32_t r : rows) c.ints_.push_back(ints_[r]);
      break;
    case ValueType::kFloat64:
      for (uint32_t r : rows) c.floats_.push_back(floats_[r]);
      break;
    case ValueType::kBool:
      for (uint32_t r : rows) c.bools_.push_back(bools_[r]);
      break;
    default:
      c.offsets_.reserve(rows.size() + 1);
      c.offsets_.push_back(0);
      for (uint32_t r : rows) {
        c.bytes_.append(bytes_, offsets_[r], offsets_[r + 1] - offsets_[r]);
        c.offsets_.push_back(c.bytes_.size());
      }
      break;
  }
  return c;
}

}  // namespace nendb::csv_import
