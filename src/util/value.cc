// Implements the printing helpers of nendb/value.h and nendb/types.h.
#include "nendb/value.h"

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace nendb {
namespace {

// A string for messages: escaped, and cut after 64 bytes.
std::string Quote(absl::string_view s) {
  constexpr size_t kShown = 64;
  if (s.size() <= kShown) return absl::StrCat("\"", absl::CHexEscape(s), "\"");
  return absl::StrCat("\"", absl::CHexEscape(s.substr(0, kShown)), "\"... (", s.size(), " bytes)");
}

}  // namespace

absl::string_view ValueTypeName(ValueType type) {
  switch (type) {
    case ValueType::kNull:
      return "null";
    case ValueType::kInt64:
      return "int64";
    case ValueType::kFloat64:
      return "float64";
    case ValueType::kBool:
      return "bool";
    case ValueType::kString:
      return "string";
    case ValueType::kVector:
      return "vector";
  }
  return "unknown";
}

std::string Value::DebugString() const {
  switch (type()) {
    case ValueType::kNull:
      return "null";
    case ValueType::kInt64:
      return absl::StrCat(int64());
    case ValueType::kFloat64:
      return absl::StrCat(float64());
    case ValueType::kBool:
      return boolean() ? "true" : "false";
    case ValueType::kString:
      return Quote(string());
    case ValueType::kVector: {
      auto v = vector();
      if (v.size() <= 8) return absl::StrCat("[", absl::StrJoin(v, ", "), "]");
      return absl::StrCat("[", absl::StrJoin(v.subspan(0, 8), ", "), ", ... (", v.size(),
                          " values)]");
    }
  }
  return "?";
}

std::string Key::DebugString() const {
  switch (kind()) {
    case Kind::kNone:
      return "(no key)";
    case Kind::kInt:
      return absl::StrCat(int64());
    case Kind::kString:
      return Quote(string());
  }
  return "?";
}

}  // namespace nendb
