// The scalar references: the simplest correct loop for each kernel, what the
// xsimd versions are tested against, and what runs on CPUs without AVX2.
#include "simd/kernels.h"

namespace nendb::simd {
namespace {

size_t Intersect(const uint32_t* a, size_t na, const uint32_t* b, size_t nb, uint32_t* out) {
  size_t i = 0, j = 0, k = 0;
  while (i < na && j < nb) {
    if (a[i] < b[j]) {
      ++i;
    } else if (b[j] < a[i]) {
      ++j;
    } else {
      out[k++] = a[i];
      ++i;
      ++j;
    }
  }
  return k;
}

double GatherSum(const double* values, const uint32_t* index, size_t n) {
  double sum = 0;
  for (size_t i = 0; i < n; ++i) sum += values[index[i]];
  return sum;
}

double GatherDot(const double* values, const uint32_t* index, const float* weights, size_t n) {
  double sum = 0;
  for (size_t i = 0; i < n; ++i) sum += values[index[i]] * weights[i];
  return sum;
}

}  // namespace

const Kernels& ScalarKernels() {
  static constexpr Kernels kTable{Isa::kScalar, Intersect, GatherSum, GatherDot};
  return kTable;
}

}  // namespace nendb::simd
