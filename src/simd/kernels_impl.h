// The xsimd versions of the kernels, as templates on the xsimd architecture.
// Included only by the translation unit of one instruction set (avx2.cc,
// avx512.cc), which is compiled for it and first defines, for its
// architecture A, uint32_t MaskBits(xsimd::batch_bool<uint32_t, A>): lane i
// to bit i (xsimd 8 has no mask extraction).
#ifndef NENDB_SIMD_KERNELS_IMPL_H_
#define NENDB_SIMD_KERNELS_IMPL_H_

#include <cstddef>
#include <cstdint>
#include <utility>

#include "simd/kernels.h"
#include "xsimd/xsimd.hpp"

namespace nendb::simd {

template <class A>
struct XsimdKernels {
  using U32 = xsimd::batch<uint32_t, A>;
  using F64 = xsimd::batch<double, A>;
  static constexpr size_t kLanes = U32::size;

  // Block-wise merge: a block of a is compared against every value of a block
  // of b (broadcast from memory, so the compares need no shuffles), then the
  // block with the smaller last value moves on. Lists are strictly increasing,
  // so each pair of blocks meets at most once and no match is found twice.
  static size_t Intersect(const uint32_t* a, size_t na, const uint32_t* b, size_t nb,
                          uint32_t* out) {
    size_t i = 0, j = 0, k = 0;
    while (i + kLanes <= na && j + kLanes <= nb) {
      const uint32_t a_last = a[i + kLanes - 1], b_last = b[j + kLanes - 1];
      if (a_last >= b[j] && b_last >= a[i]) {
        const U32 block = U32::load_unaligned(a + i);
        uint32_t bits = MaskBits(AnyEqual(block, b + j, std::make_index_sequence<kLanes>()));
        while (bits != 0) {
          out[k++] = a[i + __builtin_ctz(bits)];
          bits &= bits - 1;
        }
      }
      i += a_last <= b_last ? kLanes : 0;
      j += b_last <= a_last ? kLanes : 0;
    }
    // The last partial blocks: the reference's merge.
    return k + ScalarKernels().intersect(a + i, na - i, b + j, nb - j, out + k);
  }

  template <size_t... L>
  static xsimd::batch_bool<uint32_t, A> AnyEqual(const U32& block, const uint32_t* b,
                                                 std::index_sequence<L...>) {
    return ((block == U32(b[L])) | ...);
  }

  // Lanes filled by scalar loads: the CPUs measured run hardware gathers
  // slower than scalar loads (bench/simd_bench.cc, BM_GatherSum), and the adds
  // still go a batch at a time, on two accumulators so that consecutive
  // batches do not wait on one add chain.
  template <size_t... L>
  static F64 Load(const double* values, const uint32_t* index, std::index_sequence<L...>) {
    return F64({values[index[L]]...});
  }
  template <size_t... L>
  static F64 Widen(const float* weights, std::index_sequence<L...>) {
    return F64({static_cast<double>(weights[L])...});
  }

  static double GatherSum(const double* values, const uint32_t* index, size_t n) {
    constexpr size_t w = F64::size;
    constexpr auto lanes = std::make_index_sequence<w>();
    F64 acc0(0.0), acc1(0.0);
    size_t i = 0;
    for (; i + 2 * w <= n; i += 2 * w) {
      acc0 += Load(values, index + i, lanes);
      acc1 += Load(values, index + i + w, lanes);
    }
    if (i + w <= n) {
      acc0 += Load(values, index + i, lanes);
      i += w;
    }
    double sum = xsimd::hadd(acc0 + acc1);
    for (; i < n; ++i) sum += values[index[i]];
    return sum;
  }

  static double GatherDot(const double* values, const uint32_t* index, const float* weights,
                          size_t n) {
    constexpr size_t w = F64::size;
    constexpr auto lanes = std::make_index_sequence<w>();
    F64 acc0(0.0), acc1(0.0);
    size_t i = 0;
    for (; i + 2 * w <= n; i += 2 * w) {
      acc0 = xsimd::fma(Load(values, index + i, lanes), Widen(weights + i, lanes), acc0);
      acc1 = xsimd::fma(Load(values, index + i + w, lanes), Widen(weights + i + w, lanes), acc1);
    }
    if (i + w <= n) {
      acc0 = xsimd::fma(Load(values, index + i, lanes), Widen(weights + i, lanes), acc0);
      i += w;
    }
    double sum = xsimd::hadd(acc0 + acc1);
    for (; i < n; ++i) sum += values[index[i]] * weights[i];
    return sum;
  }

  static const Kernels& Table(Isa isa) {
    static const Kernels table{isa, Intersect, GatherSum, GatherDot};
    return table;
  }
};

}  // namespace nendb::simd

#endif  // NENDB_SIMD_KERNELS_IMPL_H_
