// Basic vocabulary of nendb: node and edge identifiers, directions, value
// types, progress callbacks and the documented size limits.
//
// Plain values; no ownership or thread-safety concerns.
#ifndef NENDB_TYPES_H_
#define NENDB_TYPES_H_

#include <cstdint>
#include <functional>

#include "absl/strings/string_view.h"

namespace nendb {

// Reports how far a long call (an import, a checkpoint) has got, in bytes:
// done so far of about total. Returning false cancels the call, which then
// fails with Cancelled and changes nothing.
using ProgressFn = std::function<bool(uint64_t done, uint64_t total)>;

// Dense node identifier assigned by the database. It indexes every array an
// algorithm returns. The id of a deleted node may be given to a later node.
using NodeId = uint64_t;

// Opaque edge identifier: the low 32 bits are the edge's slot, the high 32
// bits the slot's generation, so an id kept after its edge was deleted is
// reported as not found even when the slot holds a newer edge.
using EdgeId = uint64_t;

inline constexpr NodeId kNoNode = ~uint64_t{0};
inline constexpr EdgeId kNoEdge = ~uint64_t{0};

// Limits. Exceeding one is an InvalidArgument or ResourceExhausted error.
inline constexpr uint64_t kMaxNodes = (uint64_t{1} << 32) - 2;
inline constexpr uint64_t kMaxEdges = (uint64_t{1} << 32) - 2;
inline constexpr size_t kMaxNameBytes = 255;  // labels, edge types, property names
inline constexpr size_t kMaxKeyBytes = 4096;  // string keys
inline constexpr size_t kMaxStringBytes = (size_t{1} << 24) - 1;  // string values
inline constexpr uint32_t kMaxVectorDim = 65536;                  // float32 vector properties
inline constexpr uint32_t kMaxLabels = 1u << 20;  // distinct labels / edge types / names

enum class Direction : uint8_t { kOut, kIn, kBoth };

// The type of a property value. kNull is the absence of a value.
enum class ValueType : uint8_t {
  kNull = 0,
  kInt64 = 1,
  kFloat64 = 2,
  kBool = 3,
  kString = 4,
  kVector = 5,  // fixed-dimension float32 vector (embeddings)
};

// "int64", "float64", "bool", "string", "vector", "null".
absl::string_view ValueTypeName(ValueType type);

}  // namespace nendb

#endif  // NENDB_TYPES_H_
