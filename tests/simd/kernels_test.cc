// Every instruction set's kernels against the scalar reference, on lengths
// around the vector widths and on values at the ends of the range.
#include "simd/kernels.h"

#include <algorithm>
#include <cmath>
#include <random>
#include <vector>

#include "gtest/gtest.h"

namespace nendb::simd {
namespace {

// n distinct sorted values below `range`, always including `range - 1` when
// `with_max` (the lane compares must not sign-extend).
std::vector<uint32_t> SortedSet(std::mt19937_64& rng, size_t n, uint64_t range, bool with_max) {
  std::vector<uint32_t> v;
  std::uniform_int_distribution<uint64_t> pick(0, range - 1);
  while (v.size() < n) v.push_back(static_cast<uint32_t>(pick(rng)));
  if (with_max && n > 0) v.back() = static_cast<uint32_t>(range - 1);
  std::sort(v.begin(), v.end());
  v.erase(std::unique(v.begin(), v.end()), v.end());
  return v;
}

std::vector<uint32_t> Intersect(const Kernels& k, const std::vector<uint32_t>& a,
                                const std::vector<uint32_t>& b) {
  std::vector<uint32_t> out(std::min(a.size(), b.size()) + 1, 0xDEADBEEF);
  const size_t n = k.intersect(a.data(), a.size(), b.data(), b.size(), out.data());
  EXPECT_EQ(out[std::min(a.size(), b.size())], 0xDEADBEEF) << "wrote past min(na, nb)";
  out.resize(n);
  return out;
}

TEST(Kernels, IntersectAgreesWithTheReference) {
  std::mt19937_64 rng(7);
  const Kernels& ref = ScalarKernels();
  int cases = 0;
  for (Isa isa : AvailableIsas()) {
    const Kernels& k = KernelsFor(isa);
    for (size_t na : {0, 1, 7, 8, 9, 15, 16, 17, 31, 33, 64, 100, 1000}) {
      for (size_t nb : {0, 1, 8, 16, 17, 40, 129, 5000}) {
        for (uint64_t range : {uint64_t{64}, uint64_t{4096}, uint64_t{1} << 32}) {
          const auto a = SortedSet(rng, na, range, true);
          const auto b = SortedSet(rng, nb, range, na % 2 == 0);
          const auto want = Intersect(ref, a, b);
          EXPECT_EQ(Intersect(k, a, b), want) << IsaName(isa) << " na=" << na << " nb=" << nb;
          EXPECT_EQ(Intersect(k, b, a), want) << IsaName(isa) << " swapped";
          ++cases;
        }
      }
    }
  }
  EXPECT_GT(cases, 0);
}

TEST(Kernels, IntersectOfAListWithItselfIsTheList) {
  std::mt19937_64 rng(8);
  const auto a = SortedSet(rng, 333, 1000, true);
  for (Isa isa : AvailableIsas()) EXPECT_EQ(Intersect(KernelsFor(isa), a, a), a) << IsaName(isa);
}

TEST(Kernels, GathersAgreeWithTheReference) {
  std::mt19937_64 rng(9);
  std::uniform_real_distribution<double> value(-1.0, 1.0);
  std::vector<double> values(1 << 16);
  for (double& x : values) x = value(rng);
  std::uniform_int_distribution<uint32_t> id(0, values.size() - 1);
  const Kernels& ref = ScalarKernels();
  for (Isa isa : AvailableIsas()) {
    const Kernels& k = KernelsFor(isa);
    for (size_t n : {0, 1, 3, 4, 5, 8, 15, 16, 17, 31, 32, 33, 100, 10000}) {
      std::vector<uint32_t> index(n);
      std::vector<float> weights(n);
      double magnitude = 0;
      for (size_t i = 0; i < n; ++i) {
        index[i] = id(rng);
        weights[i] = static_cast<float>(value(rng) + 1.5);
        magnitude += std::fabs(values[index[i]]) * weights[i];
      }
      index.push_back(static_cast<uint32_t>(values.size() - 1));  // not summed: past n
      const double tol = 1e-14 * (magnitude + 1);
      EXPECT_NEAR(k.gather_sum(values.data(), index.data(), n),
                  ref.gather_sum(values.data(), index.data(), n), tol)
          << IsaName(isa) << " n=" << n;
      EXPECT_NEAR(k.gather_dot(values.data(), index.data(), weights.data(), n),
                  ref.gather_dot(values.data(), index.data(), weights.data(), n), tol)
          << IsaName(isa) << " n=" << n;
    }
  }
}

TEST(Kernels, GathersReadTheLastValueAndSumExactlyOnSmallIntegers) {
  std::vector<double> values = {1, 2, 4, 8, 16, 32, 64, 128, 256};
  std::vector<uint32_t> index = {8, 0, 1, 2, 3, 4, 5, 6, 7, 8, 8, 0, 1, 2, 3, 4, 5};
  std::vector<float> weights(index.size(), 2.0f);
  for (Isa isa : AvailableIsas()) {
    const Kernels& k = KernelsFor(isa);
    EXPECT_EQ(k.gather_sum(values.data(), index.data(), index.size()), 1086) << IsaName(isa);
    EXPECT_EQ(k.gather_dot(values.data(), index.data(), weights.data(), index.size()), 2172)
        << IsaName(isa);
  }
}

}  // namespace
}  // namespace nendb::simd
