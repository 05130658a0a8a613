// The kernels for AVX-512 F/BW/DQ/VL (compiled with those flags; see
// CMakeLists.txt).
#include <immintrin.h>

#include "xsimd/xsimd.hpp"

namespace nendb::simd {
namespace {

using A = xsimd::avx512bw;

uint32_t MaskBits(xsimd::batch_bool<uint32_t, A> m) { return static_cast<__mmask16>(m); }

}  // namespace
}  // namespace nendb::simd

#include "simd/distance_impl.h"
#include "simd/kernels_impl.h"

namespace nendb::simd {

const Kernels& Avx512Kernels() { return XsimdKernels<A>::Table(Isa::kAvx512); }
const DistanceKernels& Avx512Distances() { return XsimdDistances<A>::Table(Isa::kAvx512); }

}  // namespace nendb::simd
