#include "algo/label_propagation.h"

#include <numeric>
#include <random>
#include <vector>

#include "absl/strings/str_cat.h"
#include "algo/modularity.h"

namespace nendb::algo {
namespace {

constexpr double kTie = 1e-12;  // relative

}  // namespace

absl::StatusOr<CommunityResult> LabelPropagation(const Graph& g, const LabelPropagationOptions& o,
                                                 const Control& control) {
  if (o.max_iterations < 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("max_iterations must be non-negative, not ", o.max_iterations));
  }
  absl::StatusOr<CommunityGraph> cg = CommunityGraph::From(g);
  if (!cg.ok()) return cg.status();
  const uint32_t n = cg->size();
  CommunityResult r;
  std::vector<uint32_t>& label = r.community;
  label.resize(n);
  std::iota(label.begin(), label.end(), 0);
  std::vector<uint32_t> order(n);
  std::iota(order.begin(), order.end(), 0);
  std::mt19937_64 rng(o.seed);
  WeightAccumulator acc(n);
  std::vector<uint32_t> ties;
  while (r.levels < o.max_iterations) {
    Shuffle(order, rng);
    uint64_t changes = 0;
    for (uint32_t v : order) {
      for (uint64_t i = cg->offsets[v]; i < cg->offsets[v + 1]; ++i) {
        acc.Add(label[cg->targets[i]], cg->weights[i]);
      }
      double max = 0;
      for (uint32_t l : acc.touched()) max = std::max(max, acc.weight(l));
      const double floor = max - kTie * max;
      if (max > 0 && acc.weight(label[v]) < floor) {
        for (uint32_t l : acc.touched()) {
          if (acc.weight(l) >= floor) ties.push_back(l);
        }
        label[v] = ties[UniformBelow(rng, ties.size())];
        ties.clear();
        ++changes;
      }
      acc.Clear();
    }
    ++r.levels;
    if (absl::Status s = control.Report(double(r.levels) / o.max_iterations); !s.ok()) return s;
    if (changes == 0) break;
  }
  Relabel(label);
  absl::StatusOr<double> q = Modularity(g, label, 1.0);
  if (!q.ok()) return q.status();
  r.modularity = *q;
  if (absl::Status s = control.Report(1.0); !s.ok()) return s;
  return r;
}

}  // namespace nendb::algo
