// ImportEdgesCsv (nendb/import.h): reads the whole file once, resolving the
// source and target keys of every row to nodes and checking its cells; then
// settles property types, groups the rows by edge type and inserts each
// group in bulk batches.
#include <cmath>
#include <optional>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "import/columns.h"
#include "import/common.h"
#include "import/csv_reader.h"
#include "import/header.h"
#include "nendb/errors.h"
#include "nendb/import.h"
#include "storage/catalog.h"

namespace nendb {
namespace csv_import {
namespace {

// Finds nodes of one label by the text of a key cell: as an int64 key when
// the text is an integer, else (or if that finds nothing) as a string key.
// It tries first the kind that matched last.
class KeyResolver {
 public:
  KeyResolver(const ReadTransaction& tx, std::string label, std::optional<ValueType> declared)
      : tx_(tx), label_(std::move(label)), declared_(declared) {}

  const std::string& label() const { return label_; }

  NodeId Find(absl::string_view cell) {
    int64_t i = 0;
    const bool is_int = declared_ != ValueType::kString && ParseInt64(cell, &i);
    if (declared_ == ValueType::kInt64 || (is_int && ints_first_)) {
      if (!is_int) return kNoNode;
      if (NodeId n = Try(Key(i)); n != kNoNode || declared_) return n;
      NodeId n = Try(Key(cell));
      if (n != kNoNode) ints_first_ = false;
      return n;
    }
    if (NodeId n = Try(Key(cell)); n != kNoNode || !is_int) return n;
    NodeId n = Try(Key(i));
    if (n != kNoNode) ints_first_ = true;
    return n;
  }

 private:
  NodeId Try(const Key& key) const {
    auto found = tx_.FindNode(label_, key);
    return found.ok() ? *found : kNoNode;
  }

  const ReadTransaction& tx_;
  std::string label_;
  std::optional<ValueType> declared_;
  bool ints_first_ = true;
};

// The rows of one edge type.
struct TypeGroup {
  std::string type;
  std::vector<uint32_t> rows;  // empty: every row, in order
};

class EdgeImporter {
 public:
  EdgeImporter(WriteTransaction& tx, const EdgeCsv& spec)
      : tx_(tx),
        spec_(spec),
        bad_(spec.path, spec.format.skip_bad_rows),
        sources_(tx, spec.source_label, DeclaredType(spec.format, spec.source_column)),
        targets_(tx, spec.target_label, DeclaredType(spec.format, spec.target_column)) {}

  absl::StatusOr<ImportResult> Run(const ProgressFn& progress);

 private:
  absl::Status CheckSpec() const;
  absl::Status OnRecord(const CsvRecord& record);
  absl::Status OnHeader(const CsvRecord& record);
  // The row's problem, or "" after appending its values.
  std::string TakeRow(const CsvRecord& record);
  std::string Endpoint(const CsvRecord& record, size_t column, absl::string_view what,
                       KeyResolver& resolver, NodeId* node) const;
  std::string TypeOf(const CsvRecord& record, uint32_t* type);
  std::string WeightOf(const CsvRecord& record, double* weight) const;
  std::vector<TypeGroup> Groups() const;
  absl::Status Insert(const std::vector<TypedColumn>& columns,
                      const std::vector<TypeGroup>& groups);
  absl::Status InsertGroup(const std::vector<TypedColumn>& columns, const TypeGroup& group,
                           uint64_t* inserted);

  WriteTransaction& tx_;
  const EdgeCsv& spec_;
  BadRows bad_;
  KeyResolver sources_;
  KeyResolver targets_;
  std::optional<Header> header_;
  size_t source_index_ = 0, target_index_ = 0;
  std::optional<size_t> type_index_, weight_index_;
  std::vector<PropertyInput> props_;
  // Per row kept:
  std::vector<NodeId> src_, dst_;
  std::vector<double> weights_;
  std::vector<uint32_t> types_;
  // Edge types met in the type column.
  absl::flat_hash_map<std::string, uint32_t> type_ids_;
  std::vector<std::string> type_names_;
};

absl::StatusOr<ImportResult> EdgeImporter::Run(const ProgressFn& progress) {
  if (absl::Status s = CheckSpec(); !s.ok()) return s;
  absl::Status s = ReadCsv(spec_.path, spec_.format, progress, bad_,
                           [this](const CsvRecord& r) { return OnRecord(r); });
  if (!s.ok()) return s;
  if (!header_) return FileError(spec_.path, "the file is empty; it needs a header row");
  ImportResult result;
  result.rows = src_.size();
  CountSkipped(bad_, result);
  if (src_.empty()) return result;
  const std::vector<TypedColumn> columns = ToTyped(std::move(props_));
  if (absl::Status i = Insert(columns, Groups()); !i.ok()) return i;
  result.edges_added = src_.size();
  return result;
}

absl::Status EdgeImporter::CheckSpec() const {
  if (spec_.type.empty() == spec_.type_column.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat(spec_.path,
                     ": give either a fixed edge type or the column holding "
                     "each row's type"));
  }
  if (!spec_.type.empty()) {
    if (absl::Status s = ValidateName("an edge type", spec_.type); !s.ok()) {
      return Annotate(s, spec_.path);
    }
  }
  for (const std::string* label : {&spec_.source_label, &spec_.target_label}) {
    if (label->empty()) {
      return absl::InvalidArgumentError(
          absl::StrCat(spec_.path, ": give the labels of the source and target nodes"));
    }
    if (!tx_.GetLabelInfo(*label).ok()) {
      return absl::NotFoundError(absl::StrCat(spec_.path, ": there are no nodes with label \"",
                                              *label, "\"; import them first"));
    }
  }
  return absl::OkStatus();
}

absl::Status EdgeImporter::OnRecord(const CsvRecord& record) {
  if (!header_) return OnHeader(record);
  std::string problem = TakeRow(record);
  return problem.empty() ? absl::OkStatus() : bad_.Report(record.line, problem);
}

absl::Status EdgeImporter::OnHeader(const CsvRecord& record) {
  auto header = Header::Parse(spec_.path, record);
  if (!header.ok()) return header.status();
  header_ = *std::move(header);
  if (absl::Status s = header_->CheckTypes(spec_.format); !s.ok()) return s;
  auto source = header_->Find(spec_.source_column, "source column");
  if (!source.ok()) return source.status();
  auto target = header_->Find(spec_.target_column, "target column");
  if (!target.ok()) return target.status();
  source_index_ = *source;
  target_index_ = *target;
  std::vector<size_t> excluded = {source_index_, target_index_};
  if (!spec_.type_column.empty()) {
    auto t = header_->Find(spec_.type_column, "type column");
    if (!t.ok()) return t.status();
    type_index_ = *t;
    excluded.push_back(*t);
  }
  if (!spec_.weight_column.empty()) {
    auto w = header_->Find(spec_.weight_column, "weight column");
    if (!w.ok()) return w.status();
    weight_index_ = *w;
    excluded.push_back(*w);
  }
  auto props = PropertyInputs(*header_, spec_.format, excluded);
  if (!props.ok()) return props.status();
  props_ = *std::move(props);
  return absl::OkStatus();
}

std::string EdgeImporter::TakeRow(const CsvRecord& record) {
  if (record.cells.size() != header_->size()) {
    return absl::StrCat("the row has ", record.cells.size(), " cells; the header has ",
                        header_->size());
  }
  NodeId src = kNoNode, dst = kNoNode;
  uint32_t type = 0;
  double weight = 1.0;
  std::string p = Endpoint(record, source_index_, "source", sources_, &src);
  if (p.empty()) p = Endpoint(record, target_index_, "target", targets_, &dst);
  if (p.empty() && type_index_) p = TypeOf(record, &type);
  if (p.empty() && weight_index_) p = WeightOf(record, &weight);
  for (size_t i = 0; i < props_.size() && p.empty(); ++i) {
    p = CellProblem(record.cells[props_[i].index], props_[i]);
  }
  if (!p.empty()) return p;
  src_.push_back(src);
  dst_.push_back(dst);
  if (type_index_) types_.push_back(type);
  if (weight_index_) weights_.push_back(weight);
  AppendProperties(record, props_);
  return "";
}

std::string EdgeImporter::Endpoint(const CsvRecord& record, size_t column, absl::string_view what,
                                   KeyResolver& resolver, NodeId* node) const {
  const CsvCell& cell = record.cells[column];
  const std::string& name = header_->name(column);
  std::string p = KeyProblem(cell, what == "source" ? "source key" : "target key", name);
  if (!p.empty()) return p;
  *node = resolver.Find(cell.text);
  if (*node != kNoNode) return "";
  return absl::StrCat("no node with label \"", resolver.label(), "\" has key ", Quote(cell.text),
                      " (the ", what, " in column \"", name, "\")");
}

std::string EdgeImporter::TypeOf(const CsvRecord& record, uint32_t* type) {
  const absl::string_view text = record.cells[*type_index_].text;
  if (auto it = type_ids_.find(text); it != type_ids_.end()) {
    *type = it->second;
    return "";
  }
  if (absl::Status s = ValidateName("the edge type", text); !s.ok()) {
    return absl::StrCat("column \"", spec_.type_column, "\": ", s.message());
  }
  *type = static_cast<uint32_t>(type_names_.size());
  type_names_.emplace_back(text);
  type_ids_.emplace(text, *type);
  return "";
}

std::string EdgeImporter::WeightOf(const CsvRecord& record, double* weight) const {
  const CsvCell& cell = record.cells[*weight_index_];
  if (cell.empty()) return "";  // the default weight
  if (!ParseFloat64(cell.text, weight)) {
    return absl::StrCat("weight column \"", spec_.weight_column,
                        "\": ", NotA(cell.text, ValueType::kFloat64));
  }
  if (!std::isfinite(*weight)) {
    return absl::StrCat("weight column \"", spec_.weight_column, "\": ", cell.text,
                        " is not a finite number");
  }
  return "";
}

std::vector<TypeGroup> EdgeImporter::Groups() const {
  if (!type_index_) return {TypeGroup{spec_.type, {}}};
  std::vector<TypeGroup> groups(type_names_.size());
  std::vector<size_t> counts(type_names_.size());
  for (uint32_t t : types_) ++counts[t];
  for (size_t t = 0; t < groups.size(); ++t) {
    groups[t].type = type_names_[t];
    groups[t].rows.reserve(counts[t]);
  }
  for (size_t r = 0; r < types_.size(); ++r) {
    groups[types_[r]].rows.push_back(static_cast<uint32_t>(r));
  }
  return groups;
}

absl::Status EdgeImporter::Insert(const std::vector<TypedColumn>& columns,
                                  const std::vector<TypeGroup>& groups) {
  // Batches without rows check names and property types and change nothing.
  for (const TypeGroup& g : groups) {
    EdgeBatch probe;
    probe.type = g.type;
    probe.properties = SliceAll(columns, 0, 0);
    if (absl::Status s = tx_.AddEdges(probe, {}); !s.ok()) return Annotate(s, spec_.path);
  }
  uint64_t inserted = 0;
  for (const TypeGroup& g : groups) {
    if (absl::Status s = InsertGroup(columns, g, &inserted); !s.ok()) return s;
  }
  return absl::OkStatus();
}

absl::Status EdgeImporter::InsertGroup(const std::vector<TypedColumn>& all_columns,
                                       const TypeGroup& group, uint64_t* inserted) {
  std::vector<NodeId> src, dst;
  std::vector<double> weights;
  std::vector<TypedColumn> gathered;
  const std::vector<NodeId>* s = &src_;
  const std::vector<NodeId>* d = &dst_;
  const std::vector<double>* w = &weights_;
  const std::vector<TypedColumn>* columns = &all_columns;
  if (!group.rows.empty()) {
    for (uint32_t r : group.rows) {
      src.push_back(src_[r]);
      dst.push_back(dst_[r]);
      if (weight_index_) weights.push_back(weights_[r]);
    }
    for (const TypedColumn& c : all_columns) gathered.push_back(c.Gather(group.rows));
    s = &src, d = &dst, w = &weights, columns = &gathered;
  }
  const size_t n = s->size();
  for (size_t begin = 0; begin < n; begin += kBatchRows) {
    const size_t count = std::min(n - begin, kBatchRows);
    EdgeBatch b;
    b.sources = absl::MakeConstSpan(*s).subspan(begin, count);
    b.targets = absl::MakeConstSpan(*d).subspan(begin, count);
    if (weight_index_) b.weights = absl::MakeConstSpan(*w).subspan(begin, count);
    b.type = group.type;
    b.properties = SliceAll(*columns, begin, begin + count);
    if (absl::Status st = tx_.AddEdges(b, {}); !st.ok()) {
      return *inserted == 0 ? Annotate(st, spec_.path)
                            : PartialInsertError(spec_.path, st, *inserted);
    }
    *inserted += count;
  }
  return absl::OkStatus();
}

}  // namespace
}  // namespace csv_import

absl::StatusOr<ImportResult> ImportEdgesCsv(WriteTransaction& tx, const EdgeCsv& spec,
                                            const ProgressFn& progress) {
  return csv_import::EdgeImporter(tx, spec).Run(progress);
}

}  // namespace nendb
