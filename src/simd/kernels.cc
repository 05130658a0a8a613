#include "simd/kernels.h"

#include "simd/distance.h"

namespace nendb::simd {

const Kernels& KernelsFor(Isa isa) {
  switch (isa) {
#if defined(NENDB_SIMD_X86)
    case Isa::kAvx512:
      return Avx512Kernels();
    case Isa::kAvx2:
      return Avx2Kernels();
#endif
    default:
      return ScalarKernels();
  }
}

const Kernels& Active() { return KernelsFor(ActiveIsa()); }

const DistanceKernels& DistancesFor(Isa isa) {
  switch (isa) {
#if defined(NENDB_SIMD_X86)
    case Isa::kAvx512:
      return Avx512Distances();
    case Isa::kAvx2:
      return Avx2Distances();
#endif
    default:
      return ScalarDistances();
  }
}

const DistanceKernels& ActiveDistances() { return DistancesFor(ActiveIsa()); }

}  // namespace nendb::simd
