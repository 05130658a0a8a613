// The names of nendb::VectorMetric and VectorQuantization
// (nendb/vector_index.h), which every layer from the catalog up prints, and
// of nendb::CompareOp.
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "nendb/vector_index.h"

namespace nendb {

absl::StatusOr<VectorMetric> ParseVectorMetric(absl::string_view name) {
  const std::string n = absl::AsciiStrToLower(name);
  if (n == "l2sq" || n == "l2_squared" || n == "sqeuclidean") return VectorMetric::kL2Squared;
  if (n == "l2" || n == "euclidean") return VectorMetric::kL2;
  if (n == "ip" || n == "inner_product" || n == "dot") return VectorMetric::kInnerProduct;
  if (n == "cosine" || n == "cos") return VectorMetric::kCosine;
  if (n == "l1" || n == "manhattan") return VectorMetric::kManhattan;
  if (n == "hamming") return VectorMetric::kHamming;
  return absl::InvalidArgumentError(
      absl::StrCat("unknown metric '", name,
                   "'; use one of \"cosine\", \"l2\", \"l2sq\", \"ip\", \"l1\", \"hamming\""));
}

const char* VectorMetricName(VectorMetric metric) {
  switch (metric) {
    case VectorMetric::kL2Squared:
      return "l2sq";
    case VectorMetric::kL2:
      return "l2";
    case VectorMetric::kInnerProduct:
      return "ip";
    case VectorMetric::kCosine:
      return "cosine";
    case VectorMetric::kManhattan:
      return "l1";
    case VectorMetric::kHamming:
      return "hamming";
  }
  return "unknown";
}

absl::StatusOr<VectorQuantization> ParseVectorQuantization(absl::string_view name) {
  const std::string n = absl::AsciiStrToLower(name);
  if (n == "none" || n.empty()) return VectorQuantization::kNone;
  if (n == "int8" || n == "sq8") return VectorQuantization::kInt8;
  return absl::InvalidArgumentError(
      absl::StrCat("unknown quantization '", name, "'; use \"none\" or \"int8\""));
}

const char* VectorQuantizationName(VectorQuantization q) {
  return q == VectorQuantization::kInt8 ? "int8" : "none";
}

absl::StatusOr<CompareOp> ParseCompareOp(absl::string_view name) {
  if (name == "==" || name == "=") return CompareOp::kEq;
  if (name == "!=") return CompareOp::kNe;
  if (name == "<") return CompareOp::kLt;
  if (name == "<=") return CompareOp::kLe;
  if (name == ">") return CompareOp::kGt;
  if (name == ">=") return CompareOp::kGe;
  return absl::InvalidArgumentError(absl::StrCat(
      "unknown comparison '", name, "'; use one of \"==\", \"!=\", \"<\", \"<=\", \">\", \">=\""));
}

}  // namespace nendb
