// Verification of a mapped snapshot: the meta section's consistency at open,
// and per part (see Version::Ready) the CRC32C of its sections plus every
// index they hold (ids, offsets, free chains, string references) being in
// range, so that nothing read from a damaged file can crash or misdirect the
// process. Failures are Corruption errors naming the file and byte offset.
#ifndef NENDB_SNAPSHOT_VERIFY_H_
#define NENDB_SNAPSHOT_VERIFY_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "nendb/env.h"
#include "snapshot/format.h"
#include "snapshot/meta.h"
#include "snapshot/sections.h"
#include "storage/version.h"

namespace nendb::snapshot {

// Where each section of a loaded snapshot sits in the section table.
struct Layout {
  size_t node_label = 0, node_row = 0, node_gen = 0, node_flags = 0, node_key = 0;
  std::vector<size_t> label_members;
  size_t edge_src = 0, edge_dst = 0, edge_type = 0, edge_gen = 0, edge_row = 0, edge_weight = 0;
  struct Adj {
    size_t offsets = 0, nbr = 0, edge = 0, type = 0;
  } adj[2];
  size_t key_slots = 0;
  size_t strings = 0;
  // Per table: entity, used, then values and valid per column.
  std::vector<std::vector<size_t>> node_tables, edge_tables;
};

// Checks the decoded meta section for impossible values.
absl::Status CheckMeta(const std::string& path, const Meta& meta);

class FileVerifier final : public Verifier {
 public:
  FileVerifier(SectionFile file, Meta meta, Layout layout);

 protected:
  absl::Status VerifyPart(Part part) const override;

 private:
  absl::Status Bad(size_t section, uint64_t element, const std::string& what) const;
  template <typename T>
  const T* Array(size_t section) const {
    return reinterpret_cast<const T*>(file_.data(section));
  }
  absl::Status VerifyNodes() const;
  absl::Status VerifyEdges() const;
  absl::Status VerifyAdjacency(int side) const;
  absl::Status VerifyTables(bool edges) const;
  uint64_t TableRows(bool edges, uint32_t id) const;

  SectionFile file_;
  Meta meta_;
  Layout lay_;
};

}  // namespace nendb::snapshot

#endif  // NENDB_SNAPSHOT_VERIFY_H_
