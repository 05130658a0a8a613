#include "algo/modularity.h"

#include <vector>

#include "absl/strings/str_cat.h"
#include "algo/community.h"

namespace nendb::algo {

absl::StatusOr<double> Modularity(const Graph& g, absl::Span<const uint32_t> community,
                                  double resolution) {
  const Vid n = g.num_vertices();
  if (community.size() != n) {
    return absl::InvalidArgumentError(absl::StrCat("the community vector has ", community.size(),
                                                   " entries for ", n, " vertices"));
  }
  for (Vid v = 0; v < n; ++v) {
    if (community[v] >= n) {
      return absl::InvalidArgumentError(
          absl::StrCat("vertex ", v, " is in community ", community[v], ", not below ", n));
    }
  }
  if (absl::Status s = CheckResolution(resolution); !s.ok()) return s;
  if (absl::Status s = CheckCommunityWeights(g); !s.ok()) return s;
  std::vector<double> inside(n, 0.0), strength(n, 0.0);
  const Arcs& out = g.out();
  const bool directed = g.directed();
  for (Vid u = 0; u < n; ++u) {
    const uint32_t cu = community[u];
    for (uint64_t i = out.offsets[u]; i < out.offsets[u + 1]; ++i) {
      const Vid v = out.targets[i];
      const double w = out.weights == nullptr ? 1.0 : out.weights[i];
      const uint32_t cv = community[v];
      if (directed) {
        // The arc as an undirected edge: A[u][v] and A[v][u] (2w on u == v).
        strength[cu] += w;
        strength[cv] += w;
        if (cu == cv) inside[cu] += 2 * w;
      } else if (u == v) {
        strength[cu] += 2 * w;  // listed once
        inside[cu] += 2 * w;
      } else {
        strength[cu] += w;  // the other direction is v's arc
        if (cu == cv) inside[cu] += w;
      }
    }
  }
  double total = 0;
  for (double k : strength) total += k;
  if (total == 0) return 0.0;
  double q = 0;
  for (Vid c = 0; c < n; ++c) {
    if (strength[c] == 0) continue;
    const double share = strength[c] / total;
    q += inside[c] / total - resolution * share * share;
  }
  return q;
}

}  // namespace nendb::algo
