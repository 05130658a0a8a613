// Status -> nendb.errors exception. The classes live in the pure-Python
// module nendb/errors.py; this file only picks one by ErrorKindOf().
#include "nendb/errors.h"

#include <string>

#include "common.h"

namespace nendb::python {
namespace {

const char* ClassName(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::kNotFound:
      return "NotFoundError";
    case ErrorKind::kInvalidArgument:
      return "InvalidArgumentError";
    case ErrorKind::kConstraint:
      return "ConstraintError";
    case ErrorKind::kCorruption:
      return "CorruptionError";
    case ErrorKind::kBusy:
      return "BusyError";
    case ErrorKind::kReadOnly:
      return "ReadOnlyError";
    case ErrorKind::kIO:
      return "IOError";
    case ErrorKind::kClosed:
      return "ClosedError";
    case ErrorKind::kCapacity:
      return "CapacityError";
    case ErrorKind::kCancelled:
      return "CancelledError";
    case ErrorKind::kOk:
    case ErrorKind::kInternal:
      break;
  }
  return "InternalError";
}

[[noreturn]] void Raise(py::object exc) {
  PyErr_SetObject(reinterpret_cast<PyObject*>(Py_TYPE(exc.ptr())), exc.ptr());
  throw py::error_already_set();
}

}  // namespace

py::object MakeError(const absl::Status& status) {
  const ErrorKind kind = ErrorKindOf(status);
  py::module_ errors = py::module_::import("nendb.errors");
  std::string message(status.message());
  if (status.ok()) message = "internal error: an OK status was reported as an error";
  py::object exc = errors.attr(ClassName(kind))(message);
  if (kind == ErrorKind::kCorruption) {
    auto file = CorruptionFile(status);
    auto offset = CorruptionOffset(status);
    exc.attr("file") = file ? py::object(py::str(*file)) : py::object(py::none());
    exc.attr("offset") = offset ? py::object(py::int_(*offset)) : py::object(py::none());
  }
  return exc;
}

void ThrowStatus(const absl::Status& status) { Raise(MakeError(status)); }

void ThrowInvalid(const std::string& message) {
  Raise(py::module_::import("nendb.errors").attr("InvalidArgumentError")(message));
}

void ThrowType(const std::string& message) { throw py::type_error(message); }

}  // namespace nendb::python
