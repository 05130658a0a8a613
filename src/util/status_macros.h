// Early-return helpers for absl::Status and absl::StatusOr.
#ifndef NENDB_UTIL_STATUS_MACROS_H_
#define NENDB_UTIL_STATUS_MACROS_H_

#include "absl/status/status.h"
#include "absl/status/statusor.h"

#define NENDB_RETURN_IF_ERROR(expr)                \
  do {                                             \
    ::absl::Status _nendb_status = (expr);         \
    if (!_nendb_status.ok()) return _nendb_status; \
  } while (0)

#define NENDB_CONCAT_INNER_(a, b) a##b
#define NENDB_CONCAT_(a, b) NENDB_CONCAT_INNER_(a, b)

// NENDB_ASSIGN_OR_RETURN(auto x, Foo()); declares or assigns x.
#define NENDB_ASSIGN_OR_RETURN(lhs, expr) \
  NENDB_ASSIGN_OR_RETURN_IMPL_(NENDB_CONCAT_(_nendb_statusor_, __LINE__), lhs, expr)

#define NENDB_ASSIGN_OR_RETURN_IMPL_(tmp, lhs, expr) \
  auto tmp = (expr);                                 \
  if (!tmp.ok()) return std::move(tmp).status();     \
  lhs = std::move(tmp).value()

#endif  // NENDB_UTIL_STATUS_MACROS_H_
