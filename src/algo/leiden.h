// Community detection by modularity, the Leiden algorithm (Traag, Waltman,
// van Eck, "From Louvain to Leiden: guaranteeing well-connected
// communities", Sci. Rep. 2019), optimizing modularity (not CPM).
//
// Each level: (1) fast local moving: a queue, first every node in a random
// order; a node taken off it moves to the community (a neighbouring one, or
// an empty one) that raises modularity the most, if that gains more than a
// relative 1e-12, and its neighbours outside the new community go back on
// the queue; (2) refinement: within each community S, from singletons, every
// node v still alone and well connected to S (E(v, S - v) >= gamma k(v)
// (K(S) - k(v)) / 2m) joins a well-connected subcommunity C of S, or stays,
// at random with probability ~ exp(dH / theta) among the choices with
// dH >= 0, dH = E(v, C) - gamma k(v) K(C) / 2m measured in edge weight as in
// the authors' implementations (networkanalysis, igraph), theta = 0.01 as in
// the paper: greedy between choices an edge of weight 1 apart, random among
// near ties; (3) aggregation of the refined subcommunities, each becoming a
// node that starts in the community of (1) it lies in. Stops when (1)
// leaves every node in a community of its own. (When refinement merges
// nothing, as igraph does, the level aggregates the communities of (1)
// instead, split into their connected parts so that nodes stay connected.)
//
// The whole algorithm is then run again from its own result, as the paper
// suggests, until a run changes nothing: the result is a partition where no
// single vertex move raises modularity (beyond the 1e-12). max_levels caps
// the aggregation levels of all runs together; a community that a cap left
// disconnected is split into its connected parts, so communities are always
// connected (VerifyConnectedCommunities). Each run costs about a Louvain
// level on the whole graph; where structure is weak the runs keep finding
// small gains up to the cap (a Kronecker graph of scale 16: 100 levels,
// 2.8 s, modularity 0.0886, against 0.26 s and 0.0794 for Louvain; a
// max_levels of 4, one run, gives 0.0816 in 0.3 s).
//
// The graph is taken as undirected and weighted (community.h, modularity.h).
// Serial, deterministic for a graph (its arc order included) and a seed:
// Control.threads is ignored; progress is reported, and cancellation
// checked, after every local moving phase.
//
// Thread-safe: reads the graph only.
#ifndef NENDB_ALGO_LEIDEN_H_
#define NENDB_ALGO_LEIDEN_H_

#include "absl/status/statusor.h"
#include "algo/community.h"
#include "algo/control.h"
#include "algo/graph.h"

namespace nendb::algo {

// InvalidArgument for a negative or non-finite resolution, max_levels < 1,
// or a negative or non-finite weight; Cancelled when control.progress says
// so. levels: the aggregations made over all runs.
absl::StatusOr<CommunityResult> Leiden(const Graph& g, const CommunityOptions& o,
                                       const Control& control);

}  // namespace nendb::algo

#endif  // NENDB_ALGO_LEIDEN_H_
