// The kernels for AVX-512 F/BW/DQ/VL (compiled with those flags; see
// CMakeLists.txt).
#include <immintrin.h>

#include "xsimd/xsimd.hpp"

namespace nendb::simd {
namespace {

using A = xsimd::avx512bw;

uint32_t MaskBits(xsimd::batch_bool<uint32_t, A> m) { return static_cast<__mmask16>(m); }

xsimd::batch<int64_t, A> WidenIndex(const uint32_t* p) {
  return _mm512_cvtepu32_epi64(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(p)));
}

xsimd::batch<double, A> WidenWeights(const float* p) { return _mm512_cvtps_pd(_mm256_loadu_ps(p)); }

}  // namespace
}  // namespace nendb::simd

#include "simd/kernels_impl.h"

namespace nendb::simd {

const Kernels& Avx512Kernels() { return XsimdKernels<A>::Table(Isa::kAvx512); }

}  // namespace nendb::simd
