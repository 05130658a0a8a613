// ImportTriples (nendb/import.h): reads subject,predicate,object rows once,
// interning every distinct name; then finds the names that already are
// nodes of the label, inserts the others in bulk, and inserts the edges
// grouped by predicate.
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/hash/hash.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "import/columns.h"
#include "import/common.h"
#include "import/csv_reader.h"
#include "nendb/errors.h"
#include "nendb/import.h"
#include "storage/catalog.h"

namespace nendb {
namespace csv_import {
namespace {

// Distinct names, each stored once in one buffer (Arrow string layout) and
// numbered in order of first appearance.
class NameTable {
 public:
  NameTable() : set_(0, Hash{this}, Eq{this}) {}
  NameTable(const NameTable&) = delete;
  NameTable& operator=(const NameTable&) = delete;

  uint32_t Intern(absl::string_view name) {
    if (auto it = set_.find(name); it != set_.end()) return *it;
    const auto id = static_cast<uint32_t>(size());
    bytes_.append(name.data(), name.size());
    offsets_.push_back(bytes_.size());
    set_.insert(id);
    return id;
  }
  size_t size() const { return offsets_.size() - 1; }
  absl::string_view at(uint32_t id) const {
    return absl::string_view(bytes_).substr(offsets_[id], offsets_[id + 1] - offsets_[id]);
  }
  StringColumn strings() const { return StringColumn{offsets_, bytes_}; }

 private:
  struct Hash {
    using is_transparent = void;
    const NameTable* t;
    size_t operator()(absl::string_view s) const { return absl::Hash<absl::string_view>()(s); }
    size_t operator()(uint32_t id) const { return (*this)(t->at(id)); }
  };
  struct Eq {
    using is_transparent = void;
    const NameTable* t;
    absl::string_view View(absl::string_view s) const { return s; }
    absl::string_view View(uint32_t id) const { return t->at(id); }
    template <typename A, typename B>
    bool operator()(const A& a, const B& b) const {
      return View(a) == View(b);
    }
  };

  std::string bytes_;
  std::vector<uint64_t> offsets_ = {0};
  absl::flat_hash_set<uint32_t, Hash, Eq> set_;
};

class TriplesImporter {
 public:
  TriplesImporter(WriteTransaction& tx, const TriplesCsv& spec)
      : tx_(tx), spec_(spec), bad_(spec.path, spec.format.skip_bad_rows) {}

  absl::StatusOr<ImportResult> Run(const ProgressFn& progress);

 private:
  absl::Status OnRecord(const CsvRecord& record);
  std::string RowProblem(const CsvRecord& record) const;
  absl::Status CheckPredicates();
  // Node ids of all names, inserting the new ones; returns how many were new.
  absl::StatusOr<uint64_t> ResolveNodes(std::vector<NodeId>& ids);
  absl::Status InsertEdges(const std::vector<NodeId>& ids);

  WriteTransaction& tx_;
  const TriplesCsv& spec_;
  BadRows bad_;
  uint64_t records_ = 0;
  NameTable names_;
  absl::flat_hash_map<std::string, uint32_t> predicate_ids_;
  std::vector<std::string> predicates_;
  std::vector<uint32_t> subjects_, objects_, triple_predicates_;
};

bool IsHeader(const CsvRecord& record) {
  return record.cells.size() == 3 && absl::EqualsIgnoreCase(record.cells[0].text, "subject") &&
         absl::EqualsIgnoreCase(record.cells[1].text, "predicate") &&
         absl::EqualsIgnoreCase(record.cells[2].text, "object");
}

absl::StatusOr<ImportResult> TriplesImporter::Run(const ProgressFn& progress) {
  if (absl::Status s = ValidateName("a label", spec_.label); !s.ok()) {
    return Annotate(s, spec_.path);
  }
  absl::Status s = ReadCsv(spec_.path, spec_.format, progress, bad_,
                           [this](const CsvRecord& r) { return OnRecord(r); });
  if (!s.ok()) return s;
  ImportResult result;
  result.rows = subjects_.size();
  CountSkipped(bad_, result);
  if (subjects_.empty()) return result;
  if (absl::Status p = CheckPredicates(); !p.ok()) return p;
  std::vector<NodeId> ids;
  auto added = ResolveNodes(ids);
  if (!added.ok()) return added.status();
  if (absl::Status e = InsertEdges(ids); !e.ok()) return e;
  result.nodes_added = *added;
  result.edges_added = subjects_.size();
  return result;
}

absl::Status TriplesImporter::OnRecord(const CsvRecord& record) {
  if (records_++ == 0 && IsHeader(record)) return absl::OkStatus();
  const std::string problem = RowProblem(record);
  if (!problem.empty()) return bad_.Report(record.line, problem);
  subjects_.push_back(names_.Intern(record.cells[0].text));
  objects_.push_back(names_.Intern(record.cells[2].text));
  const absl::string_view p = record.cells[1].text;
  auto it = predicate_ids_.find(p);
  if (it == predicate_ids_.end()) {
    it = predicate_ids_.emplace(p, static_cast<uint32_t>(predicates_.size())).first;
    predicates_.emplace_back(p);
  }
  triple_predicates_.push_back(it->second);
  return absl::OkStatus();
}

std::string TriplesImporter::RowProblem(const CsvRecord& record) const {
  if (record.cells.size() != 3) {
    return absl::StrCat("the row has ", record.cells.size(),
                        " cells; a triple has 3 (subject, predicate, object)");
  }
  std::string p = KeyProblem(record.cells[0], "subject", "1");
  if (p.empty()) p = KeyProblem(record.cells[2], "object", "3");
  if (!p.empty()) return p;
  if (absl::Status s = ValidateName("the predicate", record.cells[1].text); !s.ok()) {
    return std::string(s.message());
  }
  return "";
}

// Batches without rows check every edge type before anything is inserted.
absl::Status TriplesImporter::CheckPredicates() {
  for (const std::string& p : predicates_) {
    EdgeBatch probe;
    probe.type = p;
    if (absl::Status s = tx_.AddEdges(probe, {}); !s.ok()) return Annotate(s, spec_.path);
  }
  return absl::OkStatus();
}

absl::StatusOr<uint64_t> TriplesImporter::ResolveNodes(std::vector<NodeId>& ids) {
  const size_t n = names_.size();
  ids.assign(n, kNoNode);
  std::vector<uint32_t> fresh;  // names without a node
  auto info = tx_.GetLabelInfo(spec_.label);
  const bool may_exist = info.ok() && info->num_nodes > 0;
  for (uint32_t i = 0; i < n; ++i) {
    if (may_exist) {
      if (auto found = tx_.FindNode(spec_.label, Key(names_.at(i))); found.ok()) {
        ids[i] = *found;
        continue;
      }
    }
    fresh.push_back(i);
  }
  // The new names in the Arrow layout (all names when every one is new).
  std::string bytes;
  std::vector<uint64_t> offsets;
  StringColumn keys = names_.strings();
  if (fresh.size() != n) {
    offsets.push_back(0);
    for (uint32_t i : fresh) {
      const absl::string_view name = names_.at(i);
      bytes.append(name.data(), name.size());
      offsets.push_back(bytes.size());
    }
    keys = StringColumn{offsets, bytes};
  }
  NodeBatch batch;
  batch.labels = {spec_.label};
  // A batch without rows checks the label's schema and changes nothing.
  if (absl::Status s = tx_.AddNodes(batch, {}); !s.ok()) return Annotate(s, spec_.path);
  if (tx_.NodeIdBound() + fresh.size() > kMaxNodes) {
    return CapacityError(absl::StrCat(spec_.path, ": adding ", fresh.size(),
                                      " nodes would pass the limit of ", kMaxNodes, " nodes"));
  }
  std::vector<NodeId> new_ids(fresh.size());
  for (size_t begin = 0; begin < fresh.size(); begin += kBatchRows) {
    const size_t count = std::min(fresh.size() - begin, kBatchRows);
    batch.count = count;
    batch.keys.strings = StringColumn{keys.offsets.subspan(begin, count + 1), keys.bytes};
    absl::Status s = tx_.AddNodes(batch, absl::MakeSpan(new_ids).subspan(begin, count));
    if (!s.ok()) {
      return begin == 0 ? Annotate(s, spec_.path) : PartialInsertError(spec_.path, s, begin);
    }
  }
  for (size_t k = 0; k < fresh.size(); ++k) ids[fresh[k]] = new_ids[k];
  return fresh.size();
}

absl::Status TriplesImporter::InsertEdges(const std::vector<NodeId>& ids) {
  std::vector<std::vector<uint32_t>> rows(predicates_.size());
  for (size_t r = 0; r < triple_predicates_.size(); ++r) {
    rows[triple_predicates_[r]].push_back(static_cast<uint32_t>(r));
  }
  std::vector<NodeId> src, dst;
  for (size_t p = 0; p < predicates_.size(); ++p) {
    for (size_t begin = 0; begin < rows[p].size(); begin += kBatchRows) {
      const size_t count = std::min(rows[p].size() - begin, kBatchRows);
      src.clear();
      dst.clear();
      for (size_t k = begin; k < begin + count; ++k) {
        src.push_back(ids[subjects_[rows[p][k]]]);
        dst.push_back(ids[objects_[rows[p][k]]]);
      }
      EdgeBatch b;
      b.sources = src;
      b.targets = dst;
      b.type = predicates_[p];
      if (absl::Status s = tx_.AddEdges(b, {}); !s.ok()) {
        return PartialInsertError(spec_.path, s, 0);
      }
    }
  }
  return absl::OkStatus();
}

}  // namespace
}  // namespace csv_import

absl::StatusOr<ImportResult> ImportTriples(WriteTransaction& tx, const TriplesCsv& spec,
                                           const ProgressFn& progress) {
  return csv_import::TriplesImporter(tx, spec).Run(progress);
}

}  // namespace nendb
