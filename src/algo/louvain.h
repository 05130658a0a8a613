// Community detection by modularity, the Louvain method (Blondel,
// Guillaume, Lambiotte, Lefebvre, "Fast unfolding of communities in large
// networks", J. Stat. Mech. 2008).
//
// Each level starts from every node in a community of its own and moves
// nodes, one at a time in a random order (shuffled once per level), to the
// neighbouring community that raises modularity the most (a node stays put
// unless a move gains more than a relative 1e-12; among equal gains it
// stays, or goes to the community its arcs reach first), pass after pass
// until a pass moves nothing; the communities then become the nodes of a weighted graph (edge
// weights summed, internal weight a self-loop) for the next level. Stops
// when a level moves no node, or after max_levels levels.
//
// The graph is taken as undirected and weighted (community.h, modularity.h):
// a directed graph is symmetrized, weights must be finite and non-negative.
// Serial, so the result depends only on the graph (its arc order included)
// and the seed: Control.threads is ignored; progress is reported, and
// cancellation checked, after every pass. Scaling every weight by a power of
// two changes nothing (every gain scales exactly).
//
// Thread-safe: reads the graph only.
#ifndef NENDB_ALGO_LOUVAIN_H_
#define NENDB_ALGO_LOUVAIN_H_

#include "absl/status/statusor.h"
#include "algo/community.h"
#include "algo/control.h"
#include "algo/graph.h"

namespace nendb::algo {

// InvalidArgument for a negative or non-finite resolution, max_levels < 1,
// or a negative or non-finite weight; Cancelled when control.progress says
// so. levels: the aggregations made (0 when no node moved).
absl::StatusOr<CommunityResult> Louvain(const Graph& g, const CommunityOptions& o,
                                        const Control& control);

}  // namespace nendb::algo

#endif  // NENDB_ALGO_LOUVAIN_H_
