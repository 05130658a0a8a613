// The write-ahead log format (specified in docs/format/wal.md): a 64-byte file
// header, then 8-byte-aligned records of a 32-byte header and a payload. Each
// record's CRC32C is seeded with a salt made from the database id and the
// log's generation, so records of another database or an older log are
// rejected. Every record carries the log offset that was durable when it was
// written, which tells a torn tail (damage after the durable point: cut off)
// from damage to acknowledged data (a corruption error).
#ifndef NENDB_WAL_LOG_FORMAT_H_
#define NENDB_WAL_LOG_FORMAT_H_

#include <array>
#include <cstdint>

namespace nendb::wal {

inline constexpr char kMagic[8] = {'N', 'E', 'N', 'D', 'B', 'W', 'A', 'L'};
inline constexpr uint32_t kFormatVersion = 1;
inline constexpr uint32_t kFileHeaderBytes = 64;
inline constexpr uint32_t kRecordHeaderBytes = 32;
inline constexpr uint32_t kAlign = 8;
// Transactions larger than this are split over several data records.
inline constexpr uint32_t kMaxPayload = 1u << 20;

struct FileHeader {
  char magic[8];
  uint32_t format_version;
  uint32_t header_bytes;
  uint64_t generation;     // the snapshot generation this log follows
  uint64_t base_sequence;  // that snapshot's sequence; records start after it
  uint8_t database_id[16];
  uint64_t created_unix_micros;
  uint8_t reserved[4];
  uint32_t crc;  // CRC32C of bytes [0, 60)
};
static_assert(sizeof(FileHeader) == kFileHeaderBytes);

enum class RecordType : uint8_t {
  kData = 1,    // part of a transaction's operations
  kCommit = 2,  // the transaction is committed
  kAbort = 3,   // the transaction's earlier data records are void
};

struct RecordHeader {
  uint32_t crc;       // salted CRC32C of bytes [4, 32 + length)
  uint32_t length;    // payload bytes
  uint64_t sequence;  // the transaction's commit sequence number
  uint64_t durable;   // log offset known durable when this record was written
  uint8_t type;
  uint8_t zero[3];
  uint32_t reserved;
};
static_assert(sizeof(RecordHeader) == kRecordHeaderBytes);

// The commit record's payload.
struct CommitPayload {
  uint64_t data_records;
  uint64_t data_bytes;
};

inline constexpr uint64_t AlignUp(uint64_t n) { return (n + kAlign - 1) & ~uint64_t{kAlign - 1}; }

// The CRC seed of a log: CRC32C of the database id and the generation.
uint32_t Salt(const std::array<uint8_t, 16>& database_id, uint64_t generation);

}  // namespace nendb::wal

#endif  // NENDB_WAL_LOG_FORMAT_H_
