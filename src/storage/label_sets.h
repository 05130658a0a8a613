// LabelSets: which nodes carry which label, one bit column per label over
// node ids, and the number of nodes per label. A node's primary label is
// also recorded in the NodeTable; every label, primary or not, has its bit.
//
// Ownership and thread-safety: see Cow and Column.
#ifndef NENDB_STORAGE_LABEL_SETS_H_
#define NENDB_STORAGE_LABEL_SETS_H_

#include <cstdint>
#include <vector>

#include "storage/column.h"

namespace nendb {

struct LabelSets {
  TxnId owner = 0;
  std::vector<BitColumn> members;  // by label id
  std::vector<uint64_t> counts;    // by label id

  bool Has(uint32_t label, uint64_t node) const {
    return label < members.size() && node < members[label].size() && members[label].Get(node);
  }
  uint64_t Count(uint32_t label) const { return label < counts.size() ? counts[label] : 0; }
  void Add(uint32_t label, uint64_t node, const WriteCtx& ctx) {
    if (label >= members.size()) {
      members.resize(label + 1);
      counts.resize(label + 1);
    }
    members[label].Resize(node + 1, ctx);
    members[label].Set(node, true, ctx);
    ++counts[label];
  }
  void Remove(uint32_t label, uint64_t node, const WriteCtx& ctx) {
    members[label].Set(node, false, ctx);
    --counts[label];
  }
  void Fork(TxnId txn) {
    owner = txn;
    for (auto& m : members) m.Fork();
  }
};

}  // namespace nendb

#endif  // NENDB_STORAGE_LABEL_SETS_H_
