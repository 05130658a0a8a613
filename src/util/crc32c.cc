#include "util/crc32c.h"

#include <isa-l/crc.h>

#include <algorithm>
#include <climits>

namespace nendb::crc32c {

uint32_t Extend(uint32_t crc, const void* data, size_t n) {
  // ISA-L keeps the CRC register un-inverted between calls and takes an int
  // length, so invert around it and feed large buffers in pieces.
  uint32_t state = ~crc;
  auto* p = static_cast<unsigned char*>(const_cast<void*>(data));
  while (n > 0) {
    const size_t piece = std::min<size_t>(n, size_t{1} << 30);
    state = crc32_iscsi(p, static_cast<int>(piece), state);
    p += piece;
    n -= piece;
  }
  return ~state;
}

}  // namespace nendb::crc32c
