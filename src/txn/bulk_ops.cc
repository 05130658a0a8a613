// Bulk inserts of nodes and edges from borrowed columns (numpy arrays, CSV
// imports): every row is checked first, then columns are written run by run.
#include <cmath>
#include <numeric>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "nendb/errors.h"
#include "txn/ops.h"
#include "txn/prop_check.h"
#include "txn/queries.h"
#include "util/status_macros.h"
#include "util/utf8.h"

namespace nendb::ops {
namespace {

std::string ColumnWhat(const BulkColumn& c) { return absl::StrCat("column \"", c.name, "\""); }

bool RowValid(const BulkColumn& c, size_t i) { return c.valid.empty() || c.valid[i] != 0; }

absl::Status ValidateStrings(absl::string_view what, const StringColumn& s, size_t rows,
                             size_t limit, absl::Span<const uint8_t> valid, bool non_empty) {
  if (s.offsets.size() != rows + 1) {
    return absl::InvalidArgumentError(
        absl::StrCat(what, " has ", s.size(), " strings; expected ", rows));
  }
  for (size_t i = 0; i < rows; ++i) {
    if (s.offsets[i] > s.offsets[i + 1] || s.offsets[i + 1] > s.bytes.size()) {
      return absl::InvalidArgumentError(
          absl::StrCat(what, ": string offsets are not increasing within the data at row ", i));
    }
    if (!valid.empty() && valid[i] == 0) continue;
    const absl::string_view x = s.at(i);
    if (non_empty && x.empty()) {
      return absl::InvalidArgumentError(absl::StrCat(what, ": row ", i, " is empty"));
    }
    if (x.size() > limit) {
      return absl::InvalidArgumentError(
          absl::StrCat(what, ": row ", i, " is ", x.size(), " bytes; the limit is ", limit));
    }
    if (!IsValidUtf8(x)) {
      return absl::InvalidArgumentError(absl::StrCat(what, ": row ", i, " is not valid UTF-8"));
    }
  }
  return absl::OkStatus();
}

absl::Status ValidateColumn(const BulkColumn& c, size_t rows) {
  NENDB_RETURN_IF_ERROR(ValidateName("a property name", c.name));
  if (!c.valid.empty() && c.valid.size() != rows) {
    return absl::InvalidArgumentError(
        absl::StrCat(ColumnWhat(c), " has ", c.valid.size(), " validity flags; expected ", rows));
  }
  if (c.type != ValueType::kString && c.type != ValueType::kVector && c.rows() != rows) {
    return absl::InvalidArgumentError(
        absl::StrCat(ColumnWhat(c), " has ", c.rows(), " values; expected ", rows));
  }
  switch (c.type) {
    case ValueType::kString:
      return ValidateStrings(ColumnWhat(c), c.strings, rows, kMaxStringBytes, c.valid, false);
    case ValueType::kBool:
      for (size_t i = 0; i < rows; ++i) {
        if (c.bools[i] > 1) {
          return absl::InvalidArgumentError(
              absl::StrCat(ColumnWhat(c), ": row ", i, " is neither 0 nor 1"));
        }
      }
      return absl::OkStatus();
    case ValueType::kVector:
      if (c.dim == 0 || c.dim > kMaxVectorDim) {
        return absl::InvalidArgumentError(absl::StrCat(ColumnWhat(c), " has dimension ", c.dim,
                                                       "; it needs 1 to ", kMaxVectorDim));
      }
      if (c.floats.size() != rows * c.dim) {
        return absl::InvalidArgumentError(absl::StrCat(ColumnWhat(c), " has ", c.floats.size(),
                                                       " floats; expected ", rows, " x ", c.dim));
      }
      for (size_t i = 0; i < rows; ++i) {
        if (!RowValid(c, i)) continue;
        for (uint32_t k = 0; k < c.dim; ++k) {
          if (!std::isfinite(c.floats[i * c.dim + k])) {
            return absl::InvalidArgumentError(
                absl::StrCat(ColumnWhat(c), ": row ", i, " has a non-finite value"));
          }
        }
      }
      return absl::OkStatus();
    case ValueType::kInt64:
    case ValueType::kFloat64:
      return absl::OkStatus();
    case ValueType::kNull:
      break;
  }
  return absl::InvalidArgumentError(absl::StrCat(ColumnWhat(c), " has no type"));
}

absl::Status ValidateColumns(const std::vector<BulkColumn>& cols, size_t rows) {
  absl::flat_hash_set<absl::string_view> seen;
  for (const auto& c : cols) {
    NENDB_RETURN_IF_ERROR(ValidateColumn(c, rows));
    if (!seen.insert(c.name).second) {
      return absl::InvalidArgumentError(absl::StrCat(ColumnWhat(c), " is given twice"));
    }
  }
  return absl::OkStatus();
}

// A representative value of the column's type, for type checks.
Value Sample(const BulkColumn& c) {
  switch (c.type) {
    case ValueType::kInt64:
      return Value(int64_t{0});
    case ValueType::kFloat64:
      return Value(0.0);
    case ValueType::kBool:
      return Value(false);
    case ValueType::kString:
      return Value(std::string());
    case ValueType::kVector:
      return Value(std::vector<float>(c.dim, 0.f));
    case ValueType::kNull:
      break;
  }
  return Value();
}

bool AllValid(const BulkColumn& c) {
  for (uint8_t f : c.valid) {
    if (f == 0) return false;
  }
  return true;
}

// Checks the batch's columns against schemas and existing columns: a column
// type must fit; strict labels need declared names; required properties
// must be present in every row.
absl::Status CheckNodeColumns(const Version& v, absl::Span<const uint32_t> labels,
                              std::optional<uint32_t> primary, const NodeBatch& batch) {
  std::vector<Value> samples;
  for (const auto& c : batch.properties) samples.push_back(Sample(c));
  std::vector<check::NamedValue> named;
  for (size_t i = 0; i < batch.properties.size(); ++i) {
    const auto& c = batch.properties[i];
    named.push_back(
        check::NamedValue{c.name, v.catalog->property_names.Find(c.name), &samples[i], true});
  }
  NENDB_RETURN_IF_ERROR(check::CheckNodeProps(v, labels, primary, named, false));
  for (uint32_t l : labels) {
    if (l >= v.catalog->schemas.size()) continue;
    for (const auto& d : v.catalog->schemas[l].properties) {
      if (!d.required) continue;
      const BulkColumn* found = nullptr;
      for (const auto& c : batch.properties) {
        if (v.catalog->property_names.Find(c.name) == d.name) found = &c;
      }
      if (found == nullptr || !AllValid(*found)) {
        return ConstraintError(
            absl::StrCat("label \"", v.catalog->labels.Name(l), "\" requires property \"",
                         v.catalog->property_names.Name(d.name), "\" in every row"));
      }
    }
  }
  return absl::OkStatus();
}

// Calls fn(row, label, hash) for every row and label, hashing and
// prefetching a block of keys before fn probes the index for them; stops at
// the first error fn returns.
template <typename KeyAt, typename Fn>
absl::Status ForEachKeyPrefetched(const KeyIndex& index, absl::Span<const uint32_t> labels,
                                  size_t rows, KeyAt&& key_at, Fn&& fn) {
  constexpr size_t kBlock = 32;
  uint64_t hashes[kBlock];
  for (uint32_t l : labels) {
    for (size_t at = 0; at < rows; at += kBlock) {
      const size_t k = std::min(kBlock, rows - at);
      for (size_t j = 0; j < k; ++j) {
        hashes[j] = KeyIndex::Hash(l, key_at(at + j));
        index.Prefetch(hashes[j]);
      }
      for (size_t j = 0; j < k; ++j) NENDB_RETURN_IF_ERROR(fn(at + j, l, hashes[j]));
    }
  }
  return absl::OkStatus();
}

absl::Status CheckKeys(const Version& v, absl::Span<const uint32_t> labels, const BulkKeys& keys,
                       size_t rows) {
  if (keys.empty()) return absl::OkStatus();
  if (!keys.ints.empty()) {
    if (keys.ints.size() != rows) {
      return absl::InvalidArgumentError(
          absl::StrCat("there are ", keys.ints.size(), " keys for ", rows, " nodes"));
    }
    absl::flat_hash_set<int64_t> seen;
    seen.reserve(rows);
    for (size_t i = 0; i < rows; ++i) {
      if (!seen.insert(keys.ints[i]).second) {
        return ConstraintError(absl::StrCat("key ", keys.ints[i], " appears twice in the batch"));
      }
    }
    auto key_at = [&](size_t i) { return KeyView{Key::Kind::kInt, keys.ints[i], {}}; };
    return ForEachKeyPrefetched(
        *v.keys, labels, rows, key_at, [&](size_t i, uint32_t l, uint64_t h) -> absl::Status {
          const uint64_t o = v.keys->FindHashed(l, key_at(i), h, *v.nodes, *v.labels, *v.strings);
          if (o == kNoNode) return absl::OkStatus();
          return ConstraintError(absl::StrCat("a node with label \"", v.catalog->labels.Name(l),
                                              "\" and key ", keys.ints[i], " already exists (node ",
                                              o, ")"));
        });
  }
  NENDB_RETURN_IF_ERROR(ValidateStrings("the keys", keys.strings, rows, kMaxKeyBytes, {}, true));
  absl::flat_hash_set<absl::string_view> seen;
  seen.reserve(rows);
  for (size_t i = 0; i < rows; ++i) {
    const absl::string_view s = keys.strings.at(i);
    if (!seen.insert(s).second) {
      return ConstraintError(absl::StrCat("key \"", s, "\" appears twice in the batch"));
    }
  }
  auto key_at = [&](size_t i) { return KeyView{Key::Kind::kString, 0, keys.strings.at(i)}; };
  return ForEachKeyPrefetched(
      *v.keys, labels, rows, key_at, [&](size_t i, uint32_t l, uint64_t h) -> absl::Status {
        const uint64_t o = v.keys->FindHashed(l, key_at(i), h, *v.nodes, *v.labels, *v.strings);
        if (o == kNoNode) return absl::OkStatus();
        return ConstraintError(absl::StrCat("a node with label \"", v.catalog->labels.Name(l),
                                            "\" and key \"", keys.strings.at(i),
                                            "\" already exists (node ", o, ")"));
      });
}

// Writes the batch's columns into rows [first_row, first_row + n) of t.
void WriteColumns(Version& v, const WriteCtx& ctx, PropTable& t, uint64_t first_row,
                  const std::vector<BulkColumn>& cols) {
  const uint64_t n =
      cols.empty() ? 0
                   : (cols[0].type == ValueType::kString ? cols[0].strings.size() : cols[0].rows());
  StringHeap* heap = nullptr;
  for (const auto& c : cols) {
    const uint32_t name = check::InternProperty(v, ctx, c.name);
    int idx = t.FindColumn(name);
    if (idx < 0) {
      t.AddColumn(name, c.type, c.dim, ctx);
      idx = static_cast<int>(t.columns.size()) - 1;
    }
    PropColumn& col = t.columns[idx];
    switch (c.type) {
      case ValueType::kInt64:
        col.values.WriteRange(first_row, c.int64s.data(), n, ctx);
        break;
      case ValueType::kFloat64:
        col.values.WriteRange(first_row, c.float64s.data(), n, ctx);
        break;
      case ValueType::kBool:
        col.values.WriteRange(first_row, c.bools.data(), n, ctx);
        break;
      case ValueType::kVector:
        col.values.WriteRange(first_row, c.floats.data(), n, ctx);
        for (uint64_t i = 0; i < n; ++i) col.changed.push_back(uint32_t(first_row + i));
        break;
      case ValueType::kString: {
        if (heap == nullptr) heap = &v.strings.Mut(ctx.txn);
        std::vector<StringRef> refs(n);
        for (uint64_t i = 0; i < n; ++i) {
          if (RowValid(c, i)) refs[i] = heap->Add(c.strings.at(i), ctx);
        }
        col.values.WriteRange(first_row, refs.data(), n, ctx);
        break;
      }
      case ValueType::kNull:
        break;
    }
    col.valid.Assign(first_row, n, c.valid.empty() ? nullptr : c.valid.data(), ctx);
  }
}

// Appends n rows to t for entities first_entity.. and returns the first row.
uint64_t AppendRows(PropTable& t, uint64_t first_entity, uint64_t n, const WriteCtx& ctx) {
  const uint64_t first = t.rows();
  t.entity.Resize(first + n, ctx);
  t.used.Resize(first + n, ctx);
  for (auto& c : t.columns) {
    c.values.Resize(first + n, ctx);
    c.valid.Resize(first + n, ctx);
  }
  std::vector<uint32_t> ids(n);
  std::iota(ids.begin(), ids.end(), static_cast<uint32_t>(first_entity));
  t.entity.SetRange(first, ids.data(), n, ctx);
  t.used.Assign(first, n, nullptr, ctx);
  t.live += n;
  return first;
}

}  // namespace

absl::Status AddNodes(Version& v, const WriteCtx& ctx, const NodeBatch& batch,
                      absl::Span<NodeId> out_ids) {
  NENDB_RETURN_IF_ERROR(
      v.Ready(kPartNodes | kPartLabels | kPartKeys | kPartStrings | kPartNodeProps));
  const size_t n = batch.count;
  if (!out_ids.empty() && out_ids.size() != n) {
    return absl::InvalidArgumentError(
        absl::StrCat("the id output has room for ", out_ids.size(), " ids, not ", n));
  }
  if (batch.labels.empty()) return absl::InvalidArgumentError("nodes need at least one label");
  std::vector<uint32_t> existing;
  std::optional<uint32_t> primary;
  absl::flat_hash_set<absl::string_view> seen;
  for (size_t i = 0; i < batch.labels.size(); ++i) {
    NENDB_RETURN_IF_ERROR(ValidateName("a label", batch.labels[i]));
    if (!seen.insert(batch.labels[i]).second) {
      return absl::InvalidArgumentError(
          absl::StrCat("label \"", batch.labels[i], "\" is given twice"));
    }
    if (auto id = v.catalog->labels.Find(batch.labels[i])) {
      existing.push_back(*id);
      if (i == 0) primary = *id;
    }
  }
  NENDB_RETURN_IF_ERROR(ValidateColumns(batch.properties, n));
  NENDB_RETURN_IF_ERROR(CheckNodeColumns(v, existing, primary, batch));
  NENDB_RETURN_IF_ERROR(CheckKeys(v, existing, batch.keys, n));
  if (v.nodes->slots() + n > kMaxNodes) {
    return CapacityError(absl::StrCat("adding ", n, " nodes would pass the limit of ", kMaxNodes));
  }
  if (n == 0) return absl::OkStatus();

  std::vector<uint32_t> labels;
  for (const auto& l : batch.labels) labels.push_back(check::InternLabel(v, ctx, l));
  // Before the nodes exist: a growing index is rebuilt from the node table.
  if (!batch.keys.empty()) {
    v.keys.Mut(ctx.txn).Reserve(n * labels.size(), ctx);
  }
  NodeTable& nt = v.nodes.Mut(ctx.txn);
  const uint64_t first = nt.slots();
  for (auto* c : {&nt.label, &nt.row, &nt.gen}) c->Resize(first + n, ctx);
  nt.flags.Resize(first + n, ctx);
  nt.key.Resize(first + n, ctx);
  nt.label.Fill(first, n, labels[0], ctx);
  uint8_t flags = labels.size() > 1 ? kHasExtraLabels : 0;
  if (!batch.keys.ints.empty()) {
    flags |= kKeyInt;
    nt.key.SetRange(first, reinterpret_cast<const uint64_t*>(batch.keys.ints.data()), n, ctx);
  } else if (!batch.keys.empty()) {
    flags |= kKeyString;
    StringHeap& heap = v.strings.Mut(ctx.txn);
    std::vector<StringRef> refs(n);
    for (size_t i = 0; i < n; ++i) refs[i] = heap.Add(batch.keys.strings.at(i), ctx);
    nt.key.SetRange(first, refs.data(), n, ctx);
  }
  nt.flags.Fill(first, n, flags, ctx);
  nt.live += n;
  LabelSets& ls = v.labels.Mut(ctx.txn);
  for (uint32_t l : labels) {
    ls.Add(l, first + n - 1, ctx);  // sizes the bit column and counts one
    ls.members[l].Assign(first, n, nullptr, ctx);
    ls.counts[l] += n - 1;
  }
  if (!batch.keys.empty()) {
    KeyIndex& ki = v.keys.Mut(ctx.txn);
    auto key_at = [&](size_t i) { return KeyView::OfNode(*v.nodes, *v.strings, first + i); };
    (void)ForEachKeyPrefetched(ki, labels, n, key_at, [&](size_t i, uint32_t, uint64_t h) {
      ki.InsertHashed(h, static_cast<uint32_t>(first + i), ctx);
      return absl::OkStatus();
    });
  }
  if (batch.properties.empty()) {
    v.nodes.Mut(ctx.txn).row.Fill(first, n, kNoRow, ctx);
  } else {
    for (const auto& c : batch.properties) check::InternProperty(v, ctx, c.name);
    PropTable& t = v.MutNodeProps(labels[0], ctx.txn);
    const uint64_t first_row = AppendRows(t, first, n, ctx);
    WriteColumns(v, ctx, t, first_row, batch.properties);
    std::vector<uint32_t> rows(n);
    std::iota(rows.begin(), rows.end(), static_cast<uint32_t>(first_row));
    v.nodes.Mut(ctx.txn).row.SetRange(first, rows.data(), n, ctx);
  }
  for (size_t i = 0; i < out_ids.size(); ++i) out_ids[i] = first + i;
  return absl::OkStatus();
}

absl::Status AddEdges(Version& v, const WriteCtx& ctx, const EdgeBatch& batch,
                      absl::Span<EdgeId> out_ids) {
  NENDB_RETURN_IF_ERROR(
      v.Ready(kPartNodes | kPartEdges | kPartOut | kPartIn | kPartStrings | kPartEdgeProps));
  const size_t n = batch.sources.size();
  if (batch.targets.size() != n) {
    return absl::InvalidArgumentError(
        absl::StrCat("there are ", n, " sources but ", batch.targets.size(), " targets"));
  }
  if (!batch.weights.empty() && batch.weights.size() != n) {
    return absl::InvalidArgumentError(
        absl::StrCat("there are ", batch.weights.size(), " weights for ", n, " edges"));
  }
  if (!out_ids.empty() && out_ids.size() != n) {
    return absl::InvalidArgumentError(
        absl::StrCat("the id output has room for ", out_ids.size(), " ids, not ", n));
  }
  NENDB_RETURN_IF_ERROR(ValidateName("an edge type", batch.type));
  const NodeTable& nodes = *v.nodes;
  for (size_t i = 0; i < n; ++i) {
    if (!nodes.IsLive(batch.sources[i]) || !nodes.IsLive(batch.targets[i])) {
      const bool src = !nodes.IsLive(batch.sources[i]);
      return absl::NotFoundError(absl::StrCat(src ? "source " : "target ", "node ",
                                              src ? batch.sources[i] : batch.targets[i],
                                              " of edge ", i, " does not exist"));
    }
  }
  for (size_t i = 0; i < batch.weights.size(); ++i) {
    if (!std::isfinite(batch.weights[i])) {
      return absl::InvalidArgumentError(
          absl::StrCat("weight ", batch.weights[i], " of edge ", i, " is not a finite number"));
    }
  }
  NENDB_RETURN_IF_ERROR(ValidateColumns(batch.properties, n));
  {
    std::vector<Value> samples;
    for (const auto& c : batch.properties) samples.push_back(Sample(c));
    std::vector<check::NamedValue> named;
    for (size_t i = 0; i < batch.properties.size(); ++i) {
      named.push_back(check::NamedValue{batch.properties[i].name,
                                        v.catalog->property_names.Find(batch.properties[i].name),
                                        &samples[i], true});
    }
    NENDB_RETURN_IF_ERROR(check::CheckEdgeProps(v, v.catalog->edge_types.Find(batch.type), named));
  }
  if (v.edges->slots() + n > kMaxEdges) {
    return CapacityError(absl::StrCat("adding ", n, " edges would pass the limit of ", kMaxEdges));
  }
  if (n == 0) return absl::OkStatus();

  const uint32_t tid = check::InternType(v, ctx, batch.type);
  for (const auto& c : batch.properties) check::InternProperty(v, ctx, c.name);
  EdgeTable& et = v.edges.Mut(ctx.txn);
  const uint64_t first = et.slots();
  for (auto* c : {&et.src, &et.dst, &et.type, &et.gen, &et.row}) c->Resize(first + n, ctx);
  et.weight.Resize(first + n, ctx);
  constexpr size_t kBlock = 1 << 14;
  std::vector<uint32_t> buf(std::min(n, kBlock));
  for (size_t at = 0; at < n; at += kBlock) {
    const size_t k = std::min(kBlock, n - at);
    for (size_t i = 0; i < k; ++i) buf[i] = static_cast<uint32_t>(batch.sources[at + i]);
    et.src.SetRange(first + at, buf.data(), k, ctx);
    for (size_t i = 0; i < k; ++i) buf[i] = static_cast<uint32_t>(batch.targets[at + i]);
    et.dst.SetRange(first + at, buf.data(), k, ctx);
  }
  et.type.Fill(first, n, tid, ctx);
  if (batch.weights.empty()) {
    et.weight.Fill(first, n, 1.0, ctx);
  } else {
    et.weight.SetRange(first, batch.weights.data(), n, ctx);
  }
  et.live += n;
  et.CountType(tid, static_cast<int64_t>(n));
  if (batch.properties.empty()) {
    et.row.Fill(first, n, kNoRow, ctx);
  } else {
    PropTable& t = v.MutEdgeProps(tid, ctx.txn);
    const uint64_t first_row = AppendRows(t, first, n, ctx);
    WriteColumns(v, ctx, t, first_row, batch.properties);
    std::vector<uint32_t> rows(n);
    std::iota(rows.begin(), rows.end(), static_cast<uint32_t>(first_row));
    v.edges.Mut(ctx.txn).row.SetRange(first, rows.data(), n, ctx);
  }
  // A large batch rebuilds the adjacency from the edge table; a small one
  // goes to the per-node delta.
  et.added_since_rebuild += n;
  if (n >= std::max<uint64_t>(4096, et.live_at_rebuild / 8)) {
    if (!ctx.defer_adjacency && !v.adjacency_stale &&
        CanExtendAdjacency(et, first, *v.out, *v.in)) {
      ExtendAdjacency(et, first, v.nodes->slots(), v.out.Mut(ctx.txn), v.in.Mut(ctx.txn), ctx);
      FreePendingSlots(et, ctx);  // none pending: starts the compaction counts afresh
    } else if (ctx.defer_adjacency) {
      FreePendingSlots(v.edges.Mut(ctx.txn), ctx);
      v.adjacency_stale = true;
    } else {
      MaybeCompactAdjacency(v, ctx, /*force=*/true);
    }
  } else if (ctx.defer_adjacency) {
    v.adjacency_stale = true;
  } else {
    Adjacency& out = v.out.Mut(ctx.txn);
    Adjacency& in = v.in.Mut(ctx.txn);
    for (size_t i = 0; i < n; ++i) {
      const auto s = static_cast<uint32_t>(batch.sources[i]);
      const auto d = static_cast<uint32_t>(batch.targets[i]);
      out.Append(s, d, static_cast<uint32_t>(first + i), tid, ctx);
      in.Append(d, s, static_cast<uint32_t>(first + i), tid, ctx);
    }
  }
  for (size_t i = 0; i < out_ids.size(); ++i) {
    out_ids[i] = MakeEdgeId(static_cast<uint32_t>(first + i), 0);
  }
  return absl::OkStatus();
}

}  // namespace nendb::ops
