// The instruction sets the SIMD kernels are compiled for, and which one this
// process uses.
//
// Every kernel in simd/ exists once per Isa: a plain C++ scalar reference and
// xsimd versions compiled for AVX2 and AVX-512 in their own translation units
// (so the rest of the library is built for the baseline x86-64 and runs
// anywhere). The active Isa is the best one the CPU and the OS support,
// capped by the environment variable NENDB_SIMD=scalar|avx2|avx512 when it is
// set (read once, at first use) and by SetActiveIsa (benchmarks and tests).
//
// Thread-safety: all functions may be called from any thread; SetActiveIsa
// takes effect for kernels looked up after it returns.
#ifndef NENDB_SIMD_ISA_H_
#define NENDB_SIMD_ISA_H_

#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace nendb::simd {

enum class Isa { kScalar = 0, kAvx2 = 1, kAvx512 = 2 };

absl::string_view IsaName(Isa isa);
absl::StatusOr<Isa> ParseIsa(absl::string_view name);

// The best Isa this CPU and OS support.
Isa DetectedIsa();
// Every Isa up to DetectedIsa(), scalar first.
std::vector<Isa> AvailableIsas();

// The Isa kernels run with.
Isa ActiveIsa();
// InvalidArgument when the CPU does not support isa.
absl::Status SetActiveIsa(Isa isa);

}  // namespace nendb::simd

#endif  // NENDB_SIMD_ISA_H_
