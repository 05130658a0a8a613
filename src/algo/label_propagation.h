// Community detection by label propagation (Raghavan, Albert, Kumara, "Near
// linear time algorithm to detect community structures in large-scale
// networks", Phys. Rev. E 2007), asynchronous and weighted.
//
// Every vertex starts with a label of its own. Each sweep visits the
// vertices in a fresh random order; a vertex takes the label carrying the
// largest total edge weight among its neighbours, keeps its own when that
// is one of the largest (the paper's stopping rule: the run ends with every
// vertex holding a label of maximal weight), and otherwise picks among the
// tied largest uniformly at random. Sums within a relative 1e-12 tie.
// Stops after a sweep that changes no label, or after max_iterations
// sweeps. Self-loops are ignored (a vertex is not its own neighbour); an
// isolated vertex keeps its label.
//
// The graph is taken as undirected and weighted (community.h): a directed
// graph is symmetrized, weights must be finite and non-negative. Serial,
// deterministic for a graph (its arc order included) and a seed:
// Control.threads is ignored; progress is reported, and cancellation
// checked, after every sweep. The result's modularity is at resolution 1,
// its `levels` the sweeps made.
//
// Thread-safe: reads the graph only.
#ifndef NENDB_ALGO_LABEL_PROPAGATION_H_
#define NENDB_ALGO_LABEL_PROPAGATION_H_

#include <cstdint>

#include "absl/status/statusor.h"
#include "algo/community.h"
#include "algo/control.h"
#include "algo/graph.h"

namespace nendb::algo {

struct LabelPropagationOptions {
  uint64_t seed = 0;
  int max_iterations = 100;  // sweeps at most; >= 0
};

// InvalidArgument for a negative max_iterations or a negative or
// non-finite weight; Cancelled when control.progress says so.
absl::StatusOr<CommunityResult> LabelPropagation(const Graph& g, const LabelPropagationOptions& o,
                                                 const Control& control);

}  // namespace nendb::algo

#endif  // NENDB_ALGO_LABEL_PROPAGATION_H_
