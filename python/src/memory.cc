// nendb._nendb.estimate_memory: binds nendb/memory.h.
#include "nendb/memory.h"

#include "common.h"

namespace nendb::python {

void RegisterMemory(py::module_& m) {
  m.def(
      "estimate_memory",
      [](uint64_t nodes, uint64_t edges, uint32_t embedding_dim, uint32_t node_int_properties,
         uint32_t node_string_properties, uint32_t edge_int_properties, double avg_string_bytes,
         bool string_keys, bool keys, double avg_key_bytes) {
        MemoryShape s;
        s.nodes = nodes;
        s.edges = edges;
        s.embedding_dim = embedding_dim;
        s.node_int_properties = node_int_properties;
        s.node_string_properties = node_string_properties;
        s.edge_int_properties = edge_int_properties;
        s.avg_string_bytes = avg_string_bytes;
        s.string_keys = string_keys;
        s.keys = keys;
        s.avg_key_bytes = avg_key_bytes;
        const MemoryEstimate e = Unlocked([&] { return EstimateMemory(s); });
        py::dict d;
        d["node_bytes"] = e.node_bytes;
        d["edge_bytes"] = e.edge_bytes;
        d["adjacency_bytes"] = e.adjacency_bytes;
        d["property_bytes"] = e.property_bytes;
        d["index_bytes"] = e.index_bytes;
        d["string_bytes"] = e.string_bytes;
        d["total_bytes"] = e.total_bytes;
        return d;
      },
      py::arg("nodes"), py::arg("edges"), py::arg("embedding_dim") = 0,
      py::arg("node_int_properties") = 0, py::arg("node_string_properties") = 0,
      py::arg("edge_int_properties") = 0, py::arg("avg_string_bytes") = 16.0,
      py::arg("string_keys") = false, py::arg("keys") = true, py::arg("avg_key_bytes") = 12.0,
      "Bytes a database of this shape needs, by part, from the store's layout "
      "rules.");
}

}  // namespace nendb::python
