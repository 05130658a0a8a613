// The kernels for AVX2 + FMA (compiled with -mavx2 -mfma; see CMakeLists.txt).
#include <immintrin.h>

#include "xsimd/xsimd.hpp"

namespace nendb::simd {
namespace {

using A = xsimd::avx2;

uint32_t MaskBits(xsimd::batch_bool<uint32_t, A> m) {
  return static_cast<uint32_t>(_mm256_movemask_ps(_mm256_castsi256_ps(m)));
}

uint32_t FloatMaskBits(xsimd::batch_bool<float, A> m) {
  return static_cast<uint32_t>(_mm256_movemask_ps(m));
}

// Eight bytes as eight floats.
xsimd::batch<float, A> WidenBytes(const uint8_t* p) {
  const __m128i bytes = _mm_loadl_epi64(reinterpret_cast<const __m128i*>(p));
  return _mm256_cvtepi32_ps(_mm256_cvtepu8_epi32(bytes));
}

}  // namespace
}  // namespace nendb::simd

#include "simd/distance_impl.h"
#include "simd/kernels_impl.h"

namespace nendb::simd {

const Kernels& Avx2Kernels() { return XsimdKernels<A>::Table(Isa::kAvx2); }
const DistanceKernels& Avx2Distances() { return XsimdDistances<A>::Table(Isa::kAvx2); }

}  // namespace nendb::simd
