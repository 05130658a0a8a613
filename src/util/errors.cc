// Implements nendb/errors.h: the kind of an error travels as a status payload
// where the absl code alone is ambiguous.
#include "nendb/errors.h"

#include <cerrno>
#include <cstring>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

namespace nendb {
namespace {

constexpr char kKindUrl[] = "nendb/kind";
constexpr char kFileUrl[] = "nendb/file";
constexpr char kOffsetUrl[] = "nendb/offset";

absl::Status WithKind(absl::Status s, ErrorKind kind) {
  s.SetPayload(kKindUrl, absl::Cord(ErrorKindName(kind)));
  return s;
}

}  // namespace

absl::string_view ErrorKindName(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::kOk:
      return "ok";
    case ErrorKind::kNotFound:
      return "not_found";
    case ErrorKind::kInvalidArgument:
      return "invalid_argument";
    case ErrorKind::kConstraint:
      return "constraint";
    case ErrorKind::kCorruption:
      return "corruption";
    case ErrorKind::kBusy:
      return "busy";
    case ErrorKind::kReadOnly:
      return "read_only";
    case ErrorKind::kIO:
      return "io";
    case ErrorKind::kClosed:
      return "closed";
    case ErrorKind::kCapacity:
      return "capacity";
    case ErrorKind::kCancelled:
      return "cancelled";
    case ErrorKind::kInternal:
      return "internal";
  }
  return "internal";
}

ErrorKind ErrorKindOf(const absl::Status& status) {
  if (status.ok()) return ErrorKind::kOk;
  if (auto p = status.GetPayload(kKindUrl)) {
    const std::string name(*p);
    for (int k = 0; k <= static_cast<int>(ErrorKind::kInternal); ++k) {
      if (ErrorKindName(static_cast<ErrorKind>(k)) == name) return static_cast<ErrorKind>(k);
    }
  }
  switch (status.code()) {
    case absl::StatusCode::kNotFound:
      return ErrorKind::kNotFound;
    case absl::StatusCode::kInvalidArgument:
    case absl::StatusCode::kOutOfRange:
      return ErrorKind::kInvalidArgument;
    case absl::StatusCode::kAlreadyExists:
      return ErrorKind::kConstraint;
    case absl::StatusCode::kDataLoss:
      return ErrorKind::kCorruption;
    case absl::StatusCode::kUnavailable:
      return ErrorKind::kBusy;
    case absl::StatusCode::kResourceExhausted:
      return ErrorKind::kCapacity;
    case absl::StatusCode::kCancelled:
      return ErrorKind::kCancelled;
    case absl::StatusCode::kPermissionDenied:
      return ErrorKind::kIO;
    default:
      return ErrorKind::kInternal;
  }
}

absl::Status ConstraintError(absl::string_view message) {
  return WithKind(absl::AlreadyExistsError(message), ErrorKind::kConstraint);
}

absl::Status CorruptionError(absl::string_view file, uint64_t offset, absl::string_view what) {
  return CorruptionError(file, offset, what,
                         "The file is damaged; restore the database from a backup or run "
                         "`nendb check` for a full report");
}

absl::Status CorruptionError(absl::string_view file, uint64_t offset, absl::string_view what,
                             absl::string_view remedy) {
  absl::Status s = absl::DataLossError(absl::StrCat("corrupt database file ", file, " at offset ",
                                                    offset, ": ", what, ". ", remedy));
  s.SetPayload(kFileUrl, absl::Cord(file));
  s.SetPayload(kOffsetUrl, absl::Cord(absl::StrCat(offset)));
  return WithKind(std::move(s), ErrorKind::kCorruption);
}

absl::Status BusyError(absl::string_view message) {
  return WithKind(absl::UnavailableError(message), ErrorKind::kBusy);
}

absl::Status ReadOnlyError(absl::string_view message) {
  return WithKind(absl::FailedPreconditionError(message), ErrorKind::kReadOnly);
}

absl::Status IOError(absl::string_view context, int errno_value) {
  ErrorKind kind = ErrorKind::kIO;
  absl::StatusCode code = absl::StatusCode::kInternal;
  std::string hint;
  if (errno_value == ENOSPC || errno_value == EDQUOT) {
    kind = ErrorKind::kCapacity;
    code = absl::StatusCode::kResourceExhausted;
    hint = "; free disk space and retry";
  } else if (errno_value == EACCES || errno_value == EPERM || errno_value == EROFS) {
    hint = "; check the path's permissions or open the database read-only";
  } else if (errno_value == ENOENT) {
    code = absl::StatusCode::kNotFound;
    kind = ErrorKind::kNotFound;
  }
  absl::Status s(code, absl::StrCat(context, ": ", std::strerror(errno_value), hint));
  return WithKind(std::move(s), kind);
}

absl::Status ClosedError(absl::string_view message) {
  return WithKind(absl::FailedPreconditionError(message), ErrorKind::kClosed);
}

absl::Status CapacityError(absl::string_view message) {
  return WithKind(absl::ResourceExhaustedError(message), ErrorKind::kCapacity);
}

std::optional<std::string> CorruptionFile(const absl::Status& status) {
  if (auto p = status.GetPayload(kFileUrl)) return std::string(*p);
  return std::nullopt;
}

std::optional<uint64_t> CorruptionOffset(const absl::Status& status) {
  uint64_t v = 0;
  if (auto p = status.GetPayload(kOffsetUrl); p && absl::SimpleAtoi(std::string(*p), &v)) {
    return v;
  }
  return std::nullopt;
}

}  // namespace nendb
