// What `nendb algo` prints, shared by its two files: node names, the top
// entries by score, and the reports of the algorithms that start from a
// node (algo_paths.cc).
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

// One run of a path algorithm: its options as parsed, where the report goes.
struct PathRun {
  std::string algorithm;  // bfs, k-hop, sssp, shortest-path
  GraphProjection projection;
  RunOptions run;
  std::string source, source_label, target, target_label;
  int64_t hops = -1;  // bfs: --max-depth, k-hop: --k
  size_t top = 20;
  bool json = false;
  std::string write_property;  // with a write transaction
};

// Runs it and prints (or adds to `out`) its report: nodes per depth (bfs),
// the neighbourhood (k-hop), the nearest nodes (sssp), the path.
absl::Status PathReport(const PathRun& p, const ReadTransaction& tx, WriteTransaction* write,
                        nlohmann::ordered_json& out);

}  // namespace nendb::cli

#endif  // NENDB_CLI_ALGO_REPORT_H_
