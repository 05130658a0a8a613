// Stable 64-bit hashing (XXH3). Stable means the same bytes hash to the same
// value in every process and build, which persisted hash tables (the key
// index in snapshot files) rely on. For in-memory maps use absl::Hash.
#ifndef NENDB_UTIL_HASH_H_
#define NENDB_UTIL_HASH_H_

#include <cstddef>
#include <cstdint>

namespace nendb {

uint64_t StableHash(const void* data, size_t n, uint64_t seed);
uint64_t StableHashInt(uint64_t value, uint64_t seed);

}  // namespace nendb

#endif  // NENDB_UTIL_HASH_H_
