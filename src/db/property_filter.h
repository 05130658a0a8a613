// KnnOptions::where (nendb/vector_index.h) on the rows of node property
// tables: the conditions resolved against a version's catalog once per
// query, then applied to each label table's bitset of candidate rows,
// reading the columns in place (numbers and booleans from their bytes,
// strings from the heap, nothing copied).
//
// Thread-safety: plain functions of immutable versions.
#ifndef NENDB_DB_PROPERTY_FILTER_H_
#define NENDB_DB_PROPERTY_FILTER_H_

#include <cstdint>
#include <optional>
#include <vector>

#include "absl/status/statusor.h"
#include "nendb/vector_index.h"
#include "storage/version.h"

namespace nendb {

struct ResolvedCondition {
  std::optional<uint32_t> name;  // the property-name id; none: no node has it
  CompareOp op;
  Value value;
};

// InvalidArgument for a condition whose value is null or a vector.
absl::StatusOr<std::vector<ResolvedCondition>> ResolveConditions(
    const Version& v, const std::vector<PropertyCondition>& where);

// Clears the bit of every row of t in `allowed` (a bit per row) whose node
// fails a condition.
void ApplyConditions(const Version& v, const PropTable& t,
                     const std::vector<ResolvedCondition>& conditions,
                     std::vector<uint64_t>* allowed);

}  // namespace nendb

#endif  // NENDB_DB_PROPERTY_FILTER_H_
