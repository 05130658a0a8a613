// Label schemas. A label may declare typed properties (optionally required);
// a strict label rejects properties that none of a node's labels declare.
// Undeclared properties of an open label take the type of their first value
// and keep it: storage is column-wise per label, and a wrong type is an error,
// never a coercion.
//
// Plain values; no ownership or thread-safety concerns.
#ifndef NENDB_SCHEMA_H_
#define NENDB_SCHEMA_H_

#include <cstdint>
#include <string>
#include <vector>

#include "nendb/types.h"

namespace nendb {

struct PropertySpec {
  std::string name;
  ValueType type = ValueType::kNull;
  uint32_t dim = 0;       // vector dimension, for ValueType::kVector only
  bool required = false;  // every node with the label must have a value
};

struct LabelSchema {
  std::vector<PropertySpec> properties;
  bool strict = false;
};

}  // namespace nendb

#endif  // NENDB_SCHEMA_H_
