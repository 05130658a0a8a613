// SearchIndex and GraphPays (db/vector_indexes.h): a k-NN query through a
// vector index, exact where the graph does not answer.
#include <algorithm>
#include <atomic>
#include <cstring>

#include "db/vector_indexes.h"
#include "util/status_macros.h"
#include "util/thread_pool.h"

namespace nendb {
namespace {

bool Bit(const std::vector<uint64_t>& bits, uint64_t i) {
  return i / 64 < bits.size() && ((bits[i / 64] >> (i % 64)) & 1);
}

// Adds the exact hits (rows mapped through `row_of` when given) to hits.
void AddHits(const vec::Neighbors& found, uint64_t nq, uint32_t k, const uint32_t* row_of,
             const std::vector<uint64_t>* queries, RowHits* hits) {
  for (uint64_t i = 0; i < nq; ++i) {
    const uint64_t q = queries != nullptr ? (*queries)[i] : i;
    for (uint32_t j = 0; j < k; ++j) {
      const uint64_t r = found.rows[i * k + j];
      if (r != vec::kNoRow)
        (*hits)[q].push_back({found.distances[i * k + j], row_of ? row_of[r] : r});
    }
  }
}

}  // namespace

bool GraphPays(uint64_t candidates, uint64_t indexed, uint32_t m, uint32_t ef) {
  return 2.0 * m * ef * double(indexed) < double(candidates) * double(candidates);
}

uint64_t CountWithVectors(const IndexView& view) {
  uint64_t n = view.graph != nullptr ? view.graph->size() : 0;
  for (uint32_t r : view.unindexed) {
    n -= view.graph != nullptr && view.graph->Contains(r);
    n += HasVector(*view.table, *view.column, r);
  }
  return n;
}

absl::StatusOr<RowHits> SearchIndex(const IndexView& view, const std::vector<uint64_t>* allowed,
                                    uint64_t candidates, const ExactFn& exact, const float* queries,
                                    uint64_t nq, uint32_t k, uint32_t ef, int threads) {
  const vec::Hnsw& graph = *view.graph;
  const uint32_t dim = graph.dim();
  // The unindexed candidates leave the graph's filter and are gathered to be
  // compared exactly. Without a filter the graph needs one only if it holds
  // some of them.
  std::vector<uint64_t> in_graph;
  if (allowed != nullptr) in_graph = *allowed;
  std::vector<uint32_t> extra;
  for (uint32_t r : view.unindexed) {
    if (allowed != nullptr ? !Bit(*allowed, r) : !HasVector(*view.table, *view.column, r)) continue;
    extra.push_back(r);
  }
  if (allowed == nullptr) {
    for (uint32_t r : view.unindexed) {
      if (!graph.Contains(r)) continue;
      if (in_graph.empty()) in_graph.assign((graph.capacity() + 63) / 64, ~uint64_t{0});
      in_graph[r / 64] &= ~(uint64_t{1} << (r % 64));
    }
  } else {
    for (uint32_t r : extra) in_graph[r / 64] &= ~(uint64_t{1} << (r % 64));
  }
  const vec::RowView rows = RowsOf(*view.column);
  RowHits hits(nq);
  if (!extra.empty()) {
    std::vector<float> gathered(extra.size() * dim);
    for (size_t i = 0; i < extra.size(); ++i) {
      std::memcpy(&gathered[i * dim], rows.Row(extra[i]), 4 * size_t{dim});
    }
    const uint32_t ke = uint32_t(std::min<uint64_t>(k, extra.size()));
    const vec::Rows run{gathered.data(), extra.size(), dim, nullptr, 0};
    NENDB_ASSIGN_OR_RETURN(vec::Neighbors found,
                           vec::ExactKnn({run}, queries, nq, ke, graph.metric(), threads));
    AddHits(found, nq, ke, extra.data(), nullptr, &hits);
  }
  const uint32_t kg = uint32_t(std::min<uint64_t>(k, candidates - extra.size()));
  if (kg == 0) return hits;
  const uint64_t* filter = in_graph.empty() ? nullptr : in_graph.data();
  std::vector<uint8_t> short_of_k(nq, 0);
  auto search = [&](uint64_t begin, uint64_t end, int) {
    for (uint64_t q = begin; q < end; ++q) {
      std::vector<vec::HnswHit> found = graph.Search(rows, queries + q * dim, kg, ef, filter);
      if (found.size() < kg) short_of_k[q] = 1;
      for (const vec::HnswHit& h : found) hits[q].push_back({h.distance, h.slot});
    }
  };
  if (nq == 1) {
    search(0, 1, 0);
  } else {
    ThreadPool::Shared().ParallelFor(threads, nq, 1, search);
  }
  // Rarely (a filter that cuts the graph apart): every candidate, exactly.
  std::vector<uint64_t> redo;
  for (uint64_t q = 0; q < nq; ++q) {
    if (short_of_k[q]) redo.push_back(q);
  }
  if (!redo.empty()) {
    std::vector<float> batch(redo.size() * dim);
    for (size_t i = 0; i < redo.size(); ++i) {
      std::memcpy(&batch[i * dim], queries + redo[i] * dim, 4 * size_t{dim});
      hits[redo[i]].clear();
    }
    const uint32_t kt = uint32_t(std::min<uint64_t>(k, candidates));
    NENDB_ASSIGN_OR_RETURN(vec::Neighbors found, exact(batch.data(), redo.size(), kt));
    AddHits(found, redo.size(), kt, nullptr, &redo, &hits);
  }
  return hits;
}

}  // namespace nendb
