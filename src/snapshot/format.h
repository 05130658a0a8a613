// The snapshot file format (specified in docs/format/snapshot.md): a 4096-byte
// header, 64-byte-aligned sections each holding one column or array exactly
// as it is laid out in memory, a section table, and a 64-byte footer that
// locates the table. Every part carries a CRC32C. Little-endian.
#ifndef NENDB_SNAPSHOT_FORMAT_H_
#define NENDB_SNAPSHOT_FORMAT_H_

#include <bit>
#include <cstdint>

namespace nendb::snapshot {

static_assert(std::endian::native == std::endian::little, "snapshots are little-endian");

inline constexpr char kHeaderMagic[8] = {'N', 'E', 'N', 'D', 'B', 'S', 'N', 'P'};
inline constexpr char kFooterMagic[8] = {'N', 'E', 'N', 'D', 'B', 'E', 'N', 'D'};
inline constexpr uint32_t kFormatVersion = 1;
inline constexpr uint32_t kHeaderBytes = 4096;
inline constexpr uint32_t kFooterBytes = 64;
inline constexpr uint32_t kAlign = 64;

struct Header {
  char magic[8];
  uint32_t format_version;
  uint32_t header_bytes;
  uint64_t generation;
  uint64_t sequence;
  uint8_t database_id[16];
  uint64_t created_unix_micros;
  // The rest of the 4096 bytes is zero but for the CRC32C of bytes
  // [0, 4092) in the last four.
};
static_assert(sizeof(Header) == 56);

struct Footer {
  char magic[8];
  uint64_t table_offset;
  uint32_t section_count;
  uint32_t table_crc;
  uint64_t file_bytes;
  uint8_t reserved[28];
  uint32_t crc;  // of bytes [0, 60) of the footer
};
static_assert(sizeof(Footer) == kFooterBytes);

enum class SectionKind : uint32_t {
  kMeta = 1,  // catalog and table sizes, see meta.h
  kNodeLabel = 10,
  kNodeRow = 11,
  kNodeGen = 12,
  kNodeFlags = 13,
  kNodeKey = 14,
  kLabelMembers = 20,  // index: label id
  kEdgeSrc = 30,
  kEdgeDst = 31,
  kEdgeType = 32,
  kEdgeGen = 33,
  kEdgeRow = 34,
  kEdgeWeight = 35,
  kAdjOffsets = 40,  // index: 0 out, 1 in
  kAdjNbr = 41,
  kAdjEdge = 42,
  kAdjType = 43,
  kKeySlots = 50,
  kStrings = 60,
  kPropEntity = 70,  // index: label or edge type id; aux: 0 nodes, 1 edges
  kPropUsed = 71,
  kPropValues = 72,  // aux: (column index << 1) | edges
  kPropValid = 73,
  // Projection files (docs/format/graph.md).
  kGraphMeta = 100,
  kGraphOffsets = 101,  // index: 0 out, 1 in
  kGraphTargets = 102,  // index: 0 out, 1 in
  kGraphWeights = 103,  // the out-arcs'
  kGraphNodes = 104,    // NodeId per vertex
  // Vector index files (docs/format/index.md).
  kIndexMeta = 110,
  kIndexLevels = 111,   // int8 per slot, -1: not in the graph
  kIndexLinks0 = 112,   // 1 + 2M words per slot
  kIndexUpper = 113,    // 1 + M words per level above 0, slot by slot
  kIndexPending = 114,  // rows compared exactly
  kIndexQuantizer = 115,  // f32: the int8 ranges, lo then scale per dimension
};

struct SectionEntry {
  uint32_t kind;
  uint32_t index;
  uint32_t aux;
  uint32_t elem_size;
  uint64_t offset;
  uint64_t count;   // elements
  uint64_t length;  // bytes = count * elem_size
  uint32_t crc;
  uint32_t reserved;
};
static_assert(sizeof(SectionEntry) == 48);

}  // namespace nendb::snapshot

#endif  // NENDB_SNAPSHOT_FORMAT_H_
