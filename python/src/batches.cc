// numpy arrays -> BulkColumn / BulkKeys for bulk inserts. Numeric arrays of
// the exact dtype are borrowed (no copy); the Python layer (nendb/_convert.py)
// has already converted anything else with one vectorised numpy call. Strings
// are re-encoded once into Arrow's layout (offsets + UTF-8 bytes).
#include <cstring>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "common.h"

namespace nendb::python {
namespace {

std::string DtypeName(const py::array& a) { return std::string(py::str(a.dtype())); }

void AppendUtf8(char32_t c, std::string* out) {
  if (c < 0x80) {
    out->push_back(static_cast<char>(c));
  } else if (c < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (c >> 6)));
    out->push_back(static_cast<char>(0x80 | (c & 0x3F)));
  } else if (c < 0x10000) {
    out->push_back(static_cast<char>(0xE0 | (c >> 12)));
    out->push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (c & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xF0 | (c >> 18)));
    out->push_back(static_cast<char>(0x80 | ((c >> 12) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (c & 0x3F)));
  }
}

// A 1-D C-contiguous array in native byte order; converts (one numpy call)
// only when the input is not already one.
py::array Contiguous1D(py::array a, absl::string_view what) {
  if (a.ndim() != 1) {
    ThrowInvalid(
        absl::StrCat(what, " must be 1-D; it has shape ", std::string(py::str(a.attr("shape")))));
  }
  const char order = a.dtype().byteorder();
  if (!(a.flags() & py::array::c_style) || order == '>' || order == '<') {
    py::object dt = a.dtype().attr("newbyteorder")("=");
    a = py::module_::import("numpy").attr("ascontiguousarray")(a, dt);
  }
  return a;
}

// Fills buf from a str ('U'), bytes ('S') or object (str or None) array.
void EncodeStrings(py::array a, bool allow_null, absl::string_view what, StringBuffer* buf) {
  a = Contiguous1D(std::move(a), what);
  const size_t n = static_cast<size_t>(a.shape(0));
  const char kind = a.dtype().kind();
  buf->offsets.assign(1, 0);
  buf->offsets.reserve(n + 1);
  buf->bytes.clear();
  buf->valid.clear();
  if (kind == 'U') {
    const size_t width = static_cast<size_t>(a.itemsize()) / 4;
    const auto* data = static_cast<const char32_t*>(a.data());
    buf->bytes.reserve(n * width);
    for (size_t i = 0; i < n; ++i) {
      const char32_t* s = data + i * width;
      size_t len = width;
      while (len > 0 && s[len - 1] == 0) --len;
      for (size_t k = 0; k < len; ++k) {
        const char32_t c = s[k];
        if (c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF)) {
          ThrowInvalid(absl::StrCat(what, ": row ", i, " holds a code point (",
                                    static_cast<uint32_t>(c), ") that is not valid Unicode"));
        }
        AppendUtf8(c, &buf->bytes);
      }
      buf->offsets.push_back(buf->bytes.size());
    }
  } else if (kind == 'S') {
    const size_t width = static_cast<size_t>(a.itemsize());
    const auto* data = static_cast<const char*>(a.data());
    buf->bytes.reserve(n * width);
    for (size_t i = 0; i < n; ++i) {
      const char* s = data + i * width;
      size_t len = width;
      while (len > 0 && s[len - 1] == 0) --len;
      buf->bytes.append(s, len);
      buf->offsets.push_back(buf->bytes.size());
    }
  } else if (kind == 'O') {
    auto* const* data = static_cast<PyObject* const*>(a.data());
    for (size_t i = 0; i < n; ++i) {
      PyObject* o = data[i];
      if (o == Py_None || o == nullptr) {
        if (!allow_null) {
          ThrowInvalid(absl::StrCat(what, ": row ", i, " is None; every row needs a value"));
        }
        if (buf->valid.empty()) buf->valid.assign(n, 1);
        buf->valid[i] = 0;
      } else if (PyUnicode_Check(o)) {
        Py_ssize_t size = 0;
        const char* s = PyUnicode_AsUTF8AndSize(o, &size);
        if (s == nullptr) {
          PyErr_Clear();
          ThrowInvalid(absl::StrCat(what, ": row ", i,
                                    " is not encodable as UTF-8 (it holds a lone surrogate)"));
        }
        buf->bytes.append(s, static_cast<size_t>(size));
      } else {
        ThrowType(absl::StrCat(what, ": row ", i, " is a ", Py_TYPE(o)->tp_name,
                               "; a string column holds str or None"));
      }
      buf->offsets.push_back(buf->bytes.size());
    }
  } else {
    ThrowType(absl::StrCat(what, " must hold strings, not dtype ", DtypeName(a)));
  }
}

bool IsStringKind(char kind) { return kind == 'U' || kind == 'S' || kind == 'O'; }

}  // namespace

Columns::Columns(py::handle columns) {
  if (columns.is_none()) return;
  for (py::handle item : columns) {
    if (!py::isinstance<py::tuple>(item) || py::len(item) != 3) {
      ThrowType("columns must be (name, array, valid) tuples");
    }
    py::tuple t = py::reinterpret_borrow<py::tuple>(item);
    if (!py::isinstance<py::str>(t[0])) ThrowType("column names must be str");
    std::string name = t[0].cast<std::string>();
    const std::string what = absl::StrCat("property \"", name, "\"");
    if (!py::isinstance<py::array>(t[1])) ThrowType(absl::StrCat(what, " must be a numpy array"));
    py::array a = py::reinterpret_borrow<py::array>(t[1]);
    BulkColumn col;
    const char kind = a.dtype().kind();
    if (IsStringKind(kind)) {
      StringBuffer& buf = strings_.emplace_back();
      EncodeStrings(a, /*allow_null=*/true, what, &buf);
      col = BulkColumn::String(name, buf.view());
    } else if (a.ndim() == 2) {
      if (!a.dtype().equal(py::dtype::of<float>()) || !(a.flags() & py::array::c_style)) {
        ThrowType(absl::StrCat(what, ": a 2-D (vector) column must be C-contiguous float32, not ",
                               DtypeName(a)));
      }
      const auto rows = static_cast<size_t>(a.shape(0));
      const auto dim = static_cast<size_t>(a.shape(1));
      if (dim > UINT32_MAX) ThrowInvalid(absl::StrCat(what, ": vector dimension is too large"));
      col = BulkColumn::Vector(name,
                               absl::MakeConstSpan(static_cast<const float*>(a.data()), rows * dim),
                               static_cast<uint32_t>(dim));
    } else if (a.dtype().equal(py::dtype::of<int64_t>())) {
      col = BulkColumn::Int64(name, absl::MakeConstSpan(Exact<int64_t>(a, what.c_str()).data(),
                                                        static_cast<size_t>(a.size())));
    } else if (a.dtype().equal(py::dtype::of<double>())) {
      col = BulkColumn::Float64(name, absl::MakeConstSpan(Exact<double>(a, what.c_str()).data(),
                                                          static_cast<size_t>(a.size())));
    } else if (a.dtype().equal(py::dtype::of<bool>())) {
      Exact<bool>(a, what.c_str());
      col = BulkColumn::Bool(name, absl::MakeConstSpan(static_cast<const uint8_t*>(a.data()),
                                                       static_cast<size_t>(a.size())));
    } else {
      ThrowType(absl::StrCat(what, ": unsupported dtype ", DtypeName(a),
                             "; use int64, float64, bool, 2-D float32 (vectors) or strings"));
    }
    keep_.push_back(a);
    py::handle valid = t[2];
    if (!valid.is_none()) {
      auto v = Exact<bool>(valid, (what + " validity mask").c_str());
      keep_.push_back(v);
      const auto* flags = reinterpret_cast<const uint8_t*>(v.data());
      if (col.type == ValueType::kString && !strings_.back().valid.empty()) {
        // Both a mask and None entries: a row is valid if neither says null.
        auto& mine = strings_.back().valid;
        if (mine.size() != static_cast<size_t>(v.size())) {
          ThrowInvalid(
              absl::StrCat(what, " has ", v.size(), " validity flags; expected ", mine.size()));
        }
        for (size_t i = 0; i < mine.size(); ++i) mine[i] = mine[i] & flags[i];
        col.valid = absl::MakeConstSpan(mine);
      } else {
        col.valid = absl::MakeConstSpan(flags, static_cast<size_t>(v.size()));
      }
    } else if (col.type == ValueType::kString && !strings_.back().valid.empty()) {
      col.valid = absl::MakeConstSpan(strings_.back().valid);
    }
    columns_.push_back(std::move(col));
  }
}

Keys::Keys(py::handle keys) {
  if (keys.is_none()) return;
  if (!py::isinstance<py::array>(keys)) ThrowType("keys must be a numpy array");
  keep_ = py::reinterpret_borrow<py::array>(keys);
  if (IsStringKind(keep_.dtype().kind())) {
    EncodeStrings(keep_, /*allow_null=*/false, "the keys", &strings_);
    keys_.strings = strings_.view();
  } else {
    auto ints = Exact<int64_t>(keep_, "keys");
    keys_.ints = absl::MakeConstSpan(ints.data(), static_cast<size_t>(ints.size()));
  }
}

}  // namespace nendb::python
