#include "db/check.h"

#include <vector>

#include "absl/strings/str_cat.h"
#include "db/db_impl.h"
#include "db/index_files.h"
#include "db/projections.h"
#include "nendb/errors.h"
#include "txn/queries.h"

namespace nendb {
namespace {

class Problems {
 public:
  explicit Problems(std::string* report) : report_(report) {}
  void Add(const std::string& what) {
    if (count_++ < kMaxLines) absl::StrAppend(report_, what, "\n");
  }
  uint64_t count() const { return count_; }
  const std::string& first() const { return first_; }
  void Note(const std::string& what) {
    if (count_ == 0) first_ = what;
    Add(what);
  }

 private:
  static constexpr uint64_t kMaxLines = 100;
  std::string* report_;
  uint64_t count_ = 0;
  std::string first_;
};

void CheckNodes(const Version& v, Problems& p) {
  const NodeTable& nt = *v.nodes;
  uint64_t live = 0;
  uint64_t key_entries = 0;
  std::vector<uint64_t> per_label(v.catalog->labels.size());
  for (uint64_t n = 0; n < nt.slots(); ++n) {
    if (!nt.IsLive(n)) continue;
    ++live;
    const auto labels = query::NodeLabels(v, n);
    if (!v.labels->Has(labels[0], n)) {
      p.Note(absl::StrCat("node ", n, ": primary label bit missing"));
    }
    for (uint32_t l : labels) ++per_label[l];
    const bool extra = (nt.flags.Get(n) & kHasExtraLabels) != 0;
    if (!extra && labels.size() > 1)
      p.Note(absl::StrCat("node ", n, ": extra-labels flag missing"));
    if ((nt.flags.Get(n) & kKeyKindMask) != kKeyNone) {
      const KeyView key = KeyView::OfNode(nt, *v.strings, n);
      key_entries += labels.size();
      for (uint32_t l : labels) {
        if (v.keys->Find(l, key, nt, *v.labels, *v.strings) != n) {
          p.Note(absl::StrCat("node ", n, ": key not found in the index under label ",
                              v.catalog->labels.Name(l)));
        }
      }
    }
    const uint32_t row = nt.row.Get(n);
    if (row != kNoRow) {
      const PropTable* t = v.NodeProps(labels[0]);
      if (t == nullptr || row >= t->rows() || !t->used.Get(row) || t->entity.Get(row) != n) {
        p.Note(absl::StrCat("node ", n, ": property row ", row, " does not point back"));
      }
    }
  }
  if (live != nt.live) p.Note(absl::StrCat("node count ", nt.live, " but ", live, " live slots"));
  if (key_entries != v.keys->live) {
    p.Note(absl::StrCat("key index holds ", v.keys->live, " entries; ", key_entries,
                        " keyed labels exist"));
  }
  for (uint32_t l = 0; l < per_label.size(); ++l) {
    if (per_label[l] != v.labels->Count(l)) {
      p.Note(absl::StrCat("label ", v.catalog->labels.Name(l), ": count ", v.labels->Count(l),
                          " but ", per_label[l], " nodes"));
    }
  }
}

void CheckEdges(const Version& v, Problems& p) {
  const EdgeTable& et = *v.edges;
  std::vector<uint8_t> seen_out(et.slots()), seen_in(et.slots());
  uint64_t live = 0;
  std::vector<uint64_t> per_type(v.catalog->edge_types.size());
  for (uint64_t e = 0; e < et.slots(); ++e) {
    if (!et.IsLiveSlot(e)) continue;
    ++live;
    if (et.type.Get(e) < per_type.size()) ++per_type[et.type.Get(e)];
    if (!v.nodes->IsLive(et.src.Get(e)) || !v.nodes->IsLive(et.dst.Get(e))) {
      p.Note(absl::StrCat("edge slot ", e, ": an endpoint is not a live node"));
    }
  }
  if (live != et.live) p.Note(absl::StrCat("edge count ", et.live, " but ", live, " live slots"));
  for (uint32_t t = 0; t < per_type.size(); ++t) {
    const uint64_t counted = t < et.type_counts.size() ? et.type_counts[t] : 0;
    if (counted != per_type[t]) {
      p.Note(absl::StrCat("edge type ", v.catalog->edge_types.Name(t), ": count ", counted, " but ",
                          per_type[t], " edges"));
    }
  }
  for (uint64_t n = 0; n < v.nodes->slots(); ++n) {
    for (Side side : {Side::kOut, Side::kIn}) {
      auto& seen = side == Side::kOut ? seen_out : seen_in;
      v.adjacency(side).ForEach(n, [&](uint32_t nbr, uint32_t slot, uint32_t type) {
        if (!et.IsLiveSlot(slot)) return;
        const uint32_t me = side == Side::kOut ? et.src.Get(slot) : et.dst.Get(slot);
        const uint32_t other = side == Side::kOut ? et.dst.Get(slot) : et.src.Get(slot);
        if (me != n || other != nbr || et.type.Get(slot) != type) {
          p.Note(absl::StrCat("adjacency of node ", n, " lists edge slot ", slot, " wrongly"));
        }
        if (++seen[slot] == 2) p.Note(absl::StrCat("edge slot ", slot, " is listed twice"));
      });
    }
  }
  for (uint64_t e = 0; e < et.slots(); ++e) {
    if (et.IsLiveSlot(e) && (seen_out[e] == 0 || seen_in[e] == 0)) {
      p.Note(absl::StrCat("edge slot ", e, " is missing from the adjacency"));
    }
  }
}

}  // namespace

absl::Status CheckVersion(const Version& v, const std::string& where, std::string* report) {
  if (absl::Status s = v.Ready(kPartAll); !s.ok()) {
    absl::StrAppend(report, s.message(), "\n");
    return s;
  }
  Problems p(report);
  CheckNodes(v, p);
  CheckEdges(v, p);
  if (p.count() == 0) {
    absl::StrAppend(report, "ok: ", v.nodes->live, " nodes, ", v.edges->live,
                    " edges, every checksum and invariant holds\n");
    return absl::OkStatus();
  }
  return CorruptionError(where, 0,
                         absl::StrCat(p.count(), " inconsistencies, the first: ", p.first()));
}

absl::Status DBImpl::Check(std::string* report) const {
  if (core_->closed()) return ClosedError(absl::StrCat("database ", path(), " is closed"));
  const std::shared_ptr<const Version> v = core_->Current();
  const absl::Status s = CheckVersion(*v, path(), report);
  absl::Status files = CheckProjectionFiles(*v, core_->threads(), report);
  const absl::Status indexes = CheckIndexFiles(*v, report);
  if (files.ok()) files = indexes;
  const absl::Status graphs = CheckVectorIndexes(*v, report);
  if (files.ok()) files = graphs;
  return s.ok() ? files : s;
}

}  // namespace nendb
