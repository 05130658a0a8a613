// EstimateMemory: the store's layout rules, applied to a shape.
#include "nendb/memory.h"

#include <bit>

#include "storage/arena.h"

namespace nendb {
namespace {

// Columns are carved into whole 64 KiB chunks.
uint64_t ColumnBytes(uint64_t rows, uint64_t elem) {
  const uint64_t bytes = rows * elem;
  return (bytes + kChunkBytes - 1) / kChunkBytes * kChunkBytes;
}

uint64_t BitBytes(uint64_t rows) { return ColumnBytes((rows + 63) / 64, 8); }

}  // namespace

MemoryEstimate EstimateMemory(const MemoryShape& s) {
  MemoryEstimate m;
  const uint64_t n = s.nodes, e = s.edges;
  // Node table: label, row, generation (4 bytes each), flags (1), key (8),
  // and one membership bit column for the label.
  m.node_bytes = 3 * ColumnBytes(n, 4) + ColumnBytes(n, 1) + ColumnBytes(n, 8) + BitBytes(n);
  // Edge table: source, target, type, generation, row (4 each), weight (8).
  m.edge_bytes = 5 * ColumnBytes(e, 4) + ColumnBytes(e, 8);
  // Out and in adjacency: offsets per node, neighbour/edge/type per edge.
  m.adjacency_bytes = 2 * (8 * (n + 1) + 12 * e);
  // Property tables: entity and used per row, then values and validity.
  const uint32_t node_cols =
      s.node_int_properties + s.node_string_properties + (s.embedding_dim > 0 ? 1 : 0);
  if (node_cols > 0) {
    m.property_bytes += ColumnBytes(n, 4) + BitBytes(n);
    m.property_bytes +=
        (s.node_int_properties + s.node_string_properties) * (ColumnBytes(n, 8) + BitBytes(n));
    if (s.embedding_dim > 0) {
      m.property_bytes += ColumnBytes(n, 4ull * s.embedding_dim) + BitBytes(n);
    }
  }
  if (s.edge_int_properties > 0) {
    m.property_bytes +=
        ColumnBytes(e, 4) + BitBytes(e) + s.edge_int_properties * (ColumnBytes(e, 8) + BitBytes(e));
  }
  // Key index: at most 70% full, doubled when it grows.
  if (s.keys && n > 0) m.index_bytes = 8 * std::max<uint64_t>(1024, std::bit_ceil(2 * n));
  double strings = s.node_string_properties * s.avg_string_bytes * n;
  if (s.keys && s.string_keys) strings += s.avg_key_bytes * n;
  // The heap grows by 1 MiB slots.
  m.string_bytes = (static_cast<uint64_t>(strings) + (1 << 20) - 1) >> 20 << 20;
  m.total_bytes = m.node_bytes + m.edge_bytes + m.adjacency_bytes + m.property_bytes +
                  m.index_bytes + m.string_bytes;
  return m;
}

}  // namespace nendb
