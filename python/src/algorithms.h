// DefineAlgorithms(): the analytics of nendb/algorithms.h as methods of both
// bound transaction classes (a write transaction analyses its own writes).
// Results come back as numpy arrays indexed by NodeId that own the core's
// vectors; the GIL is released while the kernels run and re-taken only for
// the progress callable.
#ifndef NENDB_PYTHON_ALGORITHMS_H_
#define NENDB_PYTHON_ALGORITHMS_H_

#include <string>
#include <utility>
#include <vector>

#include "common.h"
#include "nendb/algorithms.h"

namespace nendb::python {

// The projection and run arguments every algorithm takes, in this order.
inline GraphProjection ToProjection(const std::vector<std::string>& labels,
                                    const std::vector<std::string>& edge_types, bool directed,
                                    const std::string& weight) {
  return GraphProjection{labels, edge_types, directed, weight};
}

#define NENDB_PROJECTION_ARGS                                                     \
  py::arg("labels") = std::vector<std::string>(),                                 \
  py::arg("edge_types") = std::vector<std::string>(), py::arg("directed") = true, \
  py::arg("weight") = "", py::arg("threads") = 0, py::arg("progress") = py::none()

template <typename Handle>
void DefineAlgorithms(py::class_<Handle>& cls) {
  cls.def(
         "bfs",
         [](Handle& h, py::handle source_array, int64_t max_depth, bool parents,
            const std::vector<std::string>& labels, const std::vector<std::string>& edge_types,
            bool directed, const std::string& weight, int threads,
            py::object progress) -> py::object {
           auto a = Exact<uint64_t>(source_array, "sources");
           const std::vector<NodeId> sources(a.data(), a.data() + a.size());
           BfsOptions o;
           o.graph = ToProjection(labels, edge_types, directed, weight);
           o.max_depth = max_depth;
           PyProgress p{std::move(progress), std::nullopt};
           o.run = {threads, [&p](double f) { return p(f); }};
           BfsResult r = p.Run(
               [&] { return h.Run([&](const ReadTransaction& t) { return Bfs(t, sources, o); }); });
           if (!parents) return ToArray(std::move(r.depth));
           return py::make_tuple(ToArray(std::move(r.depth)), ToArray(std::move(r.parent)));
         },
         py::arg("sources"), py::arg("max_depth") = -1, py::arg("parents") = false,
         NENDB_PROJECTION_ARGS,
         "Hop depths from the sources (int32 by node id, -1 unreached); parents: also the "
         "BFS tree (uint64, 2**64-1 unreached, a source its own parent).")
      .def(
          "pagerank",
          [](Handle& h, double damping, double tolerance, int max_iterations, bool drop_dangling,
             py::handle personalization, const std::vector<std::string>& labels,
             const std::vector<std::string>& edge_types, bool directed, const std::string& weight,
             int threads, py::object progress) {
            PageRankOptions o;
            o.graph = ToProjection(labels, edge_types, directed, weight);
            o.damping = damping;
            o.tolerance = tolerance;
            o.max_iterations = max_iterations;
            o.drop_dangling = drop_dangling;
            if (!personalization.is_none()) {
              auto a = Exact<double>(personalization, "personalization");
              o.personalization.assign(a.data(), a.data() + a.size());
            }
            PyProgress p{std::move(progress), std::nullopt};
            o.run = {threads, [&p](double f) { return p(f); }};
            PageRankResult r = p.Run(
                [&] { return h.Run([&](const ReadTransaction& t) { return PageRank(t, o); }); });
            return py::make_tuple(ToArray(std::move(r.rank)), r.iterations, r.last_change);
          },
          py::arg("damping"), py::arg("tolerance"), py::arg("max_iterations"),
          py::arg("drop_dangling"), py::arg("personalization"), NENDB_PROJECTION_ARGS,
          "(ranks by node id, iterations, L1 change of the last round).")
      .def(
          "wcc",
          [](Handle& h, const std::vector<std::string>& labels,
             const std::vector<std::string>& edge_types, bool directed, const std::string& weight,
             int threads, py::object progress) {
            ComponentsOptions o;
            o.graph = ToProjection(labels, edge_types, directed, weight);
            PyProgress p{std::move(progress), std::nullopt};
            o.run = {threads, [&p](double f) { return p(f); }};
            std::vector<NodeId> labels_out = p.Run([&] {
              return h.Run(
                  [&](const ReadTransaction& t) { return WeaklyConnectedComponents(t, o); });
            });
            return ToArray(std::move(labels_out));
          },
          NENDB_PROJECTION_ARGS,
          "Weakly connected components: the smallest node id of each node's component "
          "(uint64 by node id, 2**64-1 outside the projection).")
      .def(
          "sssp",
          [](Handle& h, uint64_t source, double delta, const std::vector<std::string>& labels,
             const std::vector<std::string>& edge_types, bool directed, const std::string& weight,
             int threads, py::object progress) {
            SsspOptions o;
            o.graph = ToProjection(labels, edge_types, directed, weight);
            o.delta = delta;
            PyProgress p{std::move(progress), std::nullopt};
            o.run = {threads, [&p](double f) { return p(f); }};
            std::vector<double> dist = p.Run([&] {
              return h.Run(
                  [&](const ReadTransaction& t) { return ShortestDistances(t, source, o); });
            });
            return ToArray(std::move(dist));
          },
          py::arg("source"), py::arg("delta"), NENDB_PROJECTION_ARGS,
          "Distances from source (float64 by node id, inf unreached).")
      .def(
          "shortest_path",
          [](Handle& h, uint64_t from, uint64_t to, const std::vector<std::string>& labels,
             const std::vector<std::string>& edge_types, bool directed, const std::string& weight,
             int threads, py::object progress) {
            PathOptions o;
            o.graph = ToProjection(labels, edge_types, directed, weight);
            PyProgress p{std::move(progress), std::nullopt};
            o.run = {threads, [&p](double f) { return p(f); }};
            std::vector<NodeId> path = p.Run([&] {
              return h.Run([&](const ReadTransaction& t) { return ShortestPath(t, from, to, o); });
            });
            return ToArray(std::move(path));
          },
          py::arg("source"), py::arg("target"), NENDB_PROJECTION_ARGS,
          "The node ids of one shortest path (uint64 array; empty when unreachable).")
      .def(
          "scc",
          [](Handle& h, const std::vector<std::string>& labels,
             const std::vector<std::string>& edge_types, bool directed, const std::string& weight,
             int threads, py::object progress) {
            ComponentsOptions o;
            o.graph = ToProjection(labels, edge_types, directed, weight);
            PyProgress p{std::move(progress), std::nullopt};
            o.run = {threads, [&p](double f) { return p(f); }};
            std::vector<NodeId> out = p.Run([&] {
              return h.Run(
                  [&](const ReadTransaction& t) { return StronglyConnectedComponents(t, o); });
            });
            return ToArray(std::move(out));
          },
          NENDB_PROJECTION_ARGS, "Strongly connected components (as wcc).")
      .def(
          "k_core",
          [](Handle& h, const std::vector<std::string>& labels,
             const std::vector<std::string>& edge_types, bool directed, const std::string& weight,
             int threads, py::object progress) {
            ComponentsOptions o;
            o.graph = ToProjection(labels, edge_types, directed, weight);
            PyProgress p{std::move(progress), std::nullopt};
            o.run = {threads, [&p](double f) { return p(f); }};
            std::vector<int64_t> out = p.Run(
                [&] { return h.Run([&](const ReadTransaction& t) { return CoreNumbers(t, o); }); });
            return ToArray(std::move(out));
          },
          NENDB_PROJECTION_ARGS, "Core numbers (int64 by node id, -1 outside).")
      .def(
          "triangles",
          [](Handle& h, const std::vector<std::string>& labels,
             const std::vector<std::string>& edge_types, bool directed, const std::string& weight,
             int threads, py::object progress) {
            ComponentsOptions o;
            o.graph = ToProjection(labels, edge_types, directed, weight);
            PyProgress p{std::move(progress), std::nullopt};
            o.run = {threads, [&p](double f) { return p(f); }};
            TriangleCounts r = p.Run(
                [&] { return h.Run([&](const ReadTransaction& t) { return Triangles(t, o); }); });
            return py::make_tuple(ToArray(std::move(r.triangles)), ToArray(std::move(r.clustering)),
                                  r.total);
          },
          NENDB_PROJECTION_ARGS, "(triangles by node id, clustering by node id, total).")
      .def(
          "communities",
          [](Handle& h, const std::string& method, double resolution, uint64_t seed, int max_levels,
             int max_iterations, const std::vector<std::string>& labels,
             const std::vector<std::string>& edge_types, bool directed, const std::string& weight,
             int threads, py::object progress) {
            const CommunityMethod m = method == "louvain"  ? CommunityMethod::kLouvain
                                      : method == "leiden" ? CommunityMethod::kLeiden
                                                           : CommunityMethod::kLabelPropagation;
            CommunityOptions o;
            o.graph = ToProjection(labels, edge_types, directed, weight);
            o.resolution = resolution;
            o.seed = seed;
            o.max_levels = max_levels;
            o.max_iterations = max_iterations;
            PyProgress p{std::move(progress), std::nullopt};
            o.run = {threads, [&p](double f) { return p(f); }};
            Communities r = p.Run([&] {
              return h.Run([&](const ReadTransaction& t) { return DetectCommunities(t, m, o); });
            });
            return py::make_tuple(ToArray(std::move(r.community)), r.modularity, r.levels);
          },
          py::arg("method"), py::arg("resolution"), py::arg("seed"), py::arg("max_levels"),
          py::arg("max_iterations"), NENDB_PROJECTION_ARGS,
          "(community by node id, modularity, levels); method louvain, leiden or "
          "label_propagation.")
      .def(
          "modularity",
          [](Handle& h, py::handle community, double resolution,
             const std::vector<std::string>& labels, const std::vector<std::string>& edge_types,
             bool directed, const std::string& weight, int threads, py::object progress) {
            auto a = Exact<int64_t>(community, "labels");
            CommunityOptions o;
            o.graph = ToProjection(labels, edge_types, directed, weight);
            o.resolution = resolution;
            o.run.threads = threads;
            (void)progress;
            return h.Run([&](const ReadTransaction& t) {
              return Modularity(t, absl::MakeConstSpan(a.data(), a.size()), o);
            });
          },
          py::arg("community"), py::arg("resolution"), NENDB_PROJECTION_ARGS,
          "Modularity of a partition by node id.")
      .def(
          "betweenness",
          [](Handle& h, bool normalized, uint64_t samples, uint64_t seed,
             const std::vector<std::string>& labels, const std::vector<std::string>& edge_types,
             bool directed, const std::string& weight, int threads, py::object progress) {
            BetweennessOptions o;
            o.graph = ToProjection(labels, edge_types, directed, weight);
            o.normalized = normalized;
            o.samples = samples;
            o.seed = seed;
            PyProgress p{std::move(progress), std::nullopt};
            o.run = {threads, [&p](double f) { return p(f); }};
            std::vector<double> b = p.Run(
                [&] { return h.Run([&](const ReadTransaction& t) { return Betweenness(t, o); }); });
            return ToArray(std::move(b));
          },
          py::arg("normalized"), py::arg("samples"), py::arg("seed"), NENDB_PROJECTION_ARGS,
          "Betweenness by node id.");
}

#undef NENDB_PROJECTION_ARGS

}  // namespace nendb::python

#endif  // NENDB_PYTHON_ALGORITHMS_H_
