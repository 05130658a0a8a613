// The distance kernels of vector search, looked up per instruction set like
// the analytics kernels (simd/kernels.h): distance_scalar.cc is the plain
// C++ reference, distance_impl.h the xsimd templates that avx2.cc and
// avx512.cc instantiate. Each kernel compares one query with n rows of
// `dim` values stored back to back (a property column's layout), so a scan
// keeps the query in registers and streams the rows.
//
// Float sums add in a different order per instruction set (and with FMA),
// so they agree with the reference to rounding; Hamming distances and binary
// codes are exact.
//
// Thread-safety: the tables are immutable; every kernel is reentrant.
#ifndef NENDB_SIMD_DISTANCE_H_
#define NENDB_SIMD_DISTANCE_H_

#include <cstddef>
#include <cstdint>

#include "simd/isa.h"

namespace nendb::simd {

struct DistanceKernels {
  Isa isa;
  // out[j] = sum over i < dim of (q[i] - r[i])^2, r = rows + j * dim.
  void (*l2_squared)(const float* q, const float* rows, size_t dim, size_t n, float* out);
  // out[j] = sum of q[i] * r[i].
  void (*dot)(const float* q, const float* rows, size_t dim, size_t n, float* out);
  // out[j] = sum of |q[i] - r[i]|.
  void (*manhattan)(const float* q, const float* rows, size_t dim, size_t n, float* out);
  // dots[j] = sum of q[i] * r[i] and norms[j] = sum of r[i]^2, in one pass
  // over the rows (what cosine needs).
  void (*dot_and_norm)(const float* q, const float* rows, size_t dim, size_t n, float* dots,
                       float* norms);
  // out[j] = the bits that differ between q and r, `words` 64-bit words each.
  void (*hamming)(const uint64_t* q, const uint64_t* rows, size_t words, size_t n, uint32_t* out);
  // The binary code of each row: bit i (bit i % 64 of word i / 64) set when
  // r[i] > 0, ceil(dim / 64) words per row at out + j * words, the bits
  // past dim clear.
  void (*sign_bits)(const float* rows, size_t dim, size_t n, uint64_t* out);

  // Rows quantized to bytes (value i of a row decodes as lo[i] + scale[i] *
  // c[i], dim bytes per row back to back) against a query prepared once:
  // out[j] = sum of (qa[i] - scale[i] * c[i])^2, qa = q - lo.
  void (*sq8_l2_squared)(const float* qa, const float* scale, const uint8_t* codes, size_t dim,
                         size_t n, float* out);
  // out[j] = sum of |qa[i] - scale[i] * c[i]|.
  void (*sq8_manhattan)(const float* qa, const float* scale, const uint8_t* codes, size_t dim,
                        size_t n, float* out);
  // out[j] = sum of qs[i] * c[i], qs = q * scale: the dot product with the
  // decoded row less the query's constant sum of q[i] * lo[i].
  void (*sq8_dot)(const float* qs, const uint8_t* codes, size_t dim, size_t n, float* out);
};

// The table of isa, which must be one of AvailableIsas().
const DistanceKernels& DistancesFor(Isa isa);
// The table of ActiveIsa().
const DistanceKernels& ActiveDistances();

// Defined by distance_scalar.cc, avx2.cc and avx512.cc.
const DistanceKernels& ScalarDistances();
const DistanceKernels& Avx2Distances();
const DistanceKernels& Avx512Distances();

}  // namespace nendb::simd

#endif  // NENDB_SIMD_DISTANCE_H_
