#include "util/utf8.h"

#include "gtest/gtest.h"

namespace nendb {
namespace {

TEST(Utf8Test, AcceptsWellFormedText) {
  for (const char* s : {"", "plain ascii text, long enough for the fast path", "h\xc3\xa9llo",
                        "\xe2\x82\xac", "\xf0\x9f\x98\x80", "\xef\xbf\xbf", "\xf4\x8f\xbf\xbf",
                        "\xed\x9f\xbf", "mixed \xe4\xb8\xad\xe6\x96\x87 and ascii"}) {
    EXPECT_TRUE(IsValidUtf8(s)) << s;
  }
}

TEST(Utf8Test, RefusesMalformedSequences) {
  for (const char* s : {"\x80", "\xbf", "\xc0\x80", "\xc1\xbf",      // stray and overlong
                        "\xe0\x80\x80", "\xe0\x9f\xbf",              // overlong 3-byte
                        "\xed\xa0\x80", "\xed\xbf\xbf",              // surrogates
                        "\xf0\x80\x80\x80", "\xf0\x8f\xbf\xbf",      // overlong 4-byte
                        "\xf4\x90\x80\x80", "\xf5\x80\x80\x80",      // above U+10FFFF
                        "\xff", "\xc3", "\xe2\x82", "\xf0\x9f\x98",  // cut short
                        "\xc3\x28", "ascii then bad \xe2\x28\xa1"}) {
    EXPECT_FALSE(IsValidUtf8(s)) << testing::PrintToString(std::string(s));
  }
}

}  // namespace
}  // namespace nendb
