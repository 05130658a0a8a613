// CreateVectorIndex / DropVectorIndex: vector index definitions in the
// catalog. The graphs themselves are built above this layer (src/db
// vector_indexes) from the null state a new definition gets here.
#include "absl/strings/str_cat.h"
#include "nendb/errors.h"
#include "nendb/vector_index.h"
#include "txn/ops.h"
#include "util/status_macros.h"

namespace nendb::ops {
namespace {

// The definition's index in the catalog, or -1.
int FindIndex(const Catalog& c, uint32_t label, uint32_t property, uint8_t metric) {
  for (size_t i = 0; i < c.vector_indexes.size(); ++i) {
    const VectorIndexDef& x = c.vector_indexes[i];
    if (x.label == label && x.property == property && x.metric == metric) return int(i);
  }
  return -1;
}

// The vector dimension the label's nodes have for the property: its column's
// or its schema's; 0 with an error otherwise.
absl::Status CheckVectorProperty(const Version& v, uint32_t label, const VectorIndexSpec& spec) {
  auto name = v.catalog->property_names.Find(spec.property);
  const PropTable* t = v.NodeProps(label);
  const int c = name && t != nullptr ? t->FindColumn(*name) : -1;
  const DeclaredProperty* declared =
      name && label < v.catalog->schemas.size() ? v.catalog->schemas[label].Find(*name) : nullptr;
  ValueType type = c >= 0 ? t->columns[c].type : declared ? declared->type : ValueType::kNull;
  if (type == ValueType::kNull) {
    return absl::NotFoundError(absl::StrCat(
        "no node of label '", spec.label, "' has a property named '", spec.property,
        "' and the label's schema does not declare it; add the vectors (or declare the "
        "property) before indexing them"));
  }
  if (type != ValueType::kVector) {
    return absl::InvalidArgumentError(absl::StrCat("property '", spec.property, "' of label '",
                                                   spec.label, "' holds values of type ",
                                                   ValueTypeName(type), ", not vectors"));
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status CreateVectorIndex(Version& v, const WriteCtx& ctx, const VectorIndexSpec& spec) {
  NENDB_RETURN_IF_ERROR(v.Ready(kPartNodeProps));
  auto label = v.catalog->labels.Find(spec.label);
  if (!label) return absl::NotFoundError(absl::StrCat("no label named '", spec.label, "'"));
  NENDB_RETURN_IF_ERROR(CheckVectorProperty(v, *label, spec));
  if (int(spec.metric) < 0 || int(spec.metric) > int(VectorMetric::kHamming)) {
    return absl::InvalidArgumentError("unknown metric");
  }
  if (int(spec.quantization) < 0 || int(spec.quantization) > int(VectorQuantization::kInt8)) {
    return absl::InvalidArgumentError("unknown quantization");
  }
  if (spec.metric == VectorMetric::kHamming && spec.quantization != VectorQuantization::kNone) {
    return absl::InvalidArgumentError(
        "a Hamming index compares binary codes already: create it without int8 quantization");
  }
  if (spec.m < kMinIndexM || spec.m > kMaxIndexM) {
    return absl::InvalidArgumentError(absl::StrCat("M = ", spec.m, " is out of range: choose ",
                                                   kMinIndexM, " to ", kMaxIndexM,
                                                   " (16 is typical)"));
  }
  if (spec.ef_construction < spec.m || spec.ef_construction > kMaxIndexEf) {
    return absl::InvalidArgumentError(absl::StrCat("ef_construction = ", spec.ef_construction,
                                                   " is out of range: choose M (", spec.m, ") to ",
                                                   kMaxIndexEf, " (200 is typical)"));
  }
  const uint32_t property = *v.catalog->property_names.Find(spec.property);
  const uint8_t metric = static_cast<uint8_t>(spec.metric);
  if (FindIndex(*v.catalog, *label, property, metric) >= 0) {
    return ConstraintError(absl::StrCat("label '", spec.label, "' already has a ",
                                        VectorMetricName(spec.metric), " index of property '",
                                        spec.property, "'"));
  }
  v.catalog.Mut(ctx.txn).vector_indexes.push_back(
      VectorIndexDef{*label, property, metric, spec.m, spec.ef_construction,
                     static_cast<uint8_t>(spec.quantization)});
  v.vector_indexes.resize(v.catalog->vector_indexes.size());
  v.vector_indexes.back() = nullptr;
  return absl::OkStatus();
}

absl::Status DropVectorIndex(Version& v, const WriteCtx& ctx, absl::string_view label,
                             absl::string_view property, VectorMetric metric) {
  auto l = v.catalog->labels.Find(label);
  auto p = v.catalog->property_names.Find(property);
  const int i = l && p ? FindIndex(*v.catalog, *l, *p, static_cast<uint8_t>(metric)) : -1;
  if (i < 0) {
    return absl::NotFoundError(absl::StrCat("label '", label, "' has no ", VectorMetricName(metric),
                                            " index of property '", property, "'"));
  }
  auto& defs = v.catalog.Mut(ctx.txn).vector_indexes;
  defs.erase(defs.begin() + i);
  v.vector_indexes.resize(defs.size() + 1);
  v.vector_indexes.erase(v.vector_indexes.begin() + i);
  return absl::OkStatus();
}

}  // namespace nendb::ops
