// UTF-8 validation for names, keys and string values.
#ifndef NENDB_UTIL_UTF8_H_
#define NENDB_UTIL_UTF8_H_

#include "absl/strings/string_view.h"

namespace nendb {

inline bool IsValidUtf8(absl::string_view s) {
  for (size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      ++i;
      continue;
    }
    const size_t n = (c & 0xE0) == 0xC0 ? 1 : (c & 0xF0) == 0xE0 ? 2 : (c & 0xF8) == 0xF0 ? 3 : 4;
    if (n == 4 || s.size() - i <= n) return false;
    for (size_t k = 1; k <= n; ++k) {
      if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return false;
    }
    i += n + 1;
  }
  return true;
}

}  // namespace nendb

#endif  // NENDB_UTIL_UTF8_H_
