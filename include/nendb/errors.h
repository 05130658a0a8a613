// How nendb reports failures. Every fallible call returns absl::Status or
// absl::StatusOr; ErrorKindOf() sorts a status into the kinds that bindings
// map to exception classes (nendb.errors in Python). Messages say what went
// wrong and what to do about it.
//
// Free functions on values; thread-safe.
#ifndef NENDB_ERRORS_H_
#define NENDB_ERRORS_H_

#include <cstdint>
#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace nendb {

enum class ErrorKind : uint8_t {
  kOk,
  kNotFound,         // unknown or deleted id, missing key or file
  kInvalidArgument,  // bad input: wrong type, shape, range, name
  kConstraint,       // duplicate key, schema violation
  kCorruption,       // a damaged file (names the file and offset)
  kBusy,             // another writer holds the database
  kReadOnly,         // write through a read-only handle
  kIO,               // the operating system refused an I/O call
  kClosed,           // use of a closed database or finished transaction
  kCapacity,         // a documented limit, memory or disk space exhausted
  kCancelled,        // a progress callback asked to stop
  kInternal,         // a bug in nendb: please report it
};

ErrorKind ErrorKindOf(const absl::Status& status);
absl::string_view ErrorKindName(ErrorKind kind);

// Constructors used across the library so that kinds and wording stay uniform.
absl::Status ConstraintError(absl::string_view message);
absl::Status CorruptionError(absl::string_view file, uint64_t offset, absl::string_view what);
// The same with what to do about it instead of the default advice (restore
// from a backup, run `nendb check`).
absl::Status CorruptionError(absl::string_view file, uint64_t offset, absl::string_view what,
                             absl::string_view remedy);
absl::Status BusyError(absl::string_view message);
absl::Status ReadOnlyError(absl::string_view message);
absl::Status IOError(absl::string_view context, int errno_value);
absl::Status ClosedError(absl::string_view message);
absl::Status CapacityError(absl::string_view message);

// For a corruption error: the file and byte offset it names, if any.
std::optional<std::string> CorruptionFile(const absl::Status& status);
std::optional<uint64_t> CorruptionOffset(const absl::Status& status);

}  // namespace nendb

#endif  // NENDB_ERRORS_H_
