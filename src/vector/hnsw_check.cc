// Hnsw::Check: the invariants the graph keeps, for tests and for index files
// read back from disk.
#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "vector/hnsw.h"

namespace nendb::vec {

absl::Status Hnsw::Check() const {
  uint64_t present = 0;
  int top = -1;
  absl::flat_hash_set<uint32_t> seen;
  for (uint64_t slot = 0; slot < capacity(); ++slot) {
    int level = levels_[slot];
    if (level < 0) continue;
    ++present;
    top = std::max(top, level);
    for (int l = 0; l <= level; ++l) {
      const uint32_t* links = LinksAt(uint32_t(slot), l);
      if (links[0] > MaxLinks(l)) {
        return absl::DataLossError(absl::StrCat(
            "slot ", slot, " has ", links[0], " links at level ", l, ", more than ", MaxLinks(l)));
      }
      seen.clear();
      for (uint32_t i = 0; i < links[0]; ++i) {
        uint32_t n = links[1 + i];
        if (n == slot || !Contains(n) || levels_[n] < l || !seen.insert(n).second) {
          return absl::DataLossError(absl::StrCat("slot ", slot, " links at level ", l, " to slot ",
                                                  n, ", which ",
                                                  n == slot        ? "is itself"
                                                  : !Contains(n)   ? "is not in the graph"
                                                  : levels_[n] < l ? "is not on that level"
                                                                   : "it already links to"));
        }
      }
    }
  }
  if (present != present_) {
    return absl::DataLossError(
        absl::StrCat("the graph counts ", present_, " slots but holds ", present));
  }
  if (present == 0 ? entry_ != kNone || top_level_ != -1
                   : (!Contains(entry_) || levels_[entry_] != top || top_level_ != top)) {
    return absl::DataLossError(
        absl::StrCat("the entry point ", entry_, " is not a slot of the top level ", top));
  }
  return absl::OkStatus();
}

}  // namespace nendb::vec
