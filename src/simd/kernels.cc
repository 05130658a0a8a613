#include "simd/kernels.h"

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

}  // namespace nendb::simd
