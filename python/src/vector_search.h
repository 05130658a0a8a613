// DefineVectorSearch(): k-NN of nendb/vector_index.h as a method of both
// bound transaction classes. The queries come as a flat float32 array (the
// Python layer shapes and checks them); the ids and distances go back as
// numpy arrays owning the core's vectors; the GIL is released while it runs.
#ifndef NENDB_PYTHON_VECTOR_SEARCH_H_
#define NENDB_PYTHON_VECTOR_SEARCH_H_

#include <string>
#include <utility>
#include <vector>

#include "common.h"
#include "nendb/vector_index.h"

namespace nendb::python {

template <typename Handle>
void DefineVectorSearch(py::class_<Handle>& cls) {
  cls.def(
      "knn",
      [](Handle& h, py::handle queries, uint32_t dim, uint32_t k, const std::string& property,
         const std::string& metric, const std::vector<std::string>& labels, py::handle nodes,
         int threads, uint32_t ef, bool exact, const py::list& where) {
        auto q = Exact<float>(queries, "queries");
        KnnOptions o;
        o.property = property;
        o.metric = Take(ParseVectorMetric(metric));
        o.labels = labels;
        if (!nodes.is_none()) {
          auto a = Exact<uint64_t>(nodes, "nodes");
          o.nodes = std::vector<NodeId>(a.data(), a.data() + a.size());
        }
        o.run.threads = threads;
        o.ef = ef;
        o.exact = exact;
        for (py::handle c : where) {
          auto t = c.cast<py::tuple>();
          const std::string name = t[0].cast<std::string>();
          o.where.push_back(
              {name, Take(ParseCompareOp(t[1].cast<std::string>())), ToValue(t[2], name)});
        }
        const absl::Span<const float> span(q.data(), static_cast<size_t>(q.size()));
        KnnResult r = h.Run([&](const ReadTransaction& t) { return Knn(t, span, dim, k, o); });
        return py::make_tuple(ToArray(std::move(r.ids)), ToArray(std::move(r.distances)),
                              r.indexed_tables);
      },
      py::arg("queries"), py::arg("dim"), py::arg("k"), py::arg("property"), py::arg("metric"),
      py::arg("labels"), py::arg("nodes"), py::arg("threads") = 0, py::arg("ef") = 0,
      py::arg("exact") = false, py::arg("where") = py::list(),
      "The k nearest nodes to each query (flat float32, dim each) by a vector property "
      "among those meeting every (property, op, value) of where: (ids uint64, distances "
      "float32, label tables searched through an index), k per query, nearest first.");
  cls.def(
      "vector_indexes",
      [](Handle& h) {
        std::vector<VectorIndexInfo> list =
            h.Run([&](const ReadTransaction& t) -> absl::StatusOr<std::vector<VectorIndexInfo>> {
              return ListVectorIndexes(t);
            });
        py::list out;
        for (const VectorIndexInfo& i : list) {
          py::dict d;
          d["label"] = i.spec.label;
          d["property"] = i.spec.property;
          d["metric"] = std::string(VectorMetricName(i.spec.metric));
          d["M"] = i.spec.m;
          d["ef_construction"] = i.spec.ef_construction;
          d["quantization"] = std::string(VectorQuantizationName(i.spec.quantization));
          d["dim"] = i.dim;
          d["indexed"] = i.indexed;
          d["pending"] = i.pending;
          d["memory_bytes"] = i.memory_bytes;
          out.append(d);
        }
        return out;
      },
      "The vector indexes, as dicts (label, property, metric, M, ef_construction, "
      "quantization, dim, indexed, pending, memory_bytes).");
}

}  // namespace nendb::python

#endif  // NENDB_PYTHON_VECTOR_SEARCH_H_
