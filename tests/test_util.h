// Helpers shared by the unit tests: scratch directories and status matchers.
#ifndef NENDB_TESTS_TEST_UTIL_H_
#define NENDB_TESTS_TEST_UTIL_H_

#include <cstdlib>
#include <filesystem>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "gtest/gtest.h"
#include "nendb/database.h"
#include "nendb/errors.h"

namespace nendb::testing {

// A fresh directory under $TMPDIR, removed when the object dies.
class ScratchDir {
 public:
  ScratchDir() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "nendb-test-XXXXXX").string();
    path_ = ::mkdtemp(tmpl.data());
  }
  ~ScratchDir() { std::filesystem::remove_all(path_); }
  const std::string& path() const { return path_; }
  std::string Sub(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

inline std::string StatusString(const absl::Status& s) { return s.ToString(); }

// Runs fn(WriteTransaction&) in a new write transaction and commits it if fn
// returns OK; returns fn's or Commit()'s status.
template <typename Fn>
absl::Status WriteTxn(Database& db, Fn&& fn) {
  auto tx = db.BeginWrite();
  if (!tx.ok()) return tx.status();
  absl::Status s = fn(**tx);
  if (!s.ok()) return s;
  return (*tx)->Commit();
}

inline std::unique_ptr<ReadTransaction> Read(const Database& db) {
  auto rx = db.BeginRead();
  EXPECT_TRUE(rx.ok()) << rx.status();
  return std::move(rx).value();
}

}  // namespace nendb::testing

#define NENDB_ASSERT_OK(expr)                                   \
  do {                                                          \
    const ::absl::Status _s = ::nendb::testing::ToStatus(expr); \
    ASSERT_TRUE(_s.ok()) << #expr << ": " << _s.ToString();     \
  } while (0)

#define NENDB_EXPECT_OK(expr)                                   \
  do {                                                          \
    const ::absl::Status _s = ::nendb::testing::ToStatus(expr); \
    EXPECT_TRUE(_s.ok()) << #expr << ": " << _s.ToString();     \
  } while (0)

// ASSERT_OK_AND_ASSIGN(auto x, Foo());
#define NENDB_ASSERT_OK_AND_ASSIGN(lhs, expr) \
  NENDB_ASSERT_OK_AND_ASSIGN_IMPL_(NENDB_TEST_CONCAT_(_sor_, __LINE__), lhs, expr)
#define NENDB_TEST_CONCAT_INNER_(a, b) a##b
#define NENDB_TEST_CONCAT_(a, b) NENDB_TEST_CONCAT_INNER_(a, b)
#define NENDB_ASSERT_OK_AND_ASSIGN_IMPL_(tmp, lhs, expr)             \
  auto tmp = (expr);                                                 \
  ASSERT_TRUE(tmp.ok()) << #expr << ": " << tmp.status().ToString(); \
  lhs = std::move(tmp).value()

#define NENDB_RETURN_IF_ERROR_FOR_TEST(expr) \
  do {                                       \
    const ::absl::Status _s = (expr);        \
    if (!_s.ok()) return _s;                 \
  } while (0)

#define EXPECT_ERROR_KIND(expr, kind)                                               \
  do {                                                                              \
    const ::absl::Status _s = ::nendb::testing::ToStatus(expr);                     \
    EXPECT_EQ(::nendb::ErrorKindOf(_s), ::nendb::ErrorKind::kind) << _s.ToString(); \
  } while (0)

namespace nendb::testing {
inline absl::Status ToStatus(const absl::Status& s) { return s; }
template <typename T>
absl::Status ToStatus(const absl::StatusOr<T>& s) {
  return s.status();
}
}  // namespace nendb::testing

#endif  // NENDB_TESTS_TEST_UTIL_H_
