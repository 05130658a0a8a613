#include "simd/isa.h"

#include "gtest/gtest.h"
#include "simd/kernels.h"

namespace nendb::simd {
namespace {

TEST(Isa, NamesRoundTrip) {
  for (Isa isa : {Isa::kScalar, Isa::kAvx2, Isa::kAvx512}) {
    absl::StatusOr<Isa> parsed = ParseIsa(IsaName(isa));
    ASSERT_TRUE(parsed.ok());
    EXPECT_EQ(*parsed, isa);
  }
  EXPECT_EQ(ParseIsa("sse9").status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(Isa, AvailableStartsWithScalarAndEndsWithDetected) {
  const std::vector<Isa> all = AvailableIsas();
  ASSERT_FALSE(all.empty());
  EXPECT_EQ(all.front(), Isa::kScalar);
  EXPECT_EQ(all.back(), DetectedIsa());
  for (Isa isa : all) EXPECT_EQ(KernelsFor(isa).isa, isa);
}

TEST(Isa, SetActiveSwitchesTablesAndRefusesWhatTheCpuLacks) {
  const Isa before = ActiveIsa();
  for (Isa isa : AvailableIsas()) {
    ASSERT_TRUE(SetActiveIsa(isa).ok());
    EXPECT_EQ(ActiveIsa(), isa);
    EXPECT_EQ(Active().isa, isa);
  }
  if (DetectedIsa() != Isa::kAvx512) {
    EXPECT_EQ(SetActiveIsa(Isa::kAvx512).code(), absl::StatusCode::kInvalidArgument);
  }
  ASSERT_TRUE(SetActiveIsa(before).ok());
}

}  // namespace
}  // namespace nendb::simd
