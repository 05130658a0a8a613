// The bulk reads of transaction.h (ScanNodes, ReadNodeColumn and friends),
// added to both bound transaction classes. What they return owns the core's
// buffers: numpy arrays over them, no copy (columns.cc).
#ifndef NENDB_PYTHON_COLUMN_READS_H_
#define NENDB_PYTHON_COLUMN_READS_H_

#include <string>
#include <utility>

#include "common.h"
#include "nendb/column_data.h"

namespace nendb::python {

template <typename Handle, typename Class>
void DefineColumnReads(Class& cls) {
  cls.def(
         "scan_nodes",
         [](Handle& h) {
           return ToArray(h.Run([](const ReadTransaction& t) { return t.ScanNodes(); }));
         },
         "Ids of every live node, in id order (uint64 array).")
      .def(
          "read_node_column",
          [](Handle& h, py::handle ids, const std::string& name) {
            const auto arr = Exact<uint64_t>(ids, "node ids");
            const auto nodes = Span(arr);
            ColumnData out;
            h.Run([&](const ReadTransaction& t) {
              return t.ReadNodeColumn(nodes, View(name), &out);
            });
            return FromColumnData(std::move(out));
          },
          py::arg("nodes"), py::arg("name"),
          "One property of the nodes as a dict type, dim, values, valid.")
      .def(
          "read_edge_column",
          [](Handle& h, py::handle ids, const std::string& name) {
            const auto arr = Exact<uint64_t>(ids, "edge ids");
            const auto edges = Span(arr);
            ColumnData out;
            h.Run([&](const ReadTransaction& t) {
              return t.ReadEdgeColumn(edges, View(name), &out);
            });
            return FromColumnData(std::move(out));
          },
          py::arg("edges"), py::arg("name"),
          "One property of the edges as a dict type, dim, values, valid.")
      .def(
          "read_keys",
          [](Handle& h, py::handle ids) {
            const auto arr = Exact<uint64_t>(ids, "node ids");
            const auto nodes = Span(arr);
            ColumnData ints, strings;
            h.Run([&](const ReadTransaction& t) { return t.ReadKeys(nodes, &ints, &strings); });
            return py::make_tuple(FromColumnData(std::move(ints)),
                                  FromColumnData(std::move(strings)));
          },
          py::arg("nodes"), "The nodes' keys: (int keys, string keys), each a column dict.")
      .def(
          "read_labels",
          [](Handle& h, py::handle ids) {
            const auto arr = Exact<uint64_t>(ids, "node ids");
            const auto nodes = Span(arr);
            NameCodes out;
            h.Run([&](const ReadTransaction& t) { return t.ReadLabels(nodes, &out); });
            return FromNameCodes(std::move(out));
          },
          py::arg("nodes"), "The nodes' labels: (names, codes, offsets), primary label first.")
      .def(
          "read_edge_types",
          [](Handle& h, py::handle ids) {
            const auto arr = Exact<uint64_t>(ids, "edge ids");
            const auto edges = Span(arr);
            NameCodes out;
            h.Run([&](const ReadTransaction& t) { return t.ReadEdgeTypes(edges, &out); });
            return FromNameCodes(std::move(out));
          },
          py::arg("edges"), "The edges' types: (names, codes, offsets (empty)).");
}

}  // namespace nendb::python

#endif  // NENDB_PYTHON_COLUMN_READS_H_
