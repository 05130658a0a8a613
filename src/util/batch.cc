// Implements the constructors of nendb/batch.h.
#include "nendb/batch.h"

namespace nendb {

BulkColumn BulkColumn::Int64(std::string name, absl::Span<const int64_t> v) {
  BulkColumn c;
  c.name = std::move(name);
  c.type = ValueType::kInt64;
  c.int64s = v;
  return c;
}

BulkColumn BulkColumn::Float64(std::string name, absl::Span<const double> v) {
  BulkColumn c;
  c.name = std::move(name);
  c.type = ValueType::kFloat64;
  c.float64s = v;
  return c;
}

BulkColumn BulkColumn::Bool(std::string name, absl::Span<const uint8_t> v) {
  BulkColumn c;
  c.name = std::move(name);
  c.type = ValueType::kBool;
  c.bools = v;
  return c;
}

BulkColumn BulkColumn::Vector(std::string name, absl::Span<const float> v, uint32_t dim) {
  BulkColumn c;
  c.name = std::move(name);
  c.type = ValueType::kVector;
  c.floats = v;
  c.dim = dim;
  return c;
}

BulkColumn BulkColumn::String(std::string name, StringColumn v) {
  BulkColumn c;
  c.name = std::move(name);
  c.type = ValueType::kString;
  c.strings = v;
  return c;
}

size_t BulkColumn::rows() const {
  switch (type) {
    case ValueType::kInt64:
      return int64s.size();
    case ValueType::kFloat64:
      return float64s.size();
    case ValueType::kBool:
      return bools.size();
    case ValueType::kVector:
      return dim == 0 ? 0 : floats.size() / dim;
    case ValueType::kString:
      return strings.size();
    case ValueType::kNull:
      break;
  }
  return 0;
}

}  // namespace nendb
