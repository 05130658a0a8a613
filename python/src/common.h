// Helpers shared by the binding files: status -> exception (errors.cc),
// Value/Key/records <-> Python (values.cc), numpy arrays <-> bulk columns and
// id arrays (batches.cc), and the registration functions module.cc calls.
//
// Every function here that touches Python objects needs the GIL; core calls
// run inside Unlocked() with the GIL released.
#ifndef NENDB_PYTHON_COMMON_H_
#define NENDB_PYTHON_COMMON_H_

#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "nendb/batch.h"
#include "nendb/column_data.h"
#include "nendb/schema.h"
#include "nendb/stats.h"
#include "nendb/transaction.h"
#include "nendb/value.h"

namespace nendb::python {

namespace py = pybind11;

// ---- errors.cc --------------------------------------------------------------

// The nendb.errors exception for a failed status (message = status message;
// CorruptionError also gets .file and .offset). Needs the GIL.
py::object MakeError(const absl::Status& status);
// Raises MakeError(status) as the pending Python exception.
[[noreturn]] void ThrowStatus(const absl::Status& status);
[[noreturn]] void ThrowInvalid(const std::string& message);  // InvalidArgumentError
[[noreturn]] void ThrowType(const std::string& message);     // TypeError

inline void Check(const absl::Status& status) {
  if (!status.ok()) ThrowStatus(status);
}
template <typename T>
T Take(absl::StatusOr<T>&& result) {
  if (!result.ok()) ThrowStatus(result.status());
  return *std::move(result);
}

// Runs fn with the GIL released and returns what it returns.
template <typename Fn>
auto Unlocked(Fn&& fn) -> decltype(fn()) {
  py::gil_scoped_release nogil;
  return fn();
}

// A Python callable that a core call running without the GIL calls now and
// then to report progress (None: only Ctrl-C is checked). A false result,
// Ctrl-C or an exception in the callable stops the core call; Rethrow() then
// raises that exception instead of the CancelledError the core returned.
struct PyProgress {
  py::object fn;
  std::optional<py::error_already_set> error;

  template <typename... Args>
  bool operator()(Args... args) {
    py::gil_scoped_acquire gil;
    try {
      if (PyErr_CheckSignals() != 0) throw py::error_already_set();
      if (fn.is_none()) return true;
      py::object r = fn(args...);
      return r.is_none() || PyObject_IsTrue(r.ptr()) == 1;
    } catch (py::error_already_set& e) {
      error.emplace(std::move(e));
      return false;
    }
  }
  // Runs body() (which raises on a failed status) and re-raises the
  // callable's own exception in place of the cancellation it caused.
  template <typename Fn>
  auto Run(Fn&& body) -> decltype(body()) {
    try {
      return body();
    } catch (py::error_already_set&) {
      if (error) {
        error->restore();
        error.reset();
        throw py::error_already_set();
      }
      throw;
    }
  }
};

inline absl::string_view View(const std::string& s) {
  return absl::string_view(s.data(), s.size());
}

// ---- values.cc --------------------------------------------------------------

Value ToValue(py::handle obj,
              absl::string_view name);      // TypeError/InvalidArgument on bad input
PropertyMap ToProperties(py::handle dict);  // None -> {}
Key ToKey(py::handle obj);                  // None -> no key
py::object FromValue(const Value& value);
py::object FromKey(const Key& key);
py::dict FromNode(const Node& node);
py::dict FromEdge(const Edge& edge);
py::dict FromLabelInfo(const LabelInfo& info);
py::dict FromEdgeTypeInfo(const EdgeTypeInfo& info);
py::dict FromStats(const DatabaseStats& stats);
// "int64", "float64", "bool", "string", "vector[dim]", "null".
std::string TypeString(ValueType type, uint32_t dim);
// The inverse for schema declarations: "vector" with dim > 0 or "vector[128]".
PropertySpec ToPropertySpec(const std::string& name, const std::string& type, uint32_t dim,
                            bool required);
Direction ToDirection(const std::string& direction);

// ---- batches.cc -------------------------------------------------------------

// A 1-D numpy array of T owning the vector's buffer (no copy, no per-element
// Python objects).
template <typename T>
py::array_t<T> ToArray(std::vector<T>&& values) {
  auto* owned = new std::vector<T>(std::move(values));
  py::capsule owner(owned, [](void* p) { delete static_cast<std::vector<T>*>(p); });
  return py::array_t<T>({static_cast<py::ssize_t>(owned->size())},
                        {static_cast<py::ssize_t>(sizeof(T))}, owned->data(), owner);
}

// Strings re-encoded into Arrow's layout (offsets + bytes) with validity.
struct StringBuffer {
  std::vector<uint64_t> offsets;
  std::string bytes;
  std::vector<uint8_t> valid;  // empty: all valid
  StringColumn view() const {
    return StringColumn{absl::MakeConstSpan(offsets),
                        absl::string_view(bytes.data(), bytes.size())};
  }
};

// Columns borrowed from numpy arrays for one bulk call. The arrays are kept
// referenced here, so they outlive the call; strings are re-encoded once.
class Columns {
 public:
  // columns: a sequence of (name, array, valid-or-None). Array dtypes:
  // int64, float64, bool (1-D), float32 (2-D: vectors), str/bytes/object
  // (strings; None entries in object arrays are nulls). valid: bool, 1-D.
  explicit Columns(py::handle columns);
  std::vector<BulkColumn> Take() { return std::move(columns_); }

 private:
  std::vector<BulkColumn> columns_;
  std::deque<StringBuffer> strings_;
  std::vector<py::array> keep_;
};

// Keys for a node batch: None, int64 array, or str/bytes/object array.
class Keys {
 public:
  explicit Keys(py::handle keys);
  const BulkKeys& get() const { return keys_; }
  size_t size() const { return keys_.ints.size() + keys_.strings.size(); }

 private:
  BulkKeys keys_;
  StringBuffer strings_;
  py::array keep_;
};

// A borrowed 1-D C-contiguous array of exactly T (no conversion: the Python
// layer converts once, vectorised). TypeError otherwise.
template <typename T>
py::array_t<T> Exact(py::handle obj, const char* what) {
  if (!py::isinstance<py::array>(obj)) {
    ThrowType(std::string(what) + " must be a numpy array");
  }
  auto arr = py::reinterpret_borrow<py::array>(obj);
  if (!arr.dtype().equal(py::dtype::of<T>()) || arr.ndim() != 1 ||
      !(arr.flags() & py::array::c_style)) {
    ThrowType(std::string(what) + " must be a 1-D C-contiguous numpy array of dtype " +
              std::string(py::str(py::dtype::of<T>())) + ", not " +
              std::string(py::str(arr.dtype())) + " with " + std::to_string(arr.ndim()) +
              " dimensions");
  }
  return py::reinterpret_borrow<py::array_t<T>>(obj);
}

// The elements of a borrowed array (see Exact), for a core call that runs
// without the GIL while the array is referenced.
template <typename T>
absl::Span<const T> Span(const py::array_t<T>& a) {
  return absl::MakeConstSpan(a.data(), static_cast<size_t>(a.size()));
}

// ---- columns.cc -------------------------------------------------------------

// {"type": "int64" | ... | "null", "dim", "values", "valid"} over the
// column's own buffers: values is a numpy array of the type (2-D float32 for
// vectors; (offsets uint64, bytes uint8) for strings), valid a bool array.
py::dict FromColumnData(ColumnData&& column);
// (names, codes uint32 array, offsets uint64 array).
py::tuple FromNameCodes(NameCodes&& names);

// ---- registration -----------------------------------------------------------

void RegisterDatabase(py::module_& m);
void RegisterReadTransaction(py::module_& m);
void RegisterWriteTransaction(py::module_& m);
void RegisterMemory(py::module_& m);
void RegisterImport(py::module_& m);
void RegisterColumns(py::module_& m);

}  // namespace nendb::python

#endif  // NENDB_PYTHON_COMMON_H_
