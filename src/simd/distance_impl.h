// The xsimd versions of the distance kernels, as templates on the xsimd
// architecture; included only by the translation unit of one instruction set
// (avx2.cc, avx512.cc), which is compiled for it.
#ifndef NENDB_SIMD_DISTANCE_IMPL_H_
#define NENDB_SIMD_DISTANCE_IMPL_H_

#include <cstddef>
#include <cstdint>

#include "simd/distance.h"
#include "xsimd/xsimd.hpp"

namespace nendb::simd {

template <class A>
struct XsimdDistances {
  using F32 = xsimd::batch<float, A>;
  static constexpr size_t kLanes = F32::size;

  // The sum over a row of step(q[i], r[i]), batch by batch on two
  // accumulators (so consecutive batches do not wait on one add chain),
  // the last dim % kLanes values one by one.
  template <typename Step, typename One>
  static float Sum(const float* q, const float* r, size_t dim, Step step, One one) {
    F32 acc0(0.0f), acc1(0.0f);
    size_t i = 0;
    for (; i + 2 * kLanes <= dim; i += 2 * kLanes) {
      acc0 = step(F32::load_unaligned(q + i), F32::load_unaligned(r + i), acc0);
      acc1 = step(F32::load_unaligned(q + i + kLanes), F32::load_unaligned(r + i + kLanes), acc1);
    }
    if (i + kLanes <= dim) {
      acc0 = step(F32::load_unaligned(q + i), F32::load_unaligned(r + i), acc0);
      i += kLanes;
    }
    float sum = xsimd::hadd(acc0 + acc1);
    for (; i < dim; ++i) sum += one(q[i], r[i]);
    return sum;
  }

  static void L2Squared(const float* q, const float* rows, size_t dim, size_t n, float* out) {
    for (size_t j = 0; j < n; ++j) {
      out[j] = Sum(
          q, rows + j * dim, dim,
          [](F32 x, F32 y, F32 acc) {
            const F32 d = x - y;
            return xsimd::fma(d, d, acc);
          },
          [](float x, float y) { return (x - y) * (x - y); });
    }
  }

  static void Dot(const float* q, const float* rows, size_t dim, size_t n, float* out) {
    for (size_t j = 0; j < n; ++j) {
      out[j] = Sum(
          q, rows + j * dim, dim, [](F32 x, F32 y, F32 acc) { return xsimd::fma(x, y, acc); },
          [](float x, float y) { return x * y; });
    }
  }

  static void Manhattan(const float* q, const float* rows, size_t dim, size_t n, float* out) {
    for (size_t j = 0; j < n; ++j) {
      out[j] = Sum(
          q, rows + j * dim, dim, [](F32 x, F32 y, F32 acc) { return acc + xsimd::abs(x - y); },
          [](float x, float y) { return x > y ? x - y : y - x; });
    }
  }

  static void DotAndNorm(const float* q, const float* rows, size_t dim, size_t n, float* dots,
                         float* norms) {
    for (size_t j = 0; j < n; ++j) {
      const float* r = rows + j * dim;
      F32 dot(0.0f), norm(0.0f);
      size_t i = 0;
      for (; i + kLanes <= dim; i += kLanes) {
        const F32 y = F32::load_unaligned(r + i);
        dot = xsimd::fma(F32::load_unaligned(q + i), y, dot);
        norm = xsimd::fma(y, y, norm);
      }
      float d = xsimd::hadd(dot), s = xsimd::hadd(norm);
      for (; i < dim; ++i) {
        d += q[i] * r[i];
        s += r[i] * r[i];
      }
      dots[j] = d;
      norms[j] = s;
    }
  }

  // Hardware popcount (the translation unit is compiled with it); words one
  // by one, as vector popcounts need AVX-512 VPOPCNTDQ, which few CPUs have.
  static void Hamming(const uint64_t* q, const uint64_t* rows, size_t words, size_t n,
                      uint32_t* out) {
    for (size_t j = 0; j < n; ++j) {
      const uint64_t* r = rows + j * words;
      uint32_t bits = 0;
      for (size_t i = 0; i < words; ++i) bits += __builtin_popcountll(q[i] ^ r[i]);
      out[j] = bits;
    }
  }

  // Whole batches by their sign mask (FloatMaskBits, defined per
  // instruction set); kLanes divides 64, so a batch never straddles words.
  static void SignBits(const float* rows, size_t dim, size_t n, uint64_t* out) {
    const size_t words = (dim + 63) / 64;
    const F32 zero(0.0f);
    for (size_t j = 0; j < n; ++j) {
      const float* r = rows + j * dim;
      uint64_t* w = out + j * words;
      for (size_t i = 0; i < words; ++i) w[i] = 0;
      size_t i = 0;
      for (; i + kLanes <= dim; i += kLanes) {
        w[i / 64] |= uint64_t{FloatMaskBits(F32::load_unaligned(r + i) > zero)} << (i % 64);
      }
      for (; i < dim; ++i) {
        if (r[i] > 0) w[i / 64] |= uint64_t{1} << (i % 64);
      }
    }
  }

  // The sum over a row of codes of step(i, the codes i .. i + kLanes - 1 as
  // floats, acc) (WidenBytes, defined per instruction set), on two
  // accumulators like Sum, the last dim % kLanes by one(i, c[i]).
  template <typename Step, typename One>
  static float SumCodes(const uint8_t* c, size_t dim, Step step, One one) {
    F32 acc0(0.0f), acc1(0.0f);
    size_t i = 0;
    for (; i + 2 * kLanes <= dim; i += 2 * kLanes) {
      acc0 = step(i, WidenBytes(c + i), acc0);
      acc1 = step(i + kLanes, WidenBytes(c + i + kLanes), acc1);
    }
    if (i + kLanes <= dim) {
      acc0 = step(i, WidenBytes(c + i), acc0);
      i += kLanes;
    }
    float sum = xsimd::hadd(acc0 + acc1);
    for (; i < dim; ++i) sum += one(i, static_cast<float>(c[i]));
    return sum;
  }

  static void Sq8L2Squared(const float* qa, const float* scale, const uint8_t* codes, size_t dim,
                           size_t n, float* out) {
    for (size_t j = 0; j < n; ++j) {
      out[j] = SumCodes(
          codes + j * dim, dim,
          [&](size_t i, F32 c, F32 acc) {
            const F32 d =
                xsimd::fnma(F32::load_unaligned(scale + i), c, F32::load_unaligned(qa + i));
            return xsimd::fma(d, d, acc);
          },
          [&](size_t i, float c) {
            const float d = qa[i] - scale[i] * c;
            return d * d;
          });
    }
  }

  static void Sq8Manhattan(const float* qa, const float* scale, const uint8_t* codes, size_t dim,
                           size_t n, float* out) {
    for (size_t j = 0; j < n; ++j) {
      out[j] = SumCodes(
          codes + j * dim, dim,
          [&](size_t i, F32 c, F32 acc) {
            return acc + xsimd::abs(xsimd::fnma(F32::load_unaligned(scale + i), c,
                                                F32::load_unaligned(qa + i)));
          },
          [&](size_t i, float c) {
            const float d = qa[i] - scale[i] * c;
            return d > 0 ? d : -d;
          });
    }
  }

  static void Sq8Dot(const float* qs, const uint8_t* codes, size_t dim, size_t n, float* out) {
    for (size_t j = 0; j < n; ++j) {
      out[j] = SumCodes(
          codes + j * dim, dim,
          [&](size_t i, F32 c, F32 acc) { return xsimd::fma(F32::load_unaligned(qs + i), c, acc); },
          [&](size_t i, float c) { return qs[i] * c; });
    }
  }

  static const DistanceKernels& Table(Isa isa) {
    static const DistanceKernels table{isa,     L2Squared, Dot,          Manhattan,    DotAndNorm,
                                       Hamming, SignBits,  Sq8L2Squared, Sq8Manhattan, Sq8Dot};
    return table;
  }
};

}  // namespace nendb::simd

#endif  // NENDB_SIMD_DISTANCE_IMPL_H_
