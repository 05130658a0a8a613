// nendb/vector_index.h: the candidates of a query as runs of rows of the
// vector columns of the label tables that hold the property, searched per
// table through its vector index (SearchIndex) when one matches and pays,
// by vec::ExactKnn otherwise, the tables' hits merged by distance.
#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <utility>

#include "absl/strings/str_cat.h"
#include "db/property_filter.h"
#include "db/transactions.h"
#include "db/vector_indexes.h"
#include "nendb/vector_index.h"
#include "util/status_macros.h"
#include "vector/exact.h"

namespace nendb {
namespace {

// A bit per node id: the nodes that pass the label and node-set filters.
absl::StatusOr<std::vector<uint64_t>> NodeFilter(const Version& v, const KnnOptions& o) {
  const uint64_t bound = v.nodes->slots();
  std::vector<uint64_t> bits((bound + 63) / 64, 0);
  auto set = [&](uint64_t id) { bits[id >> 6] |= uint64_t{1} << (id & 63); };
  std::vector<uint32_t> labels;
  for (const std::string& l : o.labels) {
    auto id = v.catalog->labels.Find(l);
    if (!id) return absl::NotFoundError(absl::StrCat("no label named '", l, "'"));
    labels.push_back(*id);
  }
  auto passes = [&](uint64_t id) {
    if (!v.nodes->IsLive(id)) return false;
    if (labels.empty()) return true;
    return std::any_of(labels.begin(), labels.end(),
                       [&](uint32_t l) { return v.labels->Has(l, id); });
  };
  if (o.nodes.has_value()) {
    for (NodeId id : *o.nodes) {
      if (id < bound && passes(id)) set(id);
    }
  } else {
    for (uint64_t id = 0; id < bound; ++id) {
      if (passes(id)) set(id);
    }
  }
  return bits;
}

bool Bit(const std::vector<uint64_t>& bits, uint64_t i) { return (bits[i >> 6] >> (i & 63)) & 1; }

// One label table's candidates: its runs of rows and the rows allowed.
struct Table {
  uint32_t label = 0;
  const PropTable* props = nullptr;
  const PropColumn* column = nullptr;
  IndexView view;                 // graph null: no index to search
  std::vector<uint64_t> allowed;  // bit per row, with runs: filled by FindCandidates
  std::vector<vec::Rows> runs;
  uint64_t candidates = 0;
};

// The rows of t that hold a vector and pass the filters (filter: a bit per
// node, null for none; then the property conditions), as a bitset and runs of
// rows for ExactKnn. An explicit node list is mapped to rows through the node
// table, a label filter that the table's own label passes needs no look at
// the rows, anything else checks each row's node.
void FindCandidates(const Version& v, const std::vector<uint64_t>* filter, const KnnOptions& o,
                    const std::vector<ResolvedCondition>& where, Table* table) {
  const PropTable& t = *table->props;
  const PropColumn& col = *table->column;
  const uint64_t rows = std::min({t.rows(), col.values.size(), col.valid.size()});
  auto has_vector = [&](uint64_t w) {
    uint64_t bits = t.used.words().Get(w) & col.valid.words().Get(w);
    return rows - w * 64 < 64 ? bits & ((uint64_t{1} << (rows - w * 64)) - 1) : bits;
  };
  table->allowed.assign((rows + 63) / 64, 0);
  table->candidates = 0;
  const std::string& own = v.catalog->labels.Name(table->label);
  const bool own_label_passes =
      !o.nodes.has_value() && std::find(o.labels.begin(), o.labels.end(), own) != o.labels.end();
  if (filter != nullptr && o.nodes.has_value()) {
    for (NodeId id : *o.nodes) {
      if (id >= v.nodes->slots() || !Bit(*filter, id) || v.nodes->label.Get(id) != table->label) {
        continue;
      }
      const uint64_t r = v.nodes->row.Get(id);
      if (r >= rows || Bit(table->allowed, r) || !((has_vector(r / 64) >> (r % 64)) & 1)) continue;
      table->allowed[r / 64] |= uint64_t{1} << (r % 64);
      ++table->candidates;
    }
  } else {
    for (uint64_t w = 0; w < table->allowed.size(); ++w) {
      uint64_t bits = has_vector(w);
      if (filter != nullptr && !own_label_passes) {
        for (uint64_t rest = bits; rest != 0; rest &= rest - 1) {
          const uint64_t r = w * 64 + __builtin_ctzll(rest);
          const uint64_t node = t.entity.Get(r);
          if (node >= v.nodes->slots() || !Bit(*filter, node)) bits &= ~(uint64_t{1} << (r & 63));
        }
      }
      table->allowed[w] = bits;
      table->candidates += __builtin_popcountll(bits);
    }
  }
  if (!where.empty()) {
    ApplyConditions(v, t, where, &table->allowed);
    table->candidates = 0;
    for (uint64_t bits : table->allowed) table->candidates += __builtin_popcountll(bits);
  }
  table->runs.clear();
  col.values.ForEachRun(0, rows, [&](const std::byte* p, uint64_t first, uint64_t n) {
    table->runs.push_back(
        {reinterpret_cast<const float*>(p), n, col.dim, table->allowed.data(), first});
  });
}

// Exact k-NN over t's candidates: over the column's runs, or, when they are
// few, over a copy of just their vectors (a scan would compare every row).
absl::StatusOr<vec::Neighbors> ExactOver(const Table& t, const float* queries, uint64_t nq,
                                         uint32_t k, vec::Metric metric, int threads) {
  if (t.candidates * 8 >= t.allowed.size() * 64) {
    return vec::ExactKnn(t.runs, queries, nq, k, metric, threads);
  }
  std::vector<uint32_t> rows;
  rows.reserve(t.candidates);
  for (uint64_t w = 0; w < t.allowed.size(); ++w) {
    for (uint64_t bits = t.allowed[w]; bits != 0; bits &= bits - 1) {
      rows.push_back(uint32_t(w * 64 + __builtin_ctzll(bits)));
    }
  }
  const uint32_t dim = t.column->dim;
  const vec::RowView view = RowsOf(*t.column);
  std::vector<float> gathered(rows.size() * dim);
  for (size_t i = 0; i < rows.size(); ++i) {
    std::memcpy(&gathered[i * dim], view.Row(rows[i]), 4 * size_t{dim});
  }
  const vec::Rows run{gathered.data(), rows.size(), dim, nullptr, 0};
  NENDB_ASSIGN_OR_RETURN(vec::Neighbors found,
                         vec::ExactKnn({run}, queries, nq, k, metric, threads));
  for (uint64_t& r : found.rows) {
    if (r != vec::kNoRow) r = rows[r];
  }
  return found;
}

}  // namespace

absl::StatusOr<KnnResult> Knn(const ReadTransaction& tx, absl::Span<const float> queries,
                              uint32_t dim, uint32_t k, const KnnOptions& options) {
  bool committed;
  int threads = 0;
  const Version* v = VersionOf(tx, &committed, &threads);
  if (v == nullptr)
    return absl::InvalidArgumentError("k-NN needs a transaction of a nendb database");
  if (options.run.threads > 0) threads = options.run.threads;
  if (k == 0) return absl::InvalidArgumentError("k must be at least 1");
  if (dim == 0 || queries.size() % dim != 0) {
    return absl::InvalidArgumentError(absl::StrCat(
        "the queries hold ", queries.size(), " floats, not a whole number of vectors of ", dim));
  }
  NENDB_RETURN_IF_ERROR(
      vec::CheckQueryVectors(queries.data(), queries.size() / dim, dim, ToMetric(options.metric)));
  NENDB_RETURN_IF_ERROR(v->Ready(kPartNodes | kPartLabels | kPartNodeProps));
  auto name = v->catalog->property_names.Find(options.property);
  if (!name) {
    return absl::NotFoundError(
        absl::StrCat("no node has a property named '", options.property, "'"));
  }
  const bool by_node = !options.labels.empty() || options.nodes.has_value();
  const bool filtered = by_node || !options.where.empty();
  std::vector<uint64_t> filter;
  if (by_node) {
    NENDB_ASSIGN_OR_RETURN(filter, NodeFilter(*v, options));
  }
  const std::vector<uint64_t>* node_filter = by_node ? &filter : nullptr;
  NENDB_ASSIGN_OR_RETURN(const std::vector<ResolvedCondition> where,
                         ResolveConditions(*v, options.where));
  std::vector<Table> tables;
  uint64_t candidates = 0;
  for (uint32_t l = 0; l < v->node_props.size(); ++l) {
    const PropTable* t = v->NodeProps(l);
    const int c = t == nullptr ? -1 : t->FindColumn(*name);
    if (c < 0) continue;
    const PropColumn& col = t->columns[c];
    Table table;
    table.label = l;
    table.props = t;
    table.column = &col;
    if (col.type != ValueType::kVector || col.dim != dim) {
      // Other vectors of the name are an error only where the filters let
      // some of them through (a label of other embeddings is no obstacle).
      if (filtered) FindCandidates(*v, node_filter, options, where, &table);
      if (filtered && table.candidates == 0) continue;
      return absl::InvalidArgumentError(absl::StrCat(
          "property '", options.property, "' of label '", v->catalog->labels.Name(l), "' holds ",
          col.type == ValueType::kVector ? absl::StrCat("vectors of dimension ", col.dim)
                                         : std::string("values that are not vectors"),
          "; the queries have dimension ", dim));
    }
    const int index = options.exact ? -1 : FindVectorIndex(*v, l, *name, options.metric);
    if (index >= 0) table.view = ViewOf(*v, index);
    if (!filtered && table.view.graph != nullptr) {
      // Searched through the graph: no pass over the rows unless it falls short.
      table.candidates = CountWithVectors(table.view);
    } else {
      FindCandidates(*v, node_filter, options, where, &table);
    }
    if (table.candidates == 0) continue;
    candidates += table.candidates;
    tables.push_back(std::move(table));
  }
  if (candidates < k) {
    return absl::InvalidArgumentError(
        absl::StrCat("k is ", k, " but only ", candidates, " nodes have a '", options.property,
                     "' vector and pass the filters; ask for k <= ", candidates));
  }
  const uint64_t nq = queries.size() / dim;
  // Per query, the hits of every table as (distance, node), merged.
  std::vector<std::vector<std::pair<float, NodeId>>> hits(nq);
  const uint32_t ef = std::max(k, options.ef == 0 ? kDefaultEf : options.ef);
  uint32_t indexed_tables = 0;
  for (Table& t : tables) {
    if (t.view.graph != nullptr &&
        GraphPays(t.candidates, t.view.graph->size(), t.view.graph->params().m, ef)) {
      auto exact = [&](const float* q, uint64_t n, uint32_t kt) -> absl::StatusOr<vec::Neighbors> {
        if (t.runs.empty()) FindCandidates(*v, node_filter, options, where, &t);
        return ExactOver(t, q, n, kt, ToMetric(options.metric), threads);
      };
      NENDB_ASSIGN_OR_RETURN(
          RowHits found, SearchIndex(t.view, filtered ? &t.allowed : nullptr, t.candidates, exact,
                                     queries.data(), nq, k, ef, threads));
      for (uint64_t q = 0; q < nq; ++q) {
        for (const auto& [d, row] : found[q]) hits[q].push_back({d, t.props->entity.Get(row)});
      }
      ++indexed_tables;
      continue;
    }
    if (t.runs.empty()) FindCandidates(*v, node_filter, options, where, &t);
    const uint32_t kt = static_cast<uint32_t>(std::min<uint64_t>(k, t.candidates));
    NENDB_ASSIGN_OR_RETURN(vec::Neighbors found,
                           ExactOver(t, queries.data(), nq, kt, ToMetric(options.metric), threads));
    for (uint64_t q = 0; q < nq; ++q) {
      for (uint32_t j = 0; j < kt; ++j) {
        const uint64_t row = found.rows[q * kt + j];
        if (row == vec::kNoRow) continue;
        hits[q].push_back({found.distances[q * kt + j], t.props->entity.Get(row)});
      }
    }
  }
  KnnResult out;
  out.k = k;
  out.indexed_tables = indexed_tables;
  out.ids.assign(nq * k, kNoNode);
  out.distances.assign(nq * k, std::numeric_limits<float>::infinity());
  for (uint64_t q = 0; q < nq; ++q) {
    auto& h = hits[q];
    const size_t keep = std::min<size_t>(k, h.size());
    std::partial_sort(h.begin(), h.begin() + keep, h.end());
    for (size_t j = 0; j < keep; ++j) {
      out.distances[q * k + j] = h[j].first;
      out.ids[q * k + j] = h[j].second;
    }
  }
  return out;
}

std::vector<VectorIndexInfo> ListVectorIndexes(const ReadTransaction& tx) {
  std::vector<VectorIndexInfo> out;
  bool committed;
  const Version* v = VersionOf(tx, &committed);
  if (v == nullptr) return out;
  for (size_t i = 0; i < v->catalog->vector_indexes.size(); ++i) {
    const VectorIndexDef& def = v->catalog->vector_indexes[i];
    VectorIndexInfo info;
    info.spec.label = v->catalog->labels.Name(def.label);
    info.spec.property = v->catalog->property_names.Name(def.property);
    info.spec.metric = static_cast<VectorMetric>(def.metric);
    info.spec.m = def.m;
    info.spec.ef_construction = def.ef_construction;
    info.spec.quantization = static_cast<VectorQuantization>(def.quantization);
    const IndexView view = ViewOf(*v, i);
    info.dim = view.column != nullptr ? view.column->dim : 0;
    info.pending = view.unindexed.size();
    if (view.graph != nullptr) {
      info.indexed = view.graph->size();
      info.memory_bytes = view.graph->MemoryBytes();
    }
    out.push_back(std::move(info));
  }
  return out;
}

}  // namespace nendb
