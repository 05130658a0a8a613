// What `nendb algo` prints, shared by its files: node names, the top
// entries by score, the reports of the algorithms that start from a node
// (algo_paths.cc) and of those that score or group every node
// (algo_scores.cc).
#ifndef NENDB_CLI_ALGO_REPORT_H_
#define NENDB_CLI_ALGO_REPORT_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "nendb/algorithms.h"
#include "nendb/transaction.h"
#include "nlohmann/json.hpp"

namespace nendb::cli {

// "Person:ada" (or "#17" for a node without a key).
std::string NodeName(const ReadTransaction& tx, NodeId id);
// An integer key if the text is one, else a string key.
Key ParseKey(const std::string& text);

struct Ranked {
  NodeId node;
  double score;
};
// The `top` entries of `in` with the highest score (lowest with
// `ascending`), ties by node id.
std::vector<Ranked> Top(const std::vector<double>& score, const std::vector<bool>& in, size_t top,
                        bool ascending = false);

// One run of an algorithm: its options as parsed, where the report goes.
struct AlgoRun {
  std::string algorithm;  // as `nendb algo` names it: pagerank, wcc, bfs, ...
  GraphProjection projection;
  RunOptions run;
  std::string source, source_label, target, target_label;
  int64_t hops = -1;     // bfs: --max-depth, k-hop: --k
  uint64_t samples = 0;  // betweenness: sampled sources, 0 for all
  size_t top = 20;
  bool json = false;
  std::string write_property;  // with a write transaction
};

// True for the algorithms that start from a node (PathReport's).
bool IsPathAlgorithm(const std::string& algorithm);

// Runs a path algorithm and prints (or adds to `out`) its report: nodes per
// depth (bfs), the neighbourhood (k-hop), the nearest nodes (sssp), the path.
absl::Status PathReport(const AlgoRun& p, const ReadTransaction& tx, WriteTransaction* write,
                        nlohmann::ordered_json& out);

// Runs any other algorithm and prints (or adds to `out`) its report: the top
// nodes by score (pagerank, betweenness, k-core, triangles) or the largest
// groups (wcc, scc, louvain, leiden, label-propagation).
absl::Status ScoresReport(const AlgoRun& a, const ReadTransaction& tx, WriteTransaction* write,
                          nlohmann::ordered_json& out);

}  // namespace nendb::cli

#endif  // NENDB_CLI_ALGO_REPORT_H_
