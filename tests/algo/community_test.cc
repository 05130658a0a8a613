// Modularity, Louvain, Leiden and label propagation.
#include "algo/community.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>
#include <random>
#include <vector>

#include "algo/generate.h"
#include "algo/label_propagation.h"
#include "algo/leiden.h"
#include "algo/louvain.h"
#include "algo/modularity.h"
#include "algo/wcc.h"
#include "gtest/gtest.h"
#include "test_util.h"

namespace nendb::algo {
namespace {

using Partition = std::vector<uint32_t>;

struct Edge {
  Vid u, v;
  float w;
};

std::shared_ptr<const Graph> FromEdges(Vid n, const std::vector<Edge>& edges, bool weighted,
                                       bool directed = false, float scale = 1) {
  std::vector<Vid> s, t;
  std::vector<float> w;
  for (const Edge& e : edges) {
    s.push_back(e.u);
    t.push_back(e.v);
    if (weighted) w.push_back(e.w * scale);
  }
  return Graph::FromArcs(n, s, t, w, directed);
}

// Zachary's karate club, examples/data/karate_edges.csv (78 edges, with the
// interaction counts as weights), and the split of the club from
// examples/data/karate_members.csv (0: Mr. Hi, 1: Officer).
const std::vector<Edge>& KarateEdges() {
  static const auto* edges = new std::vector<Edge>{
      {0, 1, 4},   {0, 2, 5},   {0, 3, 3},   {0, 4, 3},   {0, 5, 3},   {0, 6, 3},   {0, 7, 2},
      {0, 8, 2},   {0, 10, 2},  {0, 11, 3},  {0, 12, 1},  {0, 13, 3},  {0, 17, 2},  {0, 19, 2},
      {0, 21, 2},  {0, 31, 2},  {1, 2, 6},   {1, 3, 3},   {1, 7, 4},   {1, 13, 5},  {1, 17, 1},
      {1, 19, 2},  {1, 21, 2},  {1, 30, 2},  {2, 3, 3},   {2, 7, 4},   {2, 8, 5},   {2, 9, 1},
      {2, 13, 3},  {2, 27, 2},  {2, 28, 2},  {2, 32, 2},  {3, 7, 3},   {3, 12, 3},  {3, 13, 3},
      {4, 6, 2},   {4, 10, 3},  {5, 6, 5},   {5, 10, 3},  {5, 16, 3},  {6, 16, 3},  {8, 30, 3},
      {8, 32, 3},  {8, 33, 4},  {9, 33, 2},  {13, 33, 3}, {14, 32, 3}, {14, 33, 2}, {15, 32, 3},
      {15, 33, 4}, {18, 32, 1}, {18, 33, 2}, {19, 33, 1}, {20, 32, 3}, {20, 33, 1}, {22, 32, 2},
      {22, 33, 3}, {23, 25, 5}, {23, 27, 4}, {23, 29, 3}, {23, 32, 5}, {23, 33, 4}, {24, 25, 2},
      {24, 27, 3}, {24, 31, 2}, {25, 31, 7}, {26, 29, 4}, {26, 33, 2}, {27, 33, 4}, {28, 31, 2},
      {28, 33, 2}, {29, 32, 4}, {29, 33, 2}, {30, 32, 3}, {30, 33, 3}, {31, 32, 4}, {31, 33, 4},
      {32, 33, 5}};
  return *edges;
}
const Partition kKarateClub = {0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 1, 0,
                               0, 1, 0, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1};

std::shared_ptr<const Graph> Karate(bool weighted = false, bool directed = false, float scale = 1) {
  return FromEdges(34, KarateEdges(), weighted, directed, scale);
}

// Two triangles 0-1-2 and 3-4-5 joined by the edge 2-3.
std::shared_ptr<const Graph> TwoTriangles(bool directed = false) {
  return FromEdges(6, {{0, 1, 1}, {1, 2, 1}, {0, 2, 1}, {3, 4, 1}, {4, 5, 1}, {3, 5, 1}, {2, 3, 1}},
                   false, directed);
}

// A planted partition: `groups` groups of `size` consecutive vertices, each
// pair joined with probability p_in inside a group, p_out across.
std::shared_ptr<const Graph> Planted(int groups, int size, double p_in, double p_out, uint64_t seed,
                                     Partition* truth) {
  std::mt19937_64 rng(seed);
  const Vid n = static_cast<Vid>(groups * size);
  std::vector<Vid> s, t;
  for (Vid u = 0; u < n; ++u) {
    for (Vid v = u + 1; v < n; ++v) {
      const double p = u / size == v / size ? p_in : p_out;
      if (UniformReal(rng) < p) {
        s.push_back(u);
        t.push_back(v);
      }
    }
  }
  truth->resize(n);
  for (Vid v = 0; v < n; ++v) (*truth)[v] = v / size;
  return Graph::FromArcs(n, s, t, {}, false);
}

// Normalized mutual information, arithmetic normalization (sklearn's
// default): 2 I(a; b) / (H(a) + H(b)); 1 when both are a single community.
double Nmi(const Partition& a, const Partition& b) {
  const double n = static_cast<double>(a.size());
  std::map<uint32_t, double> pa, pb;
  std::map<std::pair<uint32_t, uint32_t>, double> pab;
  for (size_t i = 0; i < a.size(); ++i) {
    pa[a[i]] += 1 / n;
    pb[b[i]] += 1 / n;
    pab[{a[i], b[i]}] += 1 / n;
  }
  double ha = 0, hb = 0, mi = 0;
  for (auto [c, p] : pa) ha -= p * std::log(p);
  for (auto [c, p] : pb) hb -= p * std::log(p);
  for (auto [cc, p] : pab) mi += p * std::log(p / (pa[cc.first] * pb[cc.second]));
  return ha + hb == 0 ? 1.0 : 2 * mi / (ha + hb);
}

// The largest modularity gain (times 2m, in edge weight) a single vertex
// move to a neighbouring or an empty community would make.
double BestSingleMove(const Graph& g, const Partition& c, double resolution) {
  const CommunityGraph cg = CommunityGraph::From(g).value();
  std::vector<double> tot(cg.size(), 0.0);
  for (uint32_t v = 0; v < cg.size(); ++v) tot[c[v]] += cg.strength[v];
  const double scale = resolution / cg.total;
  double best = 0;
  for (uint32_t v = 0; v < cg.size(); ++v) {
    std::map<uint32_t, double> to;
    for (uint64_t i = cg.offsets[v]; i < cg.offsets[v + 1]; ++i)
      to[c[cg.targets[i]]] += cg.weights[i];
    const double kv = cg.strength[v];
    const double stay = to[c[v]] - scale * kv * (tot[c[v]] - kv);
    best = std::max(best, 0 - stay);  // to an empty community
    for (auto [d, w] : to) {
      if (d != c[v]) best = std::max(best, w - scale * kv * tot[d] - stay);
    }
  }
  return best;
}

using Kernel = absl::StatusOr<CommunityResult> (*)(const Graph&, const CommunityOptions&,
                                                   const Control&);
absl::StatusOr<CommunityResult> RunLabelPropagation(const Graph& g, const CommunityOptions& o,
                                                    const Control& c) {
  LabelPropagationOptions lp;
  lp.seed = o.seed;
  return LabelPropagation(g, lp, c);
}
const std::vector<std::pair<const char*, Kernel>>& Kernels() {
  static const auto* k = new std::vector<std::pair<const char*, Kernel>>{
      {"louvain", &Louvain}, {"leiden", &Leiden}, {"label propagation", &RunLabelPropagation}};
  return *k;
}

TEST(ModularityTest, TwoTrianglesByHand) {
  // m = 7, strengths 2 2 3 3 2 2 (2m = 14). The two triangles: each holds
  // 3 edges (in = 6 of the 14) and strength 7, so
  //   Q = 2 (6/14 - (7/14)^2) = 6/7 - 1/2 = 5/14;
  // at resolution 2: 6/7 - 2 * 2 (1/2)^2 = -1/7. Everything in one
  // community: 14/14 - 1 = 0. Singletons: -(4 * 2^2 + 2 * 3^2) / 14^2 = -17/98.
  for (bool directed : {false, true}) {  // one arc per edge: the same undirected graph
    auto g = TwoTriangles(directed);
    const Partition halves = {0, 0, 0, 1, 1, 1}, one(6, 0), alone = {0, 1, 2, 3, 4, 5};
    NENDB_ASSERT_OK_AND_ASSIGN(double q, Modularity(*g, halves, 1.0));
    EXPECT_NEAR(q, 5.0 / 14, 1e-15);
    NENDB_ASSERT_OK_AND_ASSIGN(q, Modularity(*g, halves, 2.0));
    EXPECT_NEAR(q, -1.0 / 7, 1e-15);
    NENDB_ASSERT_OK_AND_ASSIGN(q, Modularity(*g, one, 1.0));
    EXPECT_NEAR(q, 0.0, 1e-15);
    NENDB_ASSERT_OK_AND_ASSIGN(q, Modularity(*g, alone, 1.0));
    EXPECT_NEAR(q, -17.0 / 98, 1e-15);
    // Labels are only names.
    NENDB_ASSERT_OK_AND_ASSIGN(q, Modularity(*g, Partition{5, 5, 5, 2, 2, 2}, 1.0));
    EXPECT_NEAR(q, 5.0 / 14, 1e-15);
  }
  // Arcs both ways in a directed graph: every edge twice, the same Q.
  const std::vector<Vid> s = {0, 1, 1, 2, 0, 2, 3, 4, 4, 5, 3, 5, 2, 3},
                         t = {1, 0, 2, 1, 2, 0, 4, 3, 5, 4, 5, 3, 3, 2};
  auto both = Graph::FromArcs(6, s, t, {}, true);
  NENDB_ASSERT_OK_AND_ASSIGN(double q, Modularity(*both, Partition{0, 0, 0, 1, 1, 1}, 1.0));
  EXPECT_NEAR(q, 5.0 / 14, 1e-15);
}

TEST(ModularityTest, SelfLoopsAddTwiceTheirWeightAsInIgraph) {
  // Triangle 0-1-2, a loop 0-0, an edge 3-4: m = 5, strengths 4 2 2 1 1
  // (the loop counts twice, as in igraph). {0,1,2}: in = 6 + 2 = 8, K = 8;
  // {3,4}: in = 2, K = 2. Q = 8/10 - 0.64 + 2/10 - 0.04 = 0.32 (igraph:
  // 0.31999999999999984). With the loop weighing 3: m = 7, K = 12 and 2,
  // Q = 1 - (144 + 4)/196 = 12/49 (igraph 0.24489795918367355).
  const std::vector<Edge> edges = {{0, 1, 1}, {1, 2, 1}, {0, 2, 1}, {0, 0, 3}, {3, 4, 1}};
  const Partition p = {0, 0, 0, 1, 1};
  for (bool directed : {false, true}) {  // undirected: the loop listed once; directed: out + in
    NENDB_ASSERT_OK_AND_ASSIGN(double q, Modularity(*FromEdges(5, edges, false, directed), p, 1));
    EXPECT_NEAR(q, 0.32, 1e-15);
    NENDB_ASSERT_OK_AND_ASSIGN(q, Modularity(*FromEdges(5, edges, true, directed), p, 1));
    EXPECT_NEAR(q, 12.0 / 49, 1e-15);
    // Singletons, unweighted: -(16 + 4 + 4 + 1 + 1) / 100 + loop 2/10 = -0.06 (igraph the same).
    NENDB_ASSERT_OK_AND_ASSIGN(
        q, Modularity(*FromEdges(5, edges, false, directed), Partition{0, 1, 2, 3, 4}, 1));
    EXPECT_NEAR(q, -0.06, 1e-15);
  }
}

TEST(ModularityTest, KarateClubSplitMatchesIgraph) {
  // igraph 0.11: Graph.modularity(club, weights, resolution).
  NENDB_ASSERT_OK_AND_ASSIGN(double q, Modularity(*Karate(), kKarateClub, 1));
  EXPECT_NEAR(q, 0.3582347140039448, 1e-13);
  NENDB_ASSERT_OK_AND_ASSIGN(q, Modularity(*Karate(true), kKarateClub, 1));
  EXPECT_NEAR(q, 0.39143756676224206, 1e-13);
  NENDB_ASSERT_OK_AND_ASSIGN(q, Modularity(*Karate(), kKarateClub, 0.5));
  EXPECT_NEAR(q, 0.6086045364891519, 1e-13);
}

TEST(ModularityTest, BadInputAndEmptyGraphs) {
  auto g = TwoTriangles();
  EXPECT_ERROR_KIND(Modularity(*g, Partition{0, 0, 0}, 1), kInvalidArgument);
  EXPECT_ERROR_KIND(Modularity(*g, Partition{0, 0, 0, 1, 1, 6}, 1), kInvalidArgument);
  EXPECT_ERROR_KIND(Modularity(*g, Partition{0, 0, 0, 1, 1, 1}, -1), kInvalidArgument);
  EXPECT_ERROR_KIND(Modularity(*g, Partition{0, 0, 0, 1, 1, 1}, std::nan("")), kInvalidArgument);
  EXPECT_ERROR_KIND(Modularity(*FromEdges(2, {{0, 1, -1}}, true), Partition{0, 0}, 1),
                    kInvalidArgument);
  // No edge weight: 0 (igraph says NaN).
  NENDB_ASSERT_OK_AND_ASSIGN(double q, Modularity(*FromEdges(0, {}, false), Partition{}, 1));
  EXPECT_EQ(q, 0);
  NENDB_ASSERT_OK_AND_ASSIGN(q, Modularity(*FromEdges(3, {}, false), Partition{0, 1, 1}, 1));
  EXPECT_EQ(q, 0);
  NENDB_ASSERT_OK_AND_ASSIGN(q, Modularity(*FromEdges(2, {{0, 1, 0}}, true), Partition{0, 1}, 1));
  EXPECT_EQ(q, 0);
}

TEST(CommunityTest, AggregationKeepsModularity) {
  NENDB_ASSERT_OK_AND_ASSIGN(auto cg, CommunityGraph::From(*Karate(true)));
  EXPECT_EQ(cg.total, 2 * 231.0);  // the weights sum to 231
  Partition club = kKarateClub;
  const uint32_t k = Relabel(club);
  ASSERT_EQ(k, 2u);
  const CommunityGraph a = Aggregate(cg, club, k);
  ASSERT_EQ(a.size(), 2u);
  EXPECT_EQ(a.total, cg.total);
  EXPECT_EQ(a.strength[0] + a.strength[1], cg.total);
  ASSERT_EQ(a.offsets[1], 1u);  // one entry each way: the weight across the split
  EXPECT_EQ(a.weights[0], a.weights[1]);
  EXPECT_EQ(a.self_weight[0] + a.self_weight[1] + 2 * a.weights[0], cg.total);
  // Modularity of the two-node graph's singletons = the club split's.
  double q = 0;
  for (uint32_t c = 0; c < 2; ++c) {
    q += a.self_weight[c] / a.total - std::pow(a.strength[c] / a.total, 2);
  }
  EXPECT_NEAR(q, 0.39143756676224206, 1e-13);
}

TEST(CommunityTest, RelabelNumbersBySmallestMember) {
  Partition p = {7, 7, 3, 9, 3, 4000000000u};
  EXPECT_EQ(Relabel(p), 4u);
  EXPECT_EQ(p, (Partition{0, 0, 1, 2, 1, 3}));
}

TEST(LouvainTest, Karate) {
  for (uint64_t seed = 0; seed < 10; ++seed) {
    CommunityOptions o;
    o.seed = seed;
    NENDB_ASSERT_OK_AND_ASSIGN(auto r, Louvain(*Karate(), o, {}));
    EXPECT_GE(r.modularity, 0.41) << seed;
    EXPECT_GE(r.levels, 1);
    NENDB_EXPECT_OK(VerifyCommunityResult(*Karate(), r, 1.0));
    NENDB_ASSERT_OK_AND_ASSIGN(double q, Modularity(*Karate(), r.community, 1.0));
    EXPECT_EQ(r.modularity, q);
  }
}

TEST(LeidenTest, KarateReachesTheOptimumWithConnectedCommunities) {
  double best = 0;
  for (uint64_t seed = 0; seed < 10; ++seed) {
    CommunityOptions o;
    o.seed = seed;
    NENDB_ASSERT_OK_AND_ASSIGN(auto r, Leiden(*Karate(), o, {}));
    EXPECT_GE(r.modularity, 0.41) << seed;
    NENDB_EXPECT_OK(VerifyCommunityResult(*Karate(), r, 1.0));
    NENDB_ASSERT_OK_AND_ASSIGN(double q, Modularity(*Karate(), r.community, 1.0));
    EXPECT_EQ(r.modularity, q);
    NENDB_EXPECT_OK(VerifyConnectedCommunities(*Karate(), r.community));
    // Run to a fixed point: no single vertex move helps.
    EXPECT_LT(BestSingleMove(*Karate(), r.community, 1.0), 1e-9) << seed;
    best = std::max(best, r.modularity);
  }
  EXPECT_NEAR(best, 0.4197896120973044, 1e-12);  // the optimum (Brandes et al. 2008)
}

TEST(LeidenTest, CommunitiesAreConnected) {
  Partition truth;
  std::vector<std::shared_ptr<const Graph>> graphs = {
      Planted(8, 50, 0.3, 0.01, 1, &truth), ToGraph(Kronecker(10, 8, 3), false),
      ToGraph(Kronecker(10, 8, 3, true), true), ToGraph(UniformRandom(2000, 3000, 5), false)};
  for (const auto& g : graphs) {
    for (double resolution : {0.5, 1.0, 2.0}) {
      CommunityOptions o;
      o.resolution = resolution;
      NENDB_ASSERT_OK_AND_ASSIGN(auto r, Leiden(*g, o, {}));
      NENDB_EXPECT_OK(VerifyCommunityResult(*g, r, resolution));
      NENDB_EXPECT_OK(VerifyConnectedCommunities(*g, r.community));
      if (r.levels < o.max_levels) {  // converged: no single vertex move helps
        EXPECT_LT(BestSingleMove(*g, r.community, resolution), 1e-9);
      }
      // Capped after one level: still connected.
      o.max_levels = 1;
      NENDB_ASSERT_OK_AND_ASSIGN(r, Leiden(*g, o, {}));
      EXPECT_LE(r.levels, 1);
      NENDB_EXPECT_OK(VerifyCommunityResult(*g, r, resolution));
      NENDB_EXPECT_OK(VerifyConnectedCommunities(*g, r.community));
    }
  }
}

TEST(CommunityTest, PlantedPartitionIsRecovered) {
  // 8 groups of 50, p_in 0.3, p_out 0.01: every vertex has ~15 neighbours in
  // its group and ~3.5 outside. Louvain and Leiden must find the groups
  // with NMI > 0.95 (in practice exactly); label propagation a valid
  // partition with modularity > 0.3.
  for (uint64_t seed : {1, 2, 3}) {
    Partition truth;
    auto g = Planted(8, 50, 0.3, 0.01, seed, &truth);
    NENDB_ASSERT_OK_AND_ASSIGN(double planted, Modularity(*g, truth, 1.0));
    for (Kernel kernel : {&Louvain, &Leiden}) {
      CommunityOptions o;
      o.seed = seed;
      NENDB_ASSERT_OK_AND_ASSIGN(auto r, kernel(*g, o, {}));
      NENDB_EXPECT_OK(VerifyCommunityResult(*g, r, 1.0));
      EXPECT_GT(Nmi(r.community, truth), 0.95) << seed;
      EXPECT_GE(r.modularity, planted - 1e-9) << seed;
    }
    LabelPropagationOptions lp;
    lp.seed = seed;
    NENDB_ASSERT_OK_AND_ASSIGN(auto r, LabelPropagation(*g, lp, {}));
    NENDB_EXPECT_OK(VerifyCommunityResult(*g, r, 1.0));
    EXPECT_GT(r.modularity, 0.3) << seed;
    EXPECT_LT(r.levels, lp.max_iterations);
  }
}

TEST(CommunityTest, SameSeedSameResult) {
  auto g = ToGraph(Kronecker(11, 8, 7, true), false);
  for (const auto& [name, kernel] : Kernels()) {
    CommunityOptions o;
    o.seed = 42;
    NENDB_ASSERT_OK_AND_ASSIGN(auto a, kernel(*g, o, {}));
    NENDB_ASSERT_OK_AND_ASSIGN(auto b, kernel(*g, o, {}));
    EXPECT_EQ(a.community, b.community) << name;
    EXPECT_EQ(a.modularity, b.modularity) << name;
    EXPECT_EQ(a.levels, b.levels) << name;
    NENDB_EXPECT_OK(VerifyCommunityResult(*g, a, 1.0));
  }
}

TEST(CommunityTest, EmptyIsolatedAndSelfLoops) {
  for (const auto& [name, kernel] : Kernels()) {
    NENDB_ASSERT_OK_AND_ASSIGN(auto r, kernel(*FromEdges(0, {}, false), {}, {}));
    EXPECT_TRUE(r.community.empty()) << name;
    EXPECT_EQ(r.modularity, 0) << name;
    // Isolated vertices: each its own community.
    NENDB_ASSERT_OK_AND_ASSIGN(r, kernel(*FromEdges(5, {}, false), {}, {}));
    EXPECT_EQ(r.community, (Partition{0, 1, 2, 3, 4})) << name;
    EXPECT_EQ(r.modularity, 0) << name;
    // Only self-loops: nothing to join.
    const std::vector<Edge> loops = {{0, 0, 1}, {1, 1, 2}, {2, 2, 1}};
    for (bool directed : {false, true}) {
      NENDB_ASSERT_OK_AND_ASSIGN(r, kernel(*FromEdges(3, loops, true, directed), {}, {}));
      EXPECT_EQ(r.community, (Partition{0, 1, 2})) << name;
      NENDB_EXPECT_OK(VerifyCommunityResult(*FromEdges(3, loops, true, directed), r, 1.0));
    }
    // Two triangles with loops and two isolated vertices (6 and 7): the
    // triangles are the communities (label propagation may merge them), the
    // isolated vertices alone.
    std::vector<Edge> edges = {{0, 1, 1}, {1, 2, 1}, {0, 2, 1}, {3, 4, 1}, {4, 5, 1},
                               {3, 5, 1}, {2, 3, 1}, {0, 0, 1}, {4, 4, 1}};
    auto g = FromEdges(8, edges, false);
    NENDB_ASSERT_OK_AND_ASSIGN(r, kernel(*g, {}, {}));
    NENDB_EXPECT_OK(VerifyCommunityResult(*g, r, 1.0));
    if (kernel != &RunLabelPropagation) {
      EXPECT_EQ(r.community, (Partition{0, 0, 0, 1, 1, 1, 2, 3})) << name;
    } else {
      EXPECT_EQ(r.community[6] + 1, r.community[7]) << name;
      EXPECT_NE(r.community[5], r.community[6]) << name;
    }
  }
}

TEST(LouvainTest, DoublingEveryWeightChangesNothing) {
  std::vector<std::pair<std::shared_ptr<const Graph>, std::shared_ptr<const Graph>>> pairs = {
      {Karate(true), Karate(true, false, 2)}};
  EdgeList e = Kronecker(11, 8, 9, true);
  pairs.push_back({ToGraph(e, false), nullptr});
  for (float& w : e.weights) w *= 2;
  pairs.back().second = ToGraph(e, false);
  for (const auto& [g, doubled] : pairs) {
    for (uint64_t seed : {0, 1, 2}) {
      CommunityOptions o;
      o.seed = seed;
      NENDB_ASSERT_OK_AND_ASSIGN(auto a, Louvain(*g, o, {}));
      NENDB_ASSERT_OK_AND_ASSIGN(auto b, Louvain(*doubled, o, {}));
      EXPECT_EQ(a.community, b.community);
      EXPECT_EQ(a.levels, b.levels);
      EXPECT_NEAR(a.modularity, b.modularity, 1e-12);
    }
  }
  // The weights matter: on the weighted karate graph Louvain finds a
  // different optimum from the unweighted one.
  NENDB_ASSERT_OK_AND_ASSIGN(auto w, Louvain(*Karate(true), {}, {}));
  NENDB_EXPECT_OK(VerifyCommunityResult(*Karate(true), w, 1.0));
  EXPECT_GT(w.modularity, 0.4);
}

TEST(CommunityTest, DirectedGraphsAreSymmetrized) {
  // Karate with one arc per edge is the undirected graph: the modularity of
  // any partition is the same, and so is what the kernels reach.
  for (const auto& [name, kernel] : Kernels()) {
    NENDB_ASSERT_OK_AND_ASSIGN(auto r, kernel(*Karate(false, true), {}, {}));
    NENDB_EXPECT_OK(VerifyCommunityResult(*Karate(false, true), r, 1.0));
    NENDB_ASSERT_OK_AND_ASSIGN(double q, Modularity(*Karate(), r.community, 1.0));
    EXPECT_NEAR(q, r.modularity, 1e-12) << name;
    if (kernel != &RunLabelPropagation) {
      EXPECT_GE(r.modularity, 0.41) << name;
    }
  }
}

TEST(CommunityTest, Resolution) {
  // Resolution 0: every connected component one community; a large one
  // splits more.
  auto g = ToGraph(UniformRandom(500, 400, 11), false);
  NENDB_ASSERT_OK_AND_ASSIGN(Partition components, Wcc(*g, {}));
  Relabel(components);
  for (Kernel kernel : {&Louvain, &Leiden}) {
    NENDB_ASSERT_OK_AND_ASSIGN(auto r, kernel(*g, CommunityOptions{.resolution = 0}, {}));
    NENDB_EXPECT_OK(VerifyCommunityResult(*g, r, 0));
    EXPECT_EQ(r.community, components);
    EXPECT_NEAR(r.modularity, 1.0, 1e-12);
  }
  auto karate = Karate();
  NENDB_ASSERT_OK_AND_ASSIGN(auto one, Louvain(*karate, {}, {}));
  NENDB_ASSERT_OK_AND_ASSIGN(auto three, Louvain(*karate, CommunityOptions{.resolution = 3}, {}));
  NENDB_EXPECT_OK(VerifyCommunityResult(*karate, three, 3));
  EXPECT_GT(*std::max_element(three.community.begin(), three.community.end()),
            *std::max_element(one.community.begin(), one.community.end()));
}

TEST(CommunityTest, CancelledThroughProgress) {
  Control stop;
  stop.progress = [](double) { return false; };
  auto g = Karate();
  for (const auto& [name, kernel] : Kernels()) {
    EXPECT_ERROR_KIND(kernel(*g, {}, stop), kCancelled);
    // And late: the third report.
    int calls = 0;
    Control later;
    later.progress = [&](double f) {
      EXPECT_GE(f, 0);
      EXPECT_LE(f, 1);
      return ++calls < 3;
    };
    EXPECT_ERROR_KIND(kernel(*g, {}, later), kCancelled);
    EXPECT_EQ(calls, 3) << name;
  }
}

TEST(CommunityTest, BadInput) {
  auto g = Karate();
  auto negative = FromEdges(3, {{0, 1, 1}, {1, 2, -1}}, true);
  for (Kernel kernel : {&Louvain, &Leiden}) {
    EXPECT_ERROR_KIND(kernel(*g, CommunityOptions{.resolution = -1}, {}), kInvalidArgument);
    EXPECT_ERROR_KIND(kernel(*g, CommunityOptions{.resolution = INFINITY}, {}), kInvalidArgument);
    EXPECT_ERROR_KIND(kernel(*g, CommunityOptions{.max_levels = 0}, {}), kInvalidArgument);
    EXPECT_ERROR_KIND(kernel(*negative, {}, {}), kInvalidArgument);
  }
  EXPECT_ERROR_KIND(LabelPropagation(*g, LabelPropagationOptions{.max_iterations = -1}, {}),
                    kInvalidArgument);
  EXPECT_ERROR_KIND(LabelPropagation(*negative, {}, {}), kInvalidArgument);
  // No sweep: singletons.
  NENDB_ASSERT_OK_AND_ASSIGN(
      auto r, LabelPropagation(*g, LabelPropagationOptions{.max_iterations = 0}, {}));
  Partition alone(34);
  std::iota(alone.begin(), alone.end(), 0);
  EXPECT_EQ(r.community, alone);
}

}  // namespace
}  // namespace nendb::algo
