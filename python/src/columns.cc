// Bulk read results (nendb/column_data.h) -> numpy arrays that own the
// core's buffers, and decode_strings(), which turns a string column into
// the object array of str pandas uses, in one pass without the Python loop.
#include <string>
#include <utility>
#include <vector>

#include "common.h"

namespace nendb::python {
namespace {

py::array_t<uint8_t> BytesArray(std::string&& bytes) {
  auto* owned = new std::string(std::move(bytes));
  py::capsule owner(owned, [](void* p) { delete static_cast<std::string*>(p); });
  return py::array_t<uint8_t>({static_cast<py::ssize_t>(owned->size())}, {py::ssize_t{1}},
                              reinterpret_cast<const uint8_t*>(owned->data()), owner);
}

py::array Vectors(std::vector<float>&& floats, size_t rows, uint32_t dim) {
  auto* owned = new std::vector<float>(std::move(floats));
  py::capsule owner(owned, [](void* p) { delete static_cast<std::vector<float>*>(p); });
  const auto d = static_cast<py::ssize_t>(dim);
  return py::array_t<float>({static_cast<py::ssize_t>(rows), d},
                            {static_cast<py::ssize_t>(sizeof(float)) * d, py::ssize_t{4}},
                            owned->data(), owner);
}

py::object Values(ColumnData& c) {
  switch (c.type) {
    case ValueType::kInt64:
      return ToArray(std::move(c.int64s));
    case ValueType::kFloat64:
      return ToArray(std::move(c.float64s));
    case ValueType::kBool:
      return ToArray(std::move(c.bools)).attr("view")("bool");
    case ValueType::kVector:
      return Vectors(std::move(c.floats), c.rows, c.dim);
    case ValueType::kString:
      return py::make_tuple(ToArray(std::move(c.offsets)), BytesArray(std::move(c.bytes)));
    case ValueType::kNull:
      break;
  }
  return py::none();
}

// An object array: str for each valid row, None for the others.
py::array DecodeStrings(py::handle offsets_obj, py::handle bytes_obj, py::handle valid_obj) {
  auto offsets = Exact<uint64_t>(offsets_obj, "offsets");
  auto bytes = Exact<uint8_t>(bytes_obj, "bytes");
  auto valid = Exact<bool>(valid_obj, "valid");
  const auto n = static_cast<size_t>(valid.size());
  if (static_cast<size_t>(offsets.size()) != n + 1) ThrowInvalid("offsets must be one longer");
  const uint64_t* off = offsets.data();
  const char* data = reinterpret_cast<const char*>(bytes.data());
  const auto size = static_cast<uint64_t>(bytes.size());
  // numpy.empty fills an object array with None (pybind11's constructor
  // leaves it uninitialised), so each slot holds a reference to release.
  py::array out = py::module_::import("numpy").attr("empty")(n, "O");
  auto** slots = static_cast<PyObject**>(out.mutable_data());
  for (size_t i = 0; i < n; ++i) {
    PyObject* s = Py_None;
    if (valid.data()[i]) {
      if (off[i] > off[i + 1] || off[i + 1] > size) ThrowInvalid("offsets run past the bytes");
      s = PyUnicode_DecodeUTF8(data + off[i], static_cast<Py_ssize_t>(off[i + 1] - off[i]),
                               "strict");
      if (s == nullptr) throw py::error_already_set();
    } else {
      Py_INCREF(s);
    }
    Py_XDECREF(slots[i]);
    slots[i] = s;
  }
  return out;
}

}  // namespace

py::dict FromColumnData(ColumnData&& column) {
  py::dict out;
  out["type"] = TypeString(column.type, column.dim);
  out["dim"] = column.dim;
  out["values"] = Values(column);
  out["valid"] = ToArray(std::move(column.valid)).attr("view")("bool");
  return out;
}

py::tuple FromNameCodes(NameCodes&& names) {
  return py::make_tuple(py::cast(names.names), ToArray(std::move(names.codes)),
                        ToArray(std::move(names.offsets)));
}

void RegisterColumns(py::module_& m) {
  m.def("decode_strings", &DecodeStrings, py::arg("offsets"), py::arg("bytes"), py::arg("valid"),
        "A string column (offsets, bytes, valid) as an object array of str, None where "
        "not valid.");
}

}  // namespace nendb::python
