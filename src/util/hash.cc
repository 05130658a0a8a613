#include "util/hash.h"

#include <xxhash.h>

namespace nendb {

uint64_t StableHash(const void* data, size_t n, uint64_t seed) {
  return XXH3_64bits_withSeed(data, n, seed);
}

uint64_t StableHashInt(uint64_t value, uint64_t seed) {
  // Hash the little-endian bytes so the result matches StableHash on them.
  unsigned char bytes[8];
  for (int i = 0; i < 8; ++i) bytes[i] = static_cast<unsigned char>(value >> (8 * i));
  return XXH3_64bits_withSeed(bytes, 8, seed);
}

}  // namespace nendb
