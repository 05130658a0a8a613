// Checks of property values and keys against the documented limits, label
// schemas and the types fixed by existing columns; and the small mutation
// helpers that every write operation shares once its checks have passed.
#ifndef NENDB_TXN_PROP_CHECK_H_
#define NENDB_TXN_PROP_CHECK_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "nendb/value.h"
#include "storage/version.h"

namespace nendb::check {

// A property to check: its name, name id if interned, and value.
struct NamedValue {
  absl::string_view name;
  std::optional<uint32_t> id;
  const Value* value;   // for a bulk column: a sample of the column's type
  bool column = false;  // value stands for a bulk column
};

absl::Status ValidateKey(const Key& key);
absl::Status ValidateString(absl::string_view what, absl::string_view s, size_t limit);
absl::Status ValidateValue(absl::string_view name, const Value& value);
absl::Status ValidateWeight(double weight);

// Validates names and values of a property map and resolves name ids.
absl::StatusOr<std::vector<NamedValue>> ResolveProps(const Version& v, const PropertyMap& props);

// Checks properties of a node with the given (existing) labels against their
// schemas and the primary label's columns (primary: unset if the primary
// label is new). With `complete`, props is the
// node's whole property set and required properties must be in it.
absl::Status CheckNodeProps(const Version& v, absl::Span<const uint32_t> labels,
                            std::optional<uint32_t> primary, absl::Span<const NamedValue> props,
                            bool complete);
// Checks edge properties against the edge type's existing columns.
absl::Status CheckEdgeProps(const Version& v, std::optional<uint32_t> type,
                            absl::Span<const NamedValue> props);

// Mutation helpers, used after the checks passed.
uint32_t InternLabel(Version& v, const WriteCtx& ctx, absl::string_view name);
uint32_t InternType(Version& v, const WriteCtx& ctx, absl::string_view name);
uint32_t InternProperty(Version& v, const WriteCtx& ctx, absl::string_view name);
// The column for a property in a table, created with the value's type.
PropColumn& EnsureColumn(PropTable& t, uint32_t name, const Value& value, const WriteCtx& ctx);

enum class Entity { kNode, kEdge };
// Stores props (null removes) in the property row of a node (in its primary
// label's table) or an edge slot (in its type's table), allocating the row on
// first use.
void StoreProps(Version& v, const WriteCtx& ctx, Entity kind, uint32_t id,
                absl::Span<const NamedValue> props);

}  // namespace nendb::check

#endif  // NENDB_TXN_PROP_CHECK_H_
