// Version: the complete state of a database as of one commit, as a tree of
// shared, copy-on-write tables (see Cow). Readers hold a const Version for
// the life of a read transaction and never block or see later changes; a
// write transaction works on its own copy, which Commit() publishes as the
// next Version.
//
// Tables mapped from a snapshot file are verified lazily: Ready(parts) checks
// the checksums (and index bounds) of those parts the first time they are
// needed, so opening stays O(1) in the data size.
//
// Ownership: shared_ptr<const Version> everywhere; a version keeps every
// block and mapped file it references alive. Thread-safety: const access is
// safe from any number of threads; a working version belongs to one writer.
#ifndef NENDB_STORAGE_VERSION_H_
#define NENDB_STORAGE_VERSION_H_

#include <array>
#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "nendb/env.h"
#include "storage/adjacency.h"
#include "storage/catalog.h"
#include "storage/cow.h"
#include "storage/edge_table.h"
#include "storage/key_index.h"
#include "storage/label_sets.h"
#include "storage/node_table.h"
#include "storage/prop_table.h"
#include "storage/string_heap.h"

namespace nendb {

namespace vec {
class Hnsw;  // src/vector, a layer above: this one only holds it
}

// A vector index (catalog->vector_indexes[i]) as of one version: an HNSW
// graph over the rows of the label's property column as they were when it
// was last folded (src/db/vector_indexes.h), and the rows changed since,
// which searches compare exactly. Immutable once its version is committed.
struct VectorIndexState {
  std::shared_ptr<const vec::Hnsw> graph;  // null until the column exists
  std::vector<uint32_t> pending;           // sorted, distinct
};

// Parts of a version that are verified together.
enum Part : uint32_t {
  kPartNodes = 1u << 0,
  kPartEdges = 1u << 1,
  kPartLabels = 1u << 2,
  kPartKeys = 1u << 3,
  kPartOut = 1u << 4,
  kPartIn = 1u << 5,
  kPartStrings = 1u << 6,
  kPartNodeProps = 1u << 7,
  kPartEdgeProps = 1u << 8,
  kPartAll = (1u << 9) - 1,
};

// Verifies the parts of a version that come from a snapshot file, each once.
class Verifier {
 public:
  virtual ~Verifier() = default;
  absl::Status Check(uint32_t parts) const {
    if ((verified_.load(std::memory_order_acquire) & parts) == parts) return absl::OkStatus();
    return CheckSlow(parts);
  }

 protected:
  // Checks one part; called at most once per part while it keeps failing
  // (a failure is remembered and returned again).
  virtual absl::Status VerifyPart(Part part) const = 0;

 private:
  absl::Status CheckSlow(uint32_t parts) const;
  mutable std::atomic<uint32_t> verified_{0};
  mutable absl::Mutex mu_;
  mutable absl::Status failure_ ABSL_GUARDED_BY(mu_);
};

// What higher layers derive from a committed version and keep with it (the
// analytics topology of a projection), by key. A copy of a version starts
// empty: the copy is about to change.
class DerivedCache {
 public:
  DerivedCache() = default;
  DerivedCache(const DerivedCache&) {}
  DerivedCache& operator=(const DerivedCache&) { return *this; }

  // The entry for key, made by make() on first use (make may fail; nothing
  // is kept then). Holds at most kMaxEntries, dropping the oldest.
  template <typename T, typename Make>
  auto Get(const std::string& key, Make&& make) -> decltype(make()) {
    {
      absl::MutexLock l(&mu_);
      for (const auto& [k, value] : entries_) {
        if (k == key) return std::static_pointer_cast<T>(value);
      }
    }
    auto made = make();  // unlocked: building may take a while
    if (!made.ok()) return made;
    Put(key, *made);
    return made;
  }

  // Adds (or replaces) an entry made elsewhere.
  void Put(const std::string& key, std::shared_ptr<const void> value) {
    absl::MutexLock l(&mu_);
    for (auto& [k, v] : entries_) {
      if (k == key) {
        v = std::move(value);
        return;
      }
    }
    if (entries_.size() >= kMaxEntries) entries_.erase(entries_.begin());
    entries_.emplace_back(key, std::move(value));
  }

  // The entries, oldest first.
  std::vector<std::pair<std::string, std::shared_ptr<const void>>> Entries() const {
    absl::MutexLock l(&mu_);
    return entries_;
  }

 private:
  static constexpr size_t kMaxEntries = 8;
  mutable absl::Mutex mu_;
  std::vector<std::pair<std::string, std::shared_ptr<const void>>> entries_ ABSL_GUARDED_BY(mu_);
};

// The directory a version's snapshot lives in, for files derived from it
// (projection files, docs/format/graph.md). Shared by the versions of a
// snapshot and their descendants; none for in-memory databases.
struct SnapshotHome {
  Env* env = nullptr;
  std::string dir;
  std::array<uint8_t, 16> database_id = {};  // the snapshot's
  // Whether this process may add files there (it did not open the database
  // read-only), and a tag unique to the process for its temporary names.
  bool writable = false;
  std::string tmp_tag;
};

struct Version {
  uint64_t seq = 0;  // the commit this version reflects
  // Where it comes from: snapshot generation `gen` (0: none yet; its file
  // has snapshot_bytes) and its log up to offset log_end.
  uint64_t gen = 0;
  uint64_t log_end = 0;
  uint64_t snapshot_bytes = 0;
  Cow<Catalog> catalog;
  Cow<NodeTable> nodes;
  Cow<EdgeTable> edges;
  Cow<LabelSets> labels;
  Cow<KeyIndex> keys;
  Cow<Adjacency> out;
  Cow<Adjacency> in;
  Cow<StringHeap> strings;
  std::vector<Cow<PropTable>> node_props;  // by label id
  std::vector<Cow<PropTable>> edge_props;  // by edge type id
  // By catalog->vector_indexes; a null entry is built at the next fold.
  std::vector<std::shared_ptr<const VectorIndexState>> vector_indexes;
  std::shared_ptr<const Verifier> verifier;  // null when nothing is mapped
  // The adjacency lags behind the edge table (edges were added or slots
  // freed under WriteCtx::defer_adjacency); built afresh before it is read.
  bool adjacency_stale = false;
  mutable DerivedCache derived;
  std::shared_ptr<const SnapshotHome> home;  // null: in memory

  absl::Status Ready(uint32_t parts) const {
    return verifier == nullptr ? absl::OkStatus() : verifier->Check(parts);
  }
  const Adjacency& adjacency(Side side) const { return side == Side::kOut ? *out : *in; }

  // The property table of a label / edge type, or nullptr if it has none.
  const PropTable* NodeProps(uint32_t label) const {
    return label < node_props.size() ? node_props[label].ptr().get() : nullptr;
  }
  const PropTable* EdgeProps(uint32_t type) const {
    return type < edge_props.size() ? edge_props[type].ptr().get() : nullptr;
  }
  // Mutable tables for a write transaction, created if missing.
  PropTable& MutNodeProps(uint32_t label, TxnId txn);
  PropTable& MutEdgeProps(uint32_t type, TxnId txn);
};

// Bytes a version's data takes (in memory or mapped), split by what it
// serves: for stats() and the memory estimate's tests.
struct Footprint {
  uint64_t node_bytes = 0;    // node table, labels, keys, node properties
  uint64_t edge_bytes = 0;    // edge table, adjacency, edge properties
  uint64_t string_bytes = 0;  // the string heap
};
Footprint MeasureFootprint(const Version& v);

}  // namespace nendb

#endif  // NENDB_STORAGE_VERSION_H_
