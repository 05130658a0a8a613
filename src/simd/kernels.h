// The SIMD kernels of the analytics, looked up per instruction set.
//
// A Kernels table holds one implementation of every kernel for one Isa
// (simd/isa.h): scalar.cc is the plain C++ reference the others are tested
// against (tests/simd/kernels_test.cc), avx2.cc and avx512.cc instantiate
// the xsimd versions of kernels_impl.h for their instruction set. Callers
// take Active() once per call of their algorithm and call through it.
//
// Results are exact for the integer kernels; the floating-point sums add in
// a different order per Isa, so they agree with the reference to rounding.
//
// Thread-safety: the tables are immutable; every kernel is reentrant.
#ifndef NENDB_SIMD_KERNELS_H_
#define NENDB_SIMD_KERNELS_H_

#include <cstddef>
#include <cstdint>

#include "simd/isa.h"

namespace nendb::simd {

struct Kernels {
  Isa isa;
  // For strictly increasing lists a and b: writes the values in both to out
  // (room for min(na, nb) values), in increasing order, and returns how many.
  size_t (*intersect)(const uint32_t* a, size_t na, const uint32_t* b, size_t nb, uint32_t* out);
  // The sum of values[index[i]] for i < n.
  double (*gather_sum)(const double* values, const uint32_t* index, size_t n);
  // The sum of values[index[i]] * weights[i] for i < n.
  double (*gather_dot)(const double* values, const uint32_t* index, const float* weights, size_t n);
};

// The table of isa, which must be one of AvailableIsas().
const Kernels& KernelsFor(Isa isa);
// The table of ActiveIsa().
const Kernels& Active();

// Defined by scalar.cc, avx2.cc and avx512.cc.
const Kernels& ScalarKernels();
const Kernels& Avx2Kernels();
const Kernels& Avx512Kernels();

}  // namespace nendb::simd

#endif  // NENDB_SIMD_KERNELS_H_
