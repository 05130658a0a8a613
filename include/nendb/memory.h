// EstimateMemory: how much memory a database of a given shape needs, from the
// same layout rules the store uses (chunked columns, adjacency, key index,
// string heap), so an application can size a machine before loading.
//
// Pure function; thread-safe.
#ifndef NENDB_MEMORY_H_
#define NENDB_MEMORY_H_

#include <cstdint>

namespace nendb {

struct MemoryShape {
  uint64_t nodes = 0;
  uint64_t edges = 0;
  uint32_t embedding_dim = 0;        // one float32 vector property per node, if > 0
  uint32_t node_int_properties = 0;  // int64/float64 columns per node
  uint32_t node_string_properties = 0;
  uint32_t edge_int_properties = 0;
  double avg_string_bytes = 16;
  bool string_keys = false;  // otherwise int keys (or none)
  bool keys = true;
  double avg_key_bytes = 12;
};

struct MemoryEstimate {
  uint64_t node_bytes = 0;       // node table and label membership
  uint64_t edge_bytes = 0;       // edge table
  uint64_t adjacency_bytes = 0;  // out- and in-adjacency
  uint64_t property_bytes = 0;   // property columns (including vectors)
  uint64_t index_bytes = 0;      // key index
  uint64_t string_bytes = 0;     // string heap
  uint64_t total_bytes = 0;
};

MemoryEstimate EstimateMemory(const MemoryShape& shape);

}  // namespace nendb

#endif  // NENDB_MEMORY_H_
