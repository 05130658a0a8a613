// The meta section of a snapshot: everything that is not a column (names,
// schemas, counts, free-list heads, table shapes), encoded as little-endian
// fixed-width integers and length-prefixed strings. Small; decoded at open
// with every read bounds-checked.
#ifndef NENDB_SNAPSHOT_META_H_
#define NENDB_SNAPSHOT_META_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "storage/catalog.h"

namespace nendb::snapshot {

struct TableMeta {
  uint32_t id = 0;  // label or edge type
  uint64_t rows = 0;
  uint64_t live = 0;
  uint32_t free_head = 0;
  struct Column {
    uint32_t name = 0;
    uint8_t type = 0;
    uint32_t dim = 0;
  };
  std::vector<Column> columns;
};

struct Meta {
  Catalog catalog;
  uint64_t node_slots = 0, node_live = 0, node_free_count = 0;
  uint32_t node_free_head = 0;
  uint64_t edge_slots = 0, edge_live = 0, edge_free_count = 0;
  uint32_t edge_free_head = 0;
  std::vector<uint64_t> label_counts;
  std::vector<uint64_t> type_counts;  // live edges per edge type
  uint64_t key_capacity = 0, key_live = 0, key_tombstones = 0;
  uint64_t string_bytes = 0;
  uint64_t adj_entries = 0;  // per direction
  std::vector<TableMeta> node_tables;
  std::vector<TableMeta> edge_tables;
};

std::string EncodeMeta(const Meta& meta);
// False if the bytes are not a well-formed meta section.
bool DecodeMeta(absl::string_view bytes, Meta* meta);

}  // namespace nendb::snapshot

#endif  // NENDB_SNAPSHOT_META_H_
