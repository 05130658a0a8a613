#include "simd/isa.h"

#include <atomic>
#include <cstdlib>

#include "absl/strings/str_cat.h"
#include "xsimd/xsimd.hpp"

namespace nendb::simd {
namespace {

// xsimd reads CPUID only; the compiler's check also asks the OS (XGETBV)
// whether it saves the wide registers, which a VM may not.
Isa Detect() {
#if defined(__x86_64__)
  const auto arch = xsimd::available_architectures();
  if (arch.avx512bw && __builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx512dq") &&
      __builtin_cpu_supports("avx512vl")) {
    return Isa::kAvx512;
  }
  if (arch.avx2 && arch.fma3_avx2 && __builtin_cpu_supports("avx2") &&
      __builtin_cpu_supports("fma")) {
    return Isa::kAvx2;
  }
#endif
  return Isa::kScalar;
}

Isa Initial() {
  const Isa detected = DetectedIsa();
  const char* env = std::getenv("NENDB_SIMD");
  if (env == nullptr || *env == '\0') return detected;
  absl::StatusOr<Isa> wanted = ParseIsa(env);
  // An unknown or unsupported name is ignored rather than fatal: the variable
  // only ever lowers the level for measurements.
  if (!wanted.ok() || *wanted > detected) return detected;
  return *wanted;
}

std::atomic<int>& Active() {
  static std::atomic<int> active{static_cast<int>(Initial())};
  return active;
}

}  // namespace

absl::string_view IsaName(Isa isa) {
  switch (isa) {
    case Isa::kScalar:
      return "scalar";
    case Isa::kAvx2:
      return "avx2";
    case Isa::kAvx512:
      return "avx512";
  }
  return "unknown";
}

absl::StatusOr<Isa> ParseIsa(absl::string_view name) {
  for (Isa isa : {Isa::kScalar, Isa::kAvx2, Isa::kAvx512}) {
    if (name == IsaName(isa)) return isa;
  }
  return absl::InvalidArgumentError(
      absl::StrCat("unknown instruction set '", name, "'; use scalar, avx2 or avx512"));
}

Isa DetectedIsa() {
  static const Isa detected = Detect();
  return detected;
}

std::vector<Isa> AvailableIsas() {
  std::vector<Isa> all;
  for (int i = 0; i <= static_cast<int>(DetectedIsa()); ++i) all.push_back(static_cast<Isa>(i));
  return all;
}

Isa ActiveIsa() { return static_cast<Isa>(Active().load(std::memory_order_relaxed)); }

absl::Status SetActiveIsa(Isa isa) {
  if (isa > DetectedIsa()) {
    return absl::InvalidArgumentError(absl::StrCat("this CPU does not support ", IsaName(isa),
                                                   "; the best it supports is ",
                                                   IsaName(DetectedIsa())));
  }
  Active().store(static_cast<int>(isa), std::memory_order_relaxed);
  return absl::OkStatus();
}

}  // namespace nendb::simd
