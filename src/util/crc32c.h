// CRC32C (Castagnoli), the checksum of every nendb file record and section,
// computed by Intel ISA-L (hardware-accelerated where the CPU allows).
#ifndef NENDB_UTIL_CRC32C_H_
#define NENDB_UTIL_CRC32C_H_

#include <cstddef>
#include <cstdint>

namespace nendb::crc32c {

// CRC32C of data, continuing from the CRC of preceding bytes (0 to start).
uint32_t Extend(uint32_t crc, const void* data, size_t n);
inline uint32_t Value(const void* data, size_t n) { return Extend(0, data, n); }

}  // namespace nendb::crc32c

#endif  // NENDB_UTIL_CRC32C_H_
