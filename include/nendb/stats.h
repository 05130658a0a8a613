// DatabaseStats: counts and memory figures of a database at one moment.
//
// A plain value.
#ifndef NENDB_STATS_H_
#define NENDB_STATS_H_

#include <cstdint>
#include <string>

namespace nendb {

struct DatabaseStats {
  std::string path;
  uint64_t sequence = 0;  // last committed transaction
  uint64_t snapshot_generation = 0;
  uint64_t num_nodes = 0;
  uint64_t num_edges = 0;
  uint64_t node_id_bound = 0;
  uint64_t edge_slots = 0;  // live + reusable edge slots
  uint64_t num_labels = 0;
  uint64_t num_edge_types = 0;

  // Memory: chunks the process allocated (heap) and bytes of mapped snapshot
  // files; resident = both, the figure to divide by nodes and edges.
  uint64_t heap_bytes = 0;
  uint64_t mapped_bytes = 0;
  uint64_t resident_bytes = 0;
  uint64_t string_bytes = 0;  // strings (keys and values), live or not
  uint64_t snapshot_file_bytes = 0;
  uint64_t log_bytes = 0;     // write-ahead log since that snapshot
  uint32_t processes = 1;     // processes with the database open, this one included
  double bytes_per_node = 0;  // node table, keys, labels, node properties
  double bytes_per_edge = 0;  // edge table, adjacency, edge properties
};

}  // namespace nendb

#endif  // NENDB_STATS_H_
