// nendb._nendb.WriteTransaction: reads its own writes; commit() publishes
// them at once, rollback() (or close() without commit) leaves no trace.
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "algorithms.h"
#include "column_reads.h"
#include "common.h"
#include "nendb/errors.h"
#include "txn_handle.h"
#include "vector_search.h"

namespace nendb::python {

void RegisterWriteTransaction(py::module_& m) {
  py::class_<WriteHandle> cls(m, "WriteTransaction",
                              "The one active write transaction. Sees its own writes; commit() "
                              "makes them visible at once. Use from one thread at a time.");
  DefineReadMethods<WriteHandle>(cls);
  DefineColumnReads<WriteHandle>(cls);
  DefineAlgorithms<WriteHandle>(cls);
  DefineVectorSearch<WriteHandle>(cls);
  cls.def(
         "set_property_column",
         [](WriteHandle& h, const std::string& name, py::handle values, py::object skip) {
           if (py::isinstance<py::array>(values) &&
               py::reinterpret_borrow<py::array>(values).dtype().equal(py::dtype::of<double>())) {
             auto v = Exact<double>(values, "values");
             h.Run([&](WriteTransaction& t) {
               return WriteNodeProperty(t, View(name), absl::MakeConstSpan(v.data(), v.size()));
             });
             return;
           }
           auto v = Exact<int64_t>(values, "values");
           const int64_t s =
               skip.is_none() ? std::numeric_limits<int64_t>::min() : skip.cast<int64_t>();
           h.Run([&](WriteTransaction& t) {
             return WriteNodeProperty(t, View(name), absl::MakeConstSpan(v.data(), v.size()), s);
           });
         },
         py::arg("name"), py::arg("values"), py::arg("skip") = py::none(),
         "Sets property name of every live node from a column by node id (float64: NaN "
         "skipped; int64: entries equal to skip skipped).")
      .def(
          "add_node",
          [](WriteHandle& h, const std::vector<std::string>& labels, py::handle key,
             py::handle props) {
            const Key k = ToKey(key);
            const PropertyMap p = ToProperties(props);
            return h.Run([&](WriteTransaction& t) { return t.AddNode(labels, k, p); });
          },
          py::arg("labels"), py::arg("key") = py::none(), py::arg("props") = py::none(),
          "Adds a node with the labels (first is primary), optional key and "
          "properties; "
          "returns its id.")
      .def(
          "add_edge",
          [](WriteHandle& h, uint64_t source, uint64_t target, const std::string& type,
             double weight, py::handle props) {
            const PropertyMap p = ToProperties(props);
            return h.Run([&](WriteTransaction& t) {
              return t.AddEdge(source, target, View(type), weight, p);
            });
          },
          py::arg("source"), py::arg("target"), py::arg("type"), py::arg("weight") = 1.0,
          py::arg("props") = py::none(), "Adds an edge; returns its id.")
      .def(
          "set_property",
          [](WriteHandle& h, uint64_t node, const std::string& name, py::handle value) {
            const Value v = ToValue(value, name);
            h.Run([&](WriteTransaction& t) { return t.SetProperty(node, View(name), v); });
          },
          py::arg("node"), py::arg("name"), py::arg("value"),
          "Sets a node property; None removes it.")
      .def(
          "set_edge_property",
          [](WriteHandle& h, uint64_t edge, const std::string& name, py::handle value) {
            const Value v = ToValue(value, name);
            h.Run([&](WriteTransaction& t) { return t.SetEdgeProperty(edge, View(name), v); });
          },
          py::arg("edge"), py::arg("name"), py::arg("value"),
          "Sets an edge property; None removes it.")
      .def(
          "set_weight",
          [](WriteHandle& h, uint64_t edge, double weight) {
            h.Run([&](WriteTransaction& t) { return t.SetWeight(edge, weight); });
          },
          py::arg("edge"), py::arg("weight"), "Sets an edge's weight.")
      .def(
          "add_label",
          [](WriteHandle& h, uint64_t node, const std::string& label) {
            h.Run([&](WriteTransaction& t) { return t.AddLabel(node, View(label)); });
          },
          py::arg("node"), py::arg("label"), "Adds a label to a node.")
      .def(
          "remove_label",
          [](WriteHandle& h, uint64_t node, const std::string& label) {
            h.Run([&](WriteTransaction& t) { return t.RemoveLabel(node, View(label)); });
          },
          py::arg("node"), py::arg("label"), "Removes a label from a node (it keeps at least one).")
      .def(
          "delete_node",
          [](WriteHandle& h, uint64_t node, bool detach) {
            h.Run([&](WriteTransaction& t) { return t.DeleteNode(node, detach); });
          },
          py::arg("node"), py::arg("detach") = false,
          "Deletes a node; with detach, also its edges.")
      .def(
          "delete_edge",
          [](WriteHandle& h, uint64_t edge) {
            h.Run([&](WriteTransaction& t) { return t.DeleteEdge(edge); });
          },
          py::arg("edge"), "Deletes an edge.")
      .def(
          "define_label",
          [](WriteHandle& h, const std::string& label,
             const std::vector<std::tuple<std::string, std::string, uint32_t, bool>>& properties,
             bool strict) {
            LabelSchema schema;
            schema.strict = strict;
            for (const auto& [name, type, dim, required] : properties) {
              schema.properties.push_back(ToPropertySpec(name, type, dim, required));
            }
            h.Run([&](WriteTransaction& t) { return t.DefineLabel(View(label), schema); });
          },
          py::arg("label"), py::arg("properties"), py::arg("strict") = false,
          "Declares a label's schema: (name, type, dim, required) tuples, type "
          "one of int64, "
          "float64, bool, string, vector.")
      .def(
          "create_vector_index",
          [](WriteHandle& h, const std::string& label, const std::string& property,
             const std::string& metric, uint32_t m, uint32_t ef_construction,
             const std::string& quantization) {
            VectorIndexSpec spec{
                label, property,        Take(ParseVectorMetric(metric)),
                m,     ef_construction, Take(ParseVectorQuantization(quantization))};
            h.Run([&](WriteTransaction& t) { return t.CreateVectorIndex(spec); });
          },
          py::arg("label"), py::arg("property"), py::arg("metric"), py::arg("m"),
          py::arg("ef_construction"), py::arg("quantization"),
          "Defines an HNSW index; the commit builds it.")
      .def(
          "drop_vector_index",
          [](WriteHandle& h, const std::string& label, const std::string& property,
             const std::string& metric) {
            const VectorMetric m = Take(ParseVectorMetric(metric));
            h.Run([&](WriteTransaction& t) { return t.DropVectorIndex(label, property, m); });
          },
          py::arg("label"), py::arg("property"), py::arg("metric"), "Drops an HNSW index.")
      .def(
          "add_nodes",
          [](WriteHandle& h, const std::vector<std::string>& labels, size_t count, py::handle keys,
             py::handle columns) {
            if (count > kMaxNodes) {
              ThrowStatus(CapacityError(
                  absl::StrCat("adding ", count, " nodes would pass the limit of ", kMaxNodes)));
            }
            Keys k(keys);
            Columns cols(columns);
            NodeBatch batch;
            batch.labels = labels;
            batch.count = count;
            batch.keys = k.get();
            batch.properties = cols.Take();
            std::vector<NodeId> ids(count);
            h.Run([&](WriteTransaction& t) { return t.AddNodes(batch, absl::MakeSpan(ids)); });
            return ToArray(std::move(ids));
          },
          py::arg("labels"), py::arg("count"), py::arg("keys") = py::none(),
          py::arg("columns") = py::none(),
          "Adds count nodes in bulk, all-or-nothing; keys: None, int64 or "
          "string array; "
          "columns: (name, array, valid) tuples. Returns the ids (uint64 "
          "array).")
      .def(
          "add_edges",
          [](WriteHandle& h, py::handle sources, py::handle targets, const std::string& type,
             py::handle weights, py::handle columns) {
            auto src = Exact<uint64_t>(sources, "sources");
            auto dst = Exact<uint64_t>(targets, "targets");
            py::array_t<double> w;
            EdgeBatch batch;
            if (!weights.is_none()) {
              w = Exact<double>(weights, "weights");
              batch.weights = absl::MakeConstSpan(w.data(), static_cast<size_t>(w.size()));
            }
            Columns cols(columns);
            batch.sources = absl::MakeConstSpan(src.data(), static_cast<size_t>(src.size()));
            batch.targets = absl::MakeConstSpan(dst.data(), static_cast<size_t>(dst.size()));
            batch.type = type;
            batch.properties = cols.Take();
            std::vector<EdgeId> ids(batch.sources.size());
            h.Run([&](WriteTransaction& t) { return t.AddEdges(batch, absl::MakeSpan(ids)); });
            return ToArray(std::move(ids));
          },
          py::arg("sources"), py::arg("targets"), py::arg("type"), py::arg("weights") = py::none(),
          py::arg("columns") = py::none(),
          "Adds edges in bulk, all-or-nothing, from uint64 source/target "
          "arrays and optional "
          "float64 weights. Returns the ids (uint64 array).")
      .def(
          "commit", [](WriteHandle& h) { h.Run([](WriteTransaction& t) { return t.Commit(); }); },
          "Makes every write of the transaction visible at once (durable per "
          "the sync mode).")
      .def(
          "rollback",
          [](WriteHandle& h) {
            h.Run([](WriteTransaction& t) {
              t.Rollback();
              return absl::OkStatus();
            });
          },
          "Discards every write of the transaction.");
}

}  // namespace nendb::python
