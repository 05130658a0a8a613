// Bulk reads of one property, the keys, the labels or the edge types of many
// nodes or edges (ReadTransaction::ReadNodeColumn and friends): a gather
// from the property tables straight into a ColumnData, with no Value per
// row, so a data frame of a million nodes costs a few passes over memory.
#include <cstring>

#include "absl/strings/str_cat.h"
#include "txn/queries.h"
#include "util/status_macros.h"

namespace nendb::query {
namespace {

constexpr uint32_t kNodeParts = kPartNodes | kPartLabels | kPartStrings;

// Fills one ColumnData from the property columns of several tables (one
// per label or edge type), which must agree on the type.
class Gather {
 public:
  Gather(const Version& v, absl::string_view name, bool edges, size_t rows, ColumnData* out)
      : v_(v), name_(name), edges_(edges), out_(out) {
    *out_ = ColumnData();
    out_->rows = rows;
    out_->valid.assign(rows, 0);
    name_id_ = v.catalog->property_names.Find(name);
  }

  // Row i of the output is row `row` of table `table` (a label or edge type
  // id), or null when row is kNoRow.
  absl::Status Put(size_t i, uint32_t table, uint32_t row) {
    const PropTable* t = nullptr;
    NENDB_ASSIGN_OR_RETURN(const PropColumn* c, ColumnOf(table, &t));
    if (c != nullptr && row != kNoRow && t->Has(*c, row)) Write(i, *c, row);
    if (out_->type == ValueType::kString) out_->offsets[i + 1] = out_->bytes.size();
    return absl::OkStatus();
  }

 private:
  // The table's column of the property (nullptr if it has none), checked
  // against the type the first table with one set.
  absl::StatusOr<const PropColumn*> ColumnOf(uint32_t table, const PropTable** t) {
    if (table >= cache_.size()) cache_.resize(table + 1);
    Entry& e = cache_[table];
    *t = edges_ ? v_.EdgeProps(table) : v_.NodeProps(table);
    if (e.seen) return e.column;
    e.seen = true;
    if (!name_id_ || *t == nullptr) return e.column;
    const int c = (*t)->FindColumn(*name_id_);
    if (c < 0) return e.column;
    e.column = &(*t)->columns[c];
    if (out_->type == ValueType::kNull) {
      Allocate(e.column->type, e.column->dim);
      first_table_ = table;
    } else if (out_->type != e.column->type || out_->dim != e.column->dim) {
      return Conflict(table, *e.column);
    }
    return e.column;
  }

  void Allocate(ValueType type, uint32_t dim) {
    const size_t n = out_->rows;
    out_->type = type;
    out_->dim = dim;
    switch (type) {
      case ValueType::kInt64:
        out_->int64s.assign(n, 0);
        break;
      case ValueType::kFloat64:
        out_->float64s.assign(n, 0.0);
        break;
      case ValueType::kBool:
        out_->bools.assign(n, 0);
        break;
      case ValueType::kVector:
        out_->floats.assign(n * dim, 0.0f);
        break;
      case ValueType::kString:
        out_->offsets.assign(n + 1, 0);  // rows before this one are null: empty
        break;
      case ValueType::kNull:
        break;
    }
  }

  void Write(size_t i, const PropColumn& c, uint32_t row) {
    const std::byte* p = c.values.At(row);
    out_->valid[i] = 1;
    switch (c.type) {
      case ValueType::kInt64:
        std::memcpy(&out_->int64s[i], p, 8);
        break;
      case ValueType::kFloat64:
        std::memcpy(&out_->float64s[i], p, 8);
        break;
      case ValueType::kBool:
        out_->bools[i] = *p != std::byte{0};
        break;
      case ValueType::kVector:
        std::memcpy(&out_->floats[i * c.dim], p, 4 * size_t{c.dim});
        break;
      case ValueType::kString: {
        StringRef r;
        std::memcpy(&r, p, 8);
        const absl::string_view s = v_.strings->Get(r);
        out_->bytes.append(s.data(), s.size());
        break;
      }
      case ValueType::kNull:
        out_->valid[i] = 0;
        break;
    }
  }

  absl::Status Conflict(uint32_t table, const PropColumn& c) const {
    auto what = [&](uint32_t id) {
      return edges_ ? absl::StrCat("edge type \"", v_.catalog->edge_types.Name(id), "\"")
                    : absl::StrCat("label \"", v_.catalog->labels.Name(id), "\"");
    };
    auto type = [](ValueType t, uint32_t dim) {
      return t == ValueType::kVector ? absl::StrCat("vector[", dim, "]")
                                     : std::string(ValueTypeName(t));
    };
    return absl::InvalidArgumentError(
        absl::StrCat("property \"", name_, "\" is ", type(out_->type, out_->dim), " under ",
                     what(first_table_), " but ", type(c.type, c.dim), " under ", what(table),
                     "; read them one ", edges_ ? "edge type" : "label", " at a time"));
  }

  struct Entry {
    bool seen = false;
    const PropColumn* column = nullptr;
  };
  const Version& v_;
  absl::string_view name_;
  bool edges_;
  ColumnData* out_;
  std::optional<uint32_t> name_id_;
  std::vector<Entry> cache_;
  uint32_t first_table_ = 0;
};

void Reset(ColumnData* c, ValueType type, size_t rows) {
  *c = ColumnData();
  c->type = type;
  c->rows = rows;
  c->valid.assign(rows, 0);
  if (type == ValueType::kInt64) c->int64s.assign(rows, 0);
  if (type == ValueType::kString) c->offsets.assign(rows + 1, 0);
}

}  // namespace

absl::StatusOr<std::vector<NodeId>> ScanNodes(const Version& v) {
  NENDB_RETURN_IF_ERROR(v.Ready(kPartNodes));
  std::vector<NodeId> out;
  out.reserve(v.nodes->live);
  const uint64_t n = v.nodes->slots();
  v.nodes->label.raw().ForEachRun(0, n, [&](const std::byte* p, uint64_t first, uint64_t count) {
    const auto* labels = reinterpret_cast<const uint32_t*>(p);
    for (uint64_t i = 0; i < count; ++i) {
      if (labels[i] != kFreeSlot) out.push_back(first + i);
    }
  });
  return out;
}

absl::Status ReadNodeColumn(const Version& v, absl::Span<const NodeId> nodes,
                            absl::string_view name, ColumnData* out) {
  NENDB_RETURN_IF_ERROR(v.Ready(kNodeParts | kPartNodeProps));
  Gather gather(v, name, /*edges=*/false, nodes.size(), out);
  for (size_t i = 0; i < nodes.size(); ++i) {
    NENDB_RETURN_IF_ERROR(CheckNode(v, nodes[i]));
    NENDB_RETURN_IF_ERROR(gather.Put(i, v.nodes->label.Get(nodes[i]), v.nodes->row.Get(nodes[i])));
  }
  return absl::OkStatus();
}

absl::Status ReadEdgeColumn(const Version& v, absl::Span<const EdgeId> edges,
                            absl::string_view name, ColumnData* out) {
  NENDB_RETURN_IF_ERROR(v.Ready(kPartEdges | kPartEdgeProps | kPartStrings));
  Gather gather(v, name, /*edges=*/true, edges.size(), out);
  for (size_t i = 0; i < edges.size(); ++i) {
    NENDB_RETURN_IF_ERROR(CheckEdge(v, edges[i]));
    const uint32_t slot = EdgeSlot(edges[i]);
    NENDB_RETURN_IF_ERROR(gather.Put(i, v.edges->type.Get(slot), v.edges->row.Get(slot)));
  }
  return absl::OkStatus();
}

absl::Status ReadKeys(const Version& v, absl::Span<const NodeId> nodes, ColumnData* int_keys,
                      ColumnData* string_keys) {
  NENDB_RETURN_IF_ERROR(v.Ready(kNodeParts));
  Reset(int_keys, ValueType::kInt64, nodes.size());
  Reset(string_keys, ValueType::kString, nodes.size());
  for (size_t i = 0; i < nodes.size(); ++i) {
    NENDB_RETURN_IF_ERROR(CheckNode(v, nodes[i]));
    const KeyView k = KeyView::OfNode(*v.nodes, *v.strings, nodes[i]);
    if (k.kind == Key::Kind::kInt) {
      int_keys->int64s[i] = k.i;
      int_keys->valid[i] = 1;
    } else if (k.kind == Key::Kind::kString) {
      string_keys->bytes.append(k.s.data(), k.s.size());
      string_keys->valid[i] = 1;
    }
    string_keys->offsets[i + 1] = string_keys->bytes.size();
  }
  return absl::OkStatus();
}

absl::Status ReadLabels(const Version& v, absl::Span<const NodeId> nodes, NameCodes* out) {
  NENDB_RETURN_IF_ERROR(v.Ready(kNodeParts));
  *out = NameCodes();
  out->names = v.catalog->labels.names();
  out->codes.reserve(nodes.size());
  out->offsets.reserve(nodes.size() + 1);
  out->offsets.push_back(0);
  for (NodeId node : nodes) {
    NENDB_RETURN_IF_ERROR(CheckNode(v, node));
    if (v.nodes->flags.Get(node) & kHasExtraLabels) {
      for (uint32_t l : NodeLabels(v, node)) out->codes.push_back(l);
    } else {
      out->codes.push_back(v.nodes->label.Get(node));
    }
    out->offsets.push_back(out->codes.size());
  }
  return absl::OkStatus();
}

absl::Status ReadEdgeTypes(const Version& v, absl::Span<const EdgeId> edges, NameCodes* out) {
  NENDB_RETURN_IF_ERROR(v.Ready(kPartEdges));
  *out = NameCodes();
  out->names = v.catalog->edge_types.names();
  out->codes.reserve(edges.size());
  for (EdgeId edge : edges) {
    NENDB_RETURN_IF_ERROR(CheckEdge(v, edge));
    out->codes.push_back(v.edges->type.Get(EdgeSlot(edge)));
  }
  return absl::OkStatus();
}

}  // namespace nendb::query
