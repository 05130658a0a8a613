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

using Names = std::vector<std::string>;

// Every method ends with the projection and the run arguments, in this order.
#define NENDB_PROJECTION_ARGS                                                               \
  py::arg("labels") = Names(), py::arg("edge_types") = Names(), py::arg("directed") = true, \
  py::arg("weight") = "", py::arg("threads") = 0, py::arg("progress") = py::none()

// Fills o.graph and o.run from those arguments and runs kernel(txn, o) on the
// handle without the GIL; an exception raised by the progress callable is
// re-raised in place of the cancellation it caused.
template <typename Handle, typename Options, typename Kernel>
auto RunKernel(Handle& h, Options& o, const Names& labels, const Names& edge_types, bool directed,
               const std::string& weight, int threads, py::object progress, Kernel&& kernel) {
  o.graph = GraphProjection{labels, edge_types, directed, weight};
  PyProgress p{std::move(progress), std::nullopt};
  o.run = {threads, [&p](double f) { return p(f); }};
  return p.Run([&] { return h.Run([&](const ReadTransaction& t) { return kernel(t, o); }); });
}

template <typename Handle>
void DefineAlgorithms(py::class_<Handle>& cls) {
  cls.def(
         "bfs",
         [](Handle& h, py::handle source_array, int64_t max_depth, bool parents,
            const Names& labels, const Names& edge_types, bool directed, const std::string& weight,
            int threads, py::object progress) -> py::object {
           auto a = Exact<uint64_t>(source_array, "sources");
           const std::vector<NodeId> sources(a.data(), a.data() + a.size());
           BfsOptions o;
           o.max_depth = max_depth;
           BfsResult r = RunKernel(
               h, o, labels, edge_types, directed, weight, threads, std::move(progress),
               [&](const ReadTransaction& t, auto& opts) { return Bfs(t, sources, opts); });
           if (!parents) return ToArray(std::move(r.depth));
           return py::make_tuple(ToArray(std::move(r.depth)), ToArray(std::move(r.parent)));
         },
         py::arg("sources"), py::arg("max_depth") = -1, py::arg("parents") = false,
         NENDB_PROJECTION_ARGS,
         "Hop depths from the sources (int32 by node id, -1 unreached); parents: also the "
         "BFS tree (uint64, 2**64-1 unreached, a source its own parent).")
      .def(
          "k_hop",
          [](Handle& h, py::handle source_array, int64_t k, bool include_sources,
             const Names& labels, const Names& edge_types, bool directed, const std::string& weight,
             int threads, py::object progress) {
            auto a = Exact<uint64_t>(source_array, "sources");
            const std::vector<NodeId> sources(a.data(), a.data() + a.size());
            KHopOptions o;
            o.include_sources = include_sources;
            return ToArray(RunKernel(
                h, o, labels, edge_types, directed, weight, threads, std::move(progress),
                [&](const ReadTransaction& t, auto& opts) { return KHop(t, sources, k, opts); }));
          },
          py::arg("sources"), py::arg("k"), py::arg("include_sources") = false,
          NENDB_PROJECTION_ARGS, "Node ids at most k hops from the sources (uint64, sorted).")
      .def(
          "pagerank",
          [](Handle& h, double damping, double tolerance, int max_iterations, bool drop_dangling,
             py::handle personalization, const Names& labels, const Names& edge_types,
             bool directed, const std::string& weight, int threads, py::object progress) {
            PageRankOptions o;
            o.damping = damping;
            o.tolerance = tolerance;
            o.max_iterations = max_iterations;
            o.drop_dangling = drop_dangling;
            if (!personalization.is_none()) {
              auto a = Exact<double>(personalization, "personalization");
              o.personalization.assign(a.data(), a.data() + a.size());
            }
            PageRankResult r =
                RunKernel(h, o, labels, edge_types, directed, weight, threads, std::move(progress),
                          [](const ReadTransaction& t, auto& opts) { return PageRank(t, opts); });
            return py::make_tuple(ToArray(std::move(r.rank)), r.iterations, r.last_change);
          },
          py::arg("damping"), py::arg("tolerance"), py::arg("max_iterations"),
          py::arg("drop_dangling"), py::arg("personalization"), NENDB_PROJECTION_ARGS,
          "(ranks by node id, iterations, L1 change of the last round).")
      .def(
          "wcc",
          [](Handle& h, const Names& labels, const Names& edge_types, bool directed,
             const std::string& weight, int threads, py::object progress) {
            ComponentsOptions o;
            return ToArray(RunKernel(h, o, labels, edge_types, directed, weight, threads,
                                     std::move(progress), [](const ReadTransaction& t, auto& opts) {
                                       return WeaklyConnectedComponents(t, opts);
                                     }));
          },
          NENDB_PROJECTION_ARGS,
          "Weakly connected components: the smallest node id of each node's component "
          "(uint64 by node id, 2**64-1 outside the projection).")
      .def(
          "sssp",
          [](Handle& h, uint64_t source, double delta, const Names& labels, const Names& edge_types,
             bool directed, const std::string& weight, int threads, py::object progress) {
            SsspOptions o;
            o.delta = delta;
            return ToArray(RunKernel(h, o, labels, edge_types, directed, weight, threads,
                                     std::move(progress),
                                     [&](const ReadTransaction& t, auto& opts) {
                                       return ShortestDistances(t, source, opts);
                                     }));
          },
          py::arg("source"), py::arg("delta"), NENDB_PROJECTION_ARGS,
          "Distances from source (float64 by node id, inf unreached).")
      .def(
          "shortest_path",
          [](Handle& h, uint64_t from, uint64_t to, const Names& labels, const Names& edge_types,
             bool directed, const std::string& weight, int threads, py::object progress) {
            PathOptions o;
            return ToArray(RunKernel(h, o, labels, edge_types, directed, weight, threads,
                                     std::move(progress),
                                     [&](const ReadTransaction& t, auto& opts) {
                                       return ShortestPath(t, from, to, opts);
                                     }));
          },
          py::arg("source"), py::arg("target"), NENDB_PROJECTION_ARGS,
          "The node ids of one shortest path (uint64 array; empty when unreachable).")
      .def(
          "scc",
          [](Handle& h, const Names& labels, const Names& edge_types, bool directed,
             const std::string& weight, int threads, py::object progress) {
            ComponentsOptions o;
            return ToArray(RunKernel(h, o, labels, edge_types, directed, weight, threads,
                                     std::move(progress), [](const ReadTransaction& t, auto& opts) {
                                       return StronglyConnectedComponents(t, opts);
                                     }));
          },
          NENDB_PROJECTION_ARGS, "Strongly connected components (as wcc).")
      .def(
          "k_core",
          [](Handle& h, const Names& labels, const Names& edge_types, bool directed,
             const std::string& weight, int threads, py::object progress) {
            ComponentsOptions o;
            return ToArray(RunKernel(
                h, o, labels, edge_types, directed, weight, threads, std::move(progress),
                [](const ReadTransaction& t, auto& opts) { return CoreNumbers(t, opts); }));
          },
          NENDB_PROJECTION_ARGS, "Core numbers (int64 by node id, -1 outside).")
      .def(
          "triangles",
          [](Handle& h, const Names& labels, const Names& edge_types, bool directed,
             const std::string& weight, int threads, py::object progress) {
            ComponentsOptions o;
            TriangleCounts r =
                RunKernel(h, o, labels, edge_types, directed, weight, threads, std::move(progress),
                          [](const ReadTransaction& t, auto& opts) { return Triangles(t, opts); });
            return py::make_tuple(ToArray(std::move(r.triangles)), ToArray(std::move(r.clustering)),
                                  r.total);
          },
          NENDB_PROJECTION_ARGS, "(triangles by node id, clustering by node id, total).")
      .def(
          "communities",
          [](Handle& h, const std::string& method, double resolution, uint64_t seed, int max_levels,
             int max_iterations, const Names& labels, const Names& edge_types, bool directed,
             const std::string& weight, int threads, py::object progress) {
            const CommunityMethod m = method == "louvain"  ? CommunityMethod::kLouvain
                                      : method == "leiden" ? CommunityMethod::kLeiden
                                                           : CommunityMethod::kLabelPropagation;
            CommunityOptions o;
            o.resolution = resolution;
            o.seed = seed;
            o.max_levels = max_levels;
            o.max_iterations = max_iterations;
            Communities r =
                RunKernel(h, o, labels, edge_types, directed, weight, threads, std::move(progress),
                          [&](const ReadTransaction& t, auto& opts) {
                            return DetectCommunities(t, m, opts);
                          });
            return py::make_tuple(ToArray(std::move(r.community)), r.modularity, r.levels);
          },
          py::arg("method"), py::arg("resolution"), py::arg("seed"), py::arg("max_levels"),
          py::arg("max_iterations"), NENDB_PROJECTION_ARGS,
          "(community by node id, modularity, levels); method louvain, leiden or "
          "label_propagation.")
      .def(
          "modularity",
          [](Handle& h, py::handle community, double resolution, const Names& labels,
             const Names& edge_types, bool directed, const std::string& weight, int threads,
             py::object progress) {
            auto a = Exact<int64_t>(community, "labels");
            CommunityOptions o;
            o.resolution = resolution;
            return RunKernel(h, o, labels, edge_types, directed, weight, threads,
                             std::move(progress), [&](const ReadTransaction& t, auto& opts) {
                               return Modularity(t, absl::MakeConstSpan(a.data(), a.size()), opts);
                             });
          },
          py::arg("community"), py::arg("resolution"), NENDB_PROJECTION_ARGS,
          "Modularity of a partition by node id.")
      .def(
          "betweenness",
          [](Handle& h, bool normalized, uint64_t samples, uint64_t seed, const Names& labels,
             const Names& edge_types, bool directed, const std::string& weight, int threads,
             py::object progress) {
            BetweennessOptions o;
            o.normalized = normalized;
            o.samples = samples;
            o.seed = seed;
            return ToArray(RunKernel(
                h, o, labels, edge_types, directed, weight, threads, std::move(progress),
                [](const ReadTransaction& t, auto& opts) { return Betweenness(t, opts); }));
          },
          py::arg("normalized"), py::arg("samples"), py::arg("seed"), NENDB_PROJECTION_ARGS,
          "Betweenness by node id.");
}

#undef NENDB_PROJECTION_ARGS

}  // namespace nendb::python

#endif  // NENDB_PYTHON_ALGORITHMS_H_
