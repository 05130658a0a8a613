// The kernels for AVX2 + FMA (compiled with -mavx2 -mfma; see CMakeLists.txt).
#include <immintrin.h>

#include "xsimd/xsimd.hpp"

namespace nendb::simd {
namespace {

using A = xsimd::avx2;

uint32_t MaskBits(xsimd::batch_bool<uint32_t, A> m) {
  return static_cast<uint32_t>(_mm256_movemask_ps(_mm256_castsi256_ps(m)));
}

}  // namespace
}  // namespace nendb::simd

#include "simd/distance_impl.h"
#include "simd/kernels_impl.h"

namespace nendb::simd {

const Kernels& Avx2Kernels() { return XsimdKernels<A>::Table(Isa::kAvx2); }
const DistanceKernels& Avx2Distances() { return XsimdDistances<A>::Table(Isa::kAvx2); }

}  // namespace nendb::simd
