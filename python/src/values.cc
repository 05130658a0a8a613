// Value, Key and records (Node, Edge, LabelInfo, DatabaseStats) between C++
// and Python. Wrong Python types raise TypeError; values out of range or not
// representable raise nendb.errors.InvalidArgumentError.
#include <cstring>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "common.h"

namespace nendb::python {
namespace {

std::string TypeName(py::handle obj) { return Py_TYPE(obj.ptr())->tp_name; }

bool IsNumpyScalar(py::handle obj) {
  return std::strncmp(Py_TYPE(obj.ptr())->tp_name, "numpy.", 6) == 0 &&
         !py::isinstance<py::array>(obj) && py::hasattr(obj, "item");
}

int64_t ToInt64(py::handle obj, absl::string_view what) {
  int overflow = 0;
  const long long v = PyLong_AsLongLongAndOverflow(obj.ptr(), &overflow);
  if (overflow != 0) {
    ThrowInvalid(absl::StrCat(what, " ", std::string(py::str(obj)),
                              " does not fit in a signed 64-bit integer"));
  }
  if (v == -1 && PyErr_Occurred()) throw py::error_already_set();
  return v;
}

std::string ToUtf8(py::handle obj, absl::string_view what) {
  Py_ssize_t size = 0;
  const char* data = PyUnicode_AsUTF8AndSize(obj.ptr(), &size);
  if (data == nullptr) {
    PyErr_Clear();
    ThrowInvalid(absl::StrCat(what, " is not encodable as UTF-8 (it holds a lone surrogate)"));
  }
  return std::string(data, static_cast<size_t>(size));
}

Value ToVector(py::handle obj, absl::string_view name) {
  py::module_ np = py::module_::import("numpy");
  py::array arr;
  try {
    arr = np.attr("asarray")(obj);
  } catch (py::error_already_set&) {
    ThrowType(absl::StrCat("property \"", name,
                           "\": a sequence value must be a 1-D list or array "
                           "of numbers (a vector)"));
  }
  const char kind = arr.dtype().kind();
  if (arr.ndim() != 1 || (kind != 'f' && kind != 'i' && kind != 'u')) {
    ThrowType(absl::StrCat("property \"", name,
                           "\": a sequence value must be a 1-D list or array of numbers "
                           "(a vector), not ",
                           arr.ndim(), "-D of dtype ", std::string(py::str(arr.dtype()))));
  }
  auto floats = py::array_t<float, py::array::c_style | py::array::forcecast>::ensure(arr);
  if (!floats) throw py::error_already_set();
  return Value(std::vector<float>(floats.data(), floats.data() + floats.size()));
}

}  // namespace

Value ToValue(py::handle obj, absl::string_view name) {
  if (obj.is_none()) return Value();
  PyObject* p = obj.ptr();
  if (PyBool_Check(p)) return Value(p == Py_True);
  if (PyLong_Check(p)) return Value(ToInt64(obj, absl::StrCat("property \"", name, "\": value")));
  if (PyFloat_Check(p)) return Value(PyFloat_AS_DOUBLE(p));
  if (PyUnicode_Check(p)) {
    return Value(ToUtf8(obj, absl::StrCat("property \"", name, "\": the string")));
  }
  if (IsNumpyScalar(obj)) {
    py::object item = obj.attr("item")();
    if (IsNumpyScalar(item) || py::isinstance<py::bytes>(item)) {
      ThrowType(absl::StrCat("property \"", name, "\": numpy values of type ", TypeName(obj),
                             " are not supported"));
    }
    return ToValue(item, name);
  }
  if (py::isinstance<py::array>(obj) || PyList_Check(p) || PyTuple_Check(p)) {
    return ToVector(obj, name);
  }
  ThrowType(absl::StrCat("property \"", name,
                         "\": values must be int, float, bool, str, None or "
                         "a 1-D sequence of numbers (vector), not ",
                         TypeName(obj)));
}

PropertyMap ToProperties(py::handle dict) {
  PropertyMap out;
  if (dict.is_none()) return out;
  if (!PyDict_Check(dict.ptr())) {
    if (!py::hasattr(dict, "items")) {
      ThrowType(absl::StrCat("properties must be a dict of name -> value, not ", TypeName(dict)));
    }
  }
  py::object items = dict.attr("items")();
  for (py::handle item : items) {
    py::tuple kv = py::reinterpret_borrow<py::tuple>(item);
    if (!PyUnicode_Check(kv[0].ptr())) {
      ThrowType(absl::StrCat("property names must be str, not ", TypeName(kv[0])));
    }
    std::string name = ToUtf8(kv[0], "a property name");
    Value v = ToValue(kv[1], name);
    out.emplace_back(std::move(name), std::move(v));
  }
  return out;
}

Key ToKey(py::handle obj) {
  if (obj.is_none()) return Key();
  PyObject* p = obj.ptr();
  if (PyBool_Check(p)) ThrowType("a key must be an int or a str, not bool");
  if (PyLong_Check(p)) return Key(ToInt64(obj, "key"));
  if (PyUnicode_Check(p)) return Key(ToUtf8(obj, "the key"));
  if (IsNumpyScalar(obj)) {
    py::object item = obj.attr("item")();
    if (PyLong_Check(item.ptr()) || PyUnicode_Check(item.ptr())) return ToKey(item);
  }
  ThrowType(absl::StrCat("a key must be an int or a str, not ", TypeName(obj)));
}

py::object FromValue(const Value& value) {
  switch (value.type()) {
    case ValueType::kNull:
      return py::none();
    case ValueType::kInt64:
      return py::int_(value.int64());
    case ValueType::kFloat64:
      return py::float_(value.float64());
    case ValueType::kBool:
      return py::bool_(value.boolean());
    case ValueType::kString: {
      const std::string& s = value.string();
      PyObject* u = PyUnicode_DecodeUTF8(s.data(), static_cast<Py_ssize_t>(s.size()), "replace");
      if (u == nullptr) throw py::error_already_set();
      return py::reinterpret_steal<py::object>(u);
    }
    case ValueType::kVector: {
      auto v = value.vector();
      return ToArray(std::vector<float>(v.begin(), v.end()));
    }
  }
  return py::none();
}

py::object FromKey(const Key& key) {
  switch (key.kind()) {
    case Key::Kind::kNone:
      return py::none();
    case Key::Kind::kInt:
      return py::int_(key.int64());
    case Key::Kind::kString:
      return py::str(key.string());
  }
  return py::none();
}

namespace {

py::dict FromProperties(const PropertyMap& props) {
  py::dict out;
  for (const auto& [name, value] : props) out[py::str(name)] = FromValue(value);
  return out;
}

}  // namespace

py::dict FromNode(const Node& node) {
  py::dict d;
  d["id"] = py::int_(node.id);
  py::list labels;
  for (const auto& l : node.labels) labels.append(py::str(l));
  d["labels"] = labels;
  d["key"] = FromKey(node.key);
  d["properties"] = FromProperties(node.properties);
  return d;
}

py::dict FromEdge(const Edge& edge) {
  py::dict d;
  d["id"] = py::int_(edge.id);
  d["source"] = py::int_(edge.source);
  d["target"] = py::int_(edge.target);
  d["type"] = py::str(edge.type);
  d["weight"] = py::float_(edge.weight);
  d["properties"] = FromProperties(edge.properties);
  return d;
}

std::string TypeString(ValueType type, uint32_t dim) {
  if (type == ValueType::kVector) return absl::StrCat("vector[", dim, "]");
  return std::string(ValueTypeName(type));
}

namespace {

py::list FromColumns(const std::vector<ColumnInfo>& infos) {
  py::list columns;
  for (const auto& c : infos) {
    py::dict col;
    col["name"] = py::str(c.name);
    col["type"] = py::str(TypeString(c.type, c.dim));
    col["dim"] = py::int_(c.dim);
    col["declared"] = py::bool_(c.declared);
    col["required"] = py::bool_(c.required);
    columns.append(col);
  }
  return columns;
}

}  // namespace

py::dict FromLabelInfo(const LabelInfo& info) {
  py::dict d;
  d["name"] = py::str(info.name);
  d["num_nodes"] = py::int_(info.num_nodes);
  d["strict"] = py::bool_(info.strict);
  d["columns"] = FromColumns(info.columns);
  return d;
}

py::dict FromEdgeTypeInfo(const EdgeTypeInfo& info) {
  py::dict d;
  d["name"] = py::str(info.name);
  d["num_edges"] = py::int_(info.num_edges);
  d["columns"] = FromColumns(info.columns);
  return d;
}

py::dict FromStats(const DatabaseStats& s) {
  py::dict d;
  d["path"] = py::str(s.path);
  d["sequence"] = py::int_(s.sequence);
  d["snapshot_generation"] = py::int_(s.snapshot_generation);
  d["num_nodes"] = py::int_(s.num_nodes);
  d["num_edges"] = py::int_(s.num_edges);
  d["node_id_bound"] = py::int_(s.node_id_bound);
  d["edge_slots"] = py::int_(s.edge_slots);
  d["num_labels"] = py::int_(s.num_labels);
  d["num_edge_types"] = py::int_(s.num_edge_types);
  d["heap_bytes"] = py::int_(s.heap_bytes);
  d["mapped_bytes"] = py::int_(s.mapped_bytes);
  d["resident_bytes"] = py::int_(s.resident_bytes);
  d["string_bytes"] = py::int_(s.string_bytes);
  d["snapshot_file_bytes"] = py::int_(s.snapshot_file_bytes);
  d["log_bytes"] = py::int_(s.log_bytes);
  d["processes"] = py::int_(s.processes);
  d["bytes_per_node"] = py::float_(s.bytes_per_node);
  d["bytes_per_edge"] = py::float_(s.bytes_per_edge);
  return d;
}

PropertySpec ToPropertySpec(const std::string& name, const std::string& type, uint32_t dim,
                            bool required) {
  PropertySpec spec;
  spec.name = name;
  spec.required = required;
  if (type == "int64") {
    spec.type = ValueType::kInt64;
  } else if (type == "float64") {
    spec.type = ValueType::kFloat64;
  } else if (type == "bool") {
    spec.type = ValueType::kBool;
  } else if (type == "string") {
    spec.type = ValueType::kString;
  } else if (type == "vector") {
    spec.type = ValueType::kVector;
    spec.dim = dim;
  } else {
    ThrowInvalid(absl::StrCat("property \"", name, "\": unknown type \"", type,
                              "\"; use int64, float64, bool, string or vector[DIM]"));
  }
  return spec;
}

Direction ToDirection(const std::string& direction) {
  if (direction == "out") return Direction::kOut;
  if (direction == "in") return Direction::kIn;
  if (direction == "both") return Direction::kBoth;
  ThrowInvalid(
      absl::StrCat("direction must be \"out\", \"in\" or \"both\", not \"", direction, "\""));
}

}  // namespace nendb::python
