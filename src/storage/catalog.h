// Catalog: the names a database uses (labels, edge types, property names),
// interned to dense 32-bit ids, and the declared label schemas.
//
// Names are stored whole and compared exactly; ids are never reused. The
// catalog is small and copied whole by a write transaction that changes it.
// Not synchronized: shared between versions only as const.
#ifndef NENDB_STORAGE_CATALOG_H_
#define NENDB_STORAGE_CATALOG_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "nendb/types.h"
#include "storage/arena.h"

namespace nendb {

class Dictionary {
 public:
  std::optional<uint32_t> Find(absl::string_view name) const {
    auto it = ids_.find(name);
    if (it == ids_.end()) return std::nullopt;
    return it->second;
  }
  uint32_t Intern(absl::string_view name);
  const std::string& Name(uint32_t id) const { return names_[id]; }
  uint32_t size() const { return static_cast<uint32_t>(names_.size()); }
  const std::vector<std::string>& names() const { return names_; }

 private:
  std::vector<std::string> names_;
  absl::flat_hash_map<std::string, uint32_t> ids_;
};

// A declared property of a label schema.
struct DeclaredProperty {
  uint32_t name = 0;  // property-name id
  ValueType type = ValueType::kNull;
  uint32_t dim = 0;
  bool required = false;
};

struct DeclaredSchema {
  bool strict = false;
  std::vector<DeclaredProperty> properties;
  const DeclaredProperty* Find(uint32_t name) const {
    for (const auto& p : properties) {
      if (p.name == name) return &p;
    }
    return nullptr;
  }
};

// The limits of a vector index's parameters.
inline constexpr uint32_t kMinIndexM = 2;
inline constexpr uint32_t kMaxIndexM = 100;
inline constexpr uint32_t kMaxIndexEf = 10000;

// A vector index (nendb/vector_index.h) over the vectors of one property of
// the nodes whose properties one label's table holds.
struct VectorIndexDef {
  uint32_t label = 0;     // label id
  uint32_t property = 0;  // property-name id
  uint8_t metric = 0;     // nendb::VectorMetric
  uint32_t m = 0;
  uint32_t ef_construction = 0;
  uint8_t quantization = 0;  // nendb::VectorQuantization
};

// Files and the log store a vector index's metric and quantization in one
// byte: the metric in the low four bits (files before quantization hold
// just the metric).
inline uint8_t MetricByte(uint8_t metric, uint8_t quantization) {
  return static_cast<uint8_t>(metric | quantization << 4);
}

struct Catalog {
  TxnId owner = 0;
  Dictionary labels;
  Dictionary edge_types;
  Dictionary property_names;
  std::vector<DeclaredSchema> schemas;  // by label id
  // Version::vector_indexes holds their states, in the same order.
  std::vector<VectorIndexDef> vector_indexes;

  void Fork(TxnId txn) { owner = txn; }
};

// Checks a label, edge type or property name: 1 to kMaxNameBytes bytes of
// UTF-8 without control characters.
absl::Status ValidateName(absl::string_view what, absl::string_view name);

}  // namespace nendb

#endif  // NENDB_STORAGE_CATALOG_H_
