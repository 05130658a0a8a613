// The kernels for AVX-512 F/BW/DQ/VL (compiled with those flags; see
// CMakeLists.txt).
#include <immintrin.h>

#include "xsimd/xsimd.hpp"

namespace nendb::simd {
namespace {

using A = xsimd::avx512bw;

uint32_t MaskBits(xsimd::batch_bool<uint32_t, A> m) { return static_cast<__mmask16>(m); }

uint32_t FloatMaskBits(xsimd::batch_bool<float, A> m) { return static_cast<__mmask16>(m); }

// Sixteen bytes as sixteen floats.
xsimd::batch<float, A> WidenBytes(const uint8_t* p) {
  const __m128i bytes = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
  return _mm512_cvtepi32_ps(_mm512_cvtepu8_epi32(bytes));
}

}  // namespace
}  // namespace nendb::simd

#include "simd/distance_impl.h"
#include "simd/kernels_impl.h"

namespace nendb::simd {

const Kernels& Avx512Kernels() { return XsimdKernels<A>::Table(Isa::kAvx512); }
const DistanceKernels& Avx512Distances() { return XsimdDistances<A>::Table(Isa::kAvx512); }

}  // namespace nendb::simd
