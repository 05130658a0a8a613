// ImportNodesCsv (nendb/import.h): reads the whole file once, checking every
// row and keeping the cells column by column; then settles key and property
// types, drops duplicate or existing keys, and inserts in bulk batches.
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

class NodeImporter {
 public:
  NodeImporter(WriteTransaction& tx, const NodeCsv& spec)
      : tx_(tx), spec_(spec), bad_(spec.path, spec.format.skip_bad_rows) {}

  absl::StatusOr<ImportResult> Run(const ProgressFn& progress);

 private:
  absl::Status OnRecord(const CsvRecord& record);
  absl::Status OnHeader(const CsvRecord& record);
  absl::Status ApplyLabelColumns();
  std::string RowProblem(const CsvRecord& record) const;
  absl::Status SettleKeys();
  absl::Status CheckKey(size_t row, std::vector<uint8_t>& keep);
  absl::Status Insert(const std::vector<TypedColumn>& columns);
  NodeBatch Batch(const std::vector<TypedColumn>& columns, size_t begin, size_t end) const;

  WriteTransaction& tx_;
  const NodeCsv& spec_;
  BadRows bad_;
  std::optional<LabelInfo> label_info_;  // unset for a new label
  std::optional<Header> header_;
  std::optional<size_t> key_index_;
  std::vector<PropertyInput> props_;
  RawColumn keys_raw_;
  std::vector<uint64_t> lines_;  // of the rows kept
  bool int_keys_ = false;
  std::vector<int64_t> int_keys_values_;
  // The first row of each key, for duplicates; the views point into keys_raw_.
  absl::flat_hash_map<int64_t, size_t> seen_ints_;
  absl::flat_hash_map<absl::string_view, size_t> seen_strings_;
};

absl::StatusOr<ImportResult> NodeImporter::Run(const ProgressFn& progress) {
  if (absl::Status s = ValidateName("a label", spec_.label); !s.ok()) {
    return Annotate(s, spec_.path);
  }
  if (auto info = tx_.GetLabelInfo(spec_.label); info.ok()) label_info_ = *std::move(info);
  absl::Status s = ReadCsv(spec_.path, spec_.format, progress, bad_,
                           [this](const CsvRecord& r) { return OnRecord(r); });
  if (!s.ok()) return s;
  if (!header_) return FileError(spec_.path, "the file is empty; it needs a header row");
  if (absl::Status k = SettleKeys(); !k.ok()) return k;
  ImportResult result;
  result.rows = lines_.size();
  CountSkipped(bad_, result);
  if (lines_.empty()) return result;
  const std::vector<TypedColumn> columns = ToTyped(std::move(props_));
  if (absl::Status i = Insert(columns); !i.ok()) return i;
  result.nodes_added = lines_.size();
  return result;
}

absl::Status NodeImporter::OnRecord(const CsvRecord& record) {
  if (!header_) return OnHeader(record);
  const std::string problem = RowProblem(record);
  if (!problem.empty()) return bad_.Report(record.line, problem);
  if (key_index_) {
    const CsvCell& key = record.cells[*key_index_];
    keys_raw_.Append(key.text, key.null);
  }
  AppendProperties(record, props_);
  lines_.push_back(record.line);
  return absl::OkStatus();
}

absl::Status NodeImporter::OnHeader(const CsvRecord& record) {
  auto header = Header::Parse(spec_.path, record);
  if (!header.ok()) return header.status();
  header_ = *std::move(header);
  if (absl::Status s = header_->CheckTypes(spec_.format); !s.ok()) return s;
  std::vector<size_t> excluded;
  if (!spec_.key_column.empty()) {
    auto k = header_->Find(spec_.key_column, "key column");
    if (!k.ok()) return k.status();
    key_index_ = *k;
    excluded.push_back(*k);
    auto t = DeclaredType(spec_.format, spec_.key_column);
    if (t && *t != ValueType::kInt64 && *t != ValueType::kString) {
      return FileError(spec_.path,
                       absl::StrCat("the key column \"", spec_.key_column,
                                    "\" must be int64 or string, not ", ValueTypeName(*t)));
    }
  }
  auto props = PropertyInputs(*header_, spec_.format, excluded);
  if (!props.ok()) return props.status();
  props_ = *std::move(props);
  return ApplyLabelColumns();
}

// Fixes the types of columns the label already stores, marks required ones
// and checks that no required column is missing.
absl::Status NodeImporter::ApplyLabelColumns() {
  if (!label_info_) return absl::OkStatus();
  for (const ColumnInfo& c : label_info_->columns) {
    PropertyInput* in = nullptr;
    for (auto& p : props_) {
      if (p.name == c.name) in = &p;
    }
    if (in == nullptr) {
      if (!c.required) continue;
      return FileError(spec_.path, absl::StrCat("label \"", spec_.label, "\" requires property \"",
                                                c.name, "\", but the file has no such column"));
    }
    if (c.type == ValueType::kVector) {
      return FileError(spec_.path,
                       absl::StrCat("label \"", spec_.label, "\" stores \"", c.name,
                                    "\" as float vectors, which a CSV import cannot fill"));
    }
    if (c.required) in->required_by = spec_.label;
    if (!in->type && c.type != ValueType::kNull) {
      in->type = c.type;
      in->type_origin =
          absl::StrCat("label \"", spec_.label, "\" stores it as ", ValueTypeName(c.type));
    }
  }
  return absl::OkStatus();
}

std::string NodeImporter::RowProblem(const CsvRecord& record) const {
  if (record.cells.size() != header_->size()) {
    return absl::StrCat("the row has ", record.cells.size(), " cells; the header has ",
                        header_->size());
  }
  if (key_index_) {
    const CsvCell& key = record.cells[*key_index_];
    std::string p = KeyProblem(key, "key", spec_.key_column);
    if (!p.empty()) return p;
    const auto t = DeclaredType(spec_.format, spec_.key_column);
    if (t == ValueType::kInt64 && !Parses(key.text, ValueType::kInt64)) {
      return absl::StrCat("key column \"", spec_.key_column,
                          "\": ", NotA(key.text, ValueType::kInt64), " (as declared)");
    }
  }
  for (const PropertyInput& c : props_) {
    std::string p = CellProblem(record.cells[c.index], c);
    if (!p.empty()) return p;
  }
  return "";
}

// Chooses int or string keys, then drops (or fails on) keys that repeat in
// the file or already exist under the label.
absl::Status NodeImporter::SettleKeys() {
  if (!key_index_) return absl::OkStatus();
  const auto declared = DeclaredType(spec_.format, spec_.key_column);
  int_keys_ = declared ? *declared == ValueType::kInt64 : InferType(keys_raw_) == ValueType::kInt64;
  if (int_keys_) {
    int_keys_values_.resize(keys_raw_.size());
    for (size_t r = 0; r < keys_raw_.size(); ++r) ParseInt64(keys_raw_.at(r), &int_keys_values_[r]);
  }
  std::vector<uint8_t> keep(lines_.size(), 1);
  if (int_keys_) {
    seen_ints_.reserve(lines_.size());
  } else {
    seen_strings_.reserve(lines_.size());
  }
  size_t dropped = 0;
  for (size_t r = 0; r < lines_.size(); ++r) {
    if (absl::Status s = CheckKey(r, keep); !s.ok()) return s;
    dropped += keep[r] == 0;
  }
  seen_ints_ = {};
  seen_strings_ = {};
  if (dropped == 0) return absl::OkStatus();
  keys_raw_.Filter(keep);
  for (auto& p : props_) p.raw.Filter(keep);
  size_t out = 0;
  for (size_t r = 0; r < lines_.size(); ++r) {
    if (!keep[r]) continue;
    lines_[out] = lines_[r];
    if (int_keys_) int_keys_values_[out] = int_keys_values_[r];
    ++out;
  }
  lines_.resize(out);
  if (int_keys_) int_keys_values_.resize(out);
  return absl::OkStatus();
}

// Marks the row to be dropped (or fails) if its key repeats an earlier row's
// or names an existing node of the label.
// Marks the row to be dropped (or fails) if its key repeats an earlier row's
// or names an existing node of the label.
absl::Status NodeImporter::CheckKey(size_t row, std::vector<uint8_t>& keep) {
  auto shown = [&] {
    return int_keys_ ? absl::StrCat(int_keys_values_[row]) : Quote(keys_raw_.at(row));
  };
  std::string problem;
  size_t first = row;
  if (int_keys_) {
    first = seen_ints_.try_emplace(int_keys_values_[row], row).first->second;
  } else {
    first = seen_strings_.try_emplace(keys_raw_.at(row), row).first->second;
  }
  if (first != row) {
    problem = absl::StrCat("key ", shown(), " appears again (first on line ", lines_[first], ")");
  } else if (label_info_ && label_info_->num_nodes > 0) {
    const Key key = int_keys_ ? Key(int_keys_values_[row]) : Key(keys_raw_.at(row));
    if (auto found = tx_.FindNode(spec_.label, key); found.ok()) {
      problem = absl::StrCat("a node with label \"", spec_.label, "\" and key ", shown(),
                             " already exists (node ", *found, ")");
    }
  }
  if (problem.empty()) return absl::OkStatus();
  keep[row] = 0;
  return bad_.Report(lines_[row], problem);
}

absl::Status NodeImporter::Insert(const std::vector<TypedColumn>& columns) {
  const size_t n = lines_.size();
  if (tx_.NodeIdBound() + n > kMaxNodes) {
    return CapacityError(absl::StrCat(spec_.path, ": adding ", n, " nodes would pass the limit of ",
                                      kMaxNodes, " nodes"));
  }
  // A batch without rows checks names, types and schemas and changes nothing.
  if (absl::Status s = tx_.AddNodes(Batch(columns, 0, 0), {}); !s.ok()) {
    return Annotate(s, spec_.path);
  }
  for (size_t begin = 0; begin < n; begin += kBatchRows) {
    const size_t end = std::min(n, begin + kBatchRows);
    if (absl::Status s = tx_.AddNodes(Batch(columns, begin, end), {}); !s.ok()) {
      return begin == 0 ? Annotate(s, spec_.path) : PartialInsertError(spec_.path, s, begin);
    }
  }
  return absl::OkStatus();
}

NodeBatch NodeImporter::Batch(const std::vector<TypedColumn>& columns, size_t begin,
                              size_t end) const {
  NodeBatch b;
  b.labels = {spec_.label};
  b.count = end - begin;
  if (key_index_ && end > begin) {
    if (int_keys_) {
      b.keys.ints = absl::MakeConstSpan(int_keys_values_).subspan(begin, end - begin);
    } else {
      const StringColumn all = keys_raw_.strings();
      b.keys.strings = StringColumn{all.offsets.subspan(begin, end - begin + 1), all.bytes};
    }
  }
  b.properties = SliceAll(columns, begin, end);
  return b;
}

}  // namespace
}  // namespace csv_import

absl::StatusOr<ImportResult> ImportNodesCsv(WriteTransaction& tx, const NodeCsv& spec,
                                            const ProgressFn& progress) {
  return csv_import::NodeImporter(tx, spec).Run(progress);
}

}  // namespace nendb
