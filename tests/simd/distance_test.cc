// Every instruction set's distance kernels against the scalar reference, on
// dimensions around the vector widths, and exactly on small integers; the
// agreement check is itself shown to catch a wrong kernel.
#include "simd/distance.h"

#include <cmath>
#include <random>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"

namespace nendb::simd {
namespace {

constexpr size_t kDims[] = {1, 3, 7, 8, 9, 15, 16, 17, 31, 32, 33, 100, 128, 784};
constexpr size_t kRows = 5;

std::vector<float> Random(std::mt19937_64& rng, size_t n, bool integers) {
  std::uniform_real_distribution<float> real(-1.0f, 1.0f);
  std::uniform_int_distribution<int> small(-8, 8);
  std::vector<float> v(n);
  for (float& x : v) x = integers ? static_cast<float>(small(rng)) : real(rng);
  return v;
}

// Where k disagrees with the reference ("" if nowhere): float results
// within 1e-5 of the sum of the terms' magnitudes (exactly on integers).
std::string Disagreement(const DistanceKernels& k, bool integers) {
  const DistanceKernels& ref = ScalarDistances();
  std::mt19937_64 rng(11);
  for (size_t dim : kDims) {
    const std::vector<float> q = Random(rng, dim, integers),
                             rows = Random(rng, dim * kRows, integers);
    // A bound on each row's rounding: dim terms of magnitude at most 4, float sums.
    const float tolerance = integers ? 0.0f : 1e-4f * 4.0f * static_cast<float>(dim);
    using Fn = void (*)(const float*, const float*, size_t, size_t, float*);
    const std::pair<const char*, std::pair<Fn, Fn>> kernels[] = {
        {"l2_squared", {k.l2_squared, ref.l2_squared}},
        {"dot", {k.dot, ref.dot}},
        {"manhattan", {k.manhattan, ref.manhattan}}};
    for (const auto& [name, fns] : kernels) {
      std::vector<float> got(kRows, NAN), want(kRows, NAN);
      fns.first(q.data(), rows.data(), dim, kRows, got.data());
      fns.second(q.data(), rows.data(), dim, kRows, want.data());
      for (size_t j = 0; j < kRows; ++j) {
        if (!(std::fabs(got[j] - want[j]) <= tolerance)) {
          return absl::StrCat(name, " dim ", dim, " row ", j, ": ", got[j], " vs ", want[j]);
        }
      }
    }
    std::vector<float> dots(kRows), norms(kRows), want_dots(kRows), want_norms(kRows);
    k.dot_and_norm(q.data(), rows.data(), dim, kRows, dots.data(), norms.data());
    ref.dot_and_norm(q.data(), rows.data(), dim, kRows, want_dots.data(), want_norms.data());
    for (size_t j = 0; j < kRows; ++j) {
      if (!(std::fabs(dots[j] - want_dots[j]) <= tolerance) ||
          !(std::fabs(norms[j] - want_norms[j]) <= tolerance)) {
        return absl::StrCat("dot_and_norm dim ", dim, " row ", j);
      }
    }
  }
  for (size_t words : {0, 1, 2, 3, 8, 13}) {
    std::vector<uint64_t> q(words), rows(words * kRows);
    for (uint64_t& w : q) w = rng();
    for (uint64_t& w : rows) w = rng();
    if (words > 0) rows[0] = ~q[0];  // every bit differs
    std::vector<uint32_t> got(kRows), want(kRows);
    k.hamming(q.data(), rows.data(), words, kRows, got.data());
    ref.hamming(q.data(), rows.data(), words, kRows, want.data());
    if (got != want) return absl::StrCat("hamming words ", words);
  }
  for (size_t dim : kDims) {
    std::vector<float> rows = Random(rng, dim * kRows, integers);
    rows[0] = 0.0f;  // zero is not positive
    if (dim > 1) rows[1] = NAN;
    const size_t words = (dim + 63) / 64;
    std::vector<uint64_t> got(words * kRows, ~uint64_t{0}), want(words * kRows);
    k.sign_bits(rows.data(), dim, kRows, got.data());
    ref.sign_bits(rows.data(), dim, kRows, want.data());
    if (got != want) return absl::StrCat("sign_bits dim ", dim);
  }
  std::uniform_int_distribution<int> byte(0, 255);
  for (size_t dim : kDims) {
    const std::vector<float> q = Random(rng, dim, integers), scale = Random(rng, dim, integers);
    std::vector<uint8_t> codes(dim * kRows);
    for (uint8_t& c : codes) c = static_cast<uint8_t>(integers ? byte(rng) % 8 : byte(rng));
    // Terms of magnitude up to (1 + 255)^2: float sums of dim of them.
    const float tolerance = integers ? 0.0f : 1e-5f * 65536.0f * static_cast<float>(dim);
    using Fn = void (*)(const float*, const float*, const uint8_t*, size_t, size_t, float*);
    const std::pair<const char*, std::pair<Fn, Fn>> kernels[] = {
        {"sq8_l2_squared", {k.sq8_l2_squared, ref.sq8_l2_squared}},
        {"sq8_manhattan", {k.sq8_manhattan, ref.sq8_manhattan}}};
    for (const auto& [name, fns] : kernels) {
      std::vector<float> got(kRows, NAN), want(kRows, NAN);
      fns.first(q.data(), scale.data(), codes.data(), dim, kRows, got.data());
      fns.second(q.data(), scale.data(), codes.data(), dim, kRows, want.data());
      for (size_t j = 0; j < kRows; ++j) {
        if (!(std::fabs(got[j] - want[j]) <= tolerance)) {
          return absl::StrCat(name, " dim ", dim, " row ", j, ": ", got[j], " vs ", want[j]);
        }
      }
    }
    std::vector<float> got(kRows, NAN), want(kRows, NAN);
    k.sq8_dot(q.data(), codes.data(), dim, kRows, got.data());
    ref.sq8_dot(q.data(), codes.data(), dim, kRows, want.data());
    for (size_t j = 0; j < kRows; ++j) {
      if (!(std::fabs(got[j] - want[j]) <= tolerance)) {
        return absl::StrCat("sq8_dot dim ", dim, " row ", j, ": ", got[j], " vs ", want[j]);
      }
    }
  }
  return "";
}

TEST(Distances, EveryIsaAgreesWithTheReference) {
  for (Isa isa : AvailableIsas()) {
    EXPECT_EQ(Disagreement(DistancesFor(isa), /*integers=*/false), "") << IsaName(isa);
    EXPECT_EQ(Disagreement(DistancesFor(isa), /*integers=*/true), "") << IsaName(isa);
  }
}

TEST(Distances, TheReferenceComputesTheDefinitions) {
  const DistanceKernels& k = ScalarDistances();
  const float q[] = {1, 2, 3}, rows[] = {1, 2, 3, 0, 0, 0, -1, 4, 3};
  float out[3], dots[3], norms[3];
  k.l2_squared(q, rows, 3, 3, out);
  EXPECT_EQ(std::vector<float>(out, out + 3), (std::vector<float>{0, 14, 8}));
  k.dot(q, rows, 3, 3, out);
  EXPECT_EQ(std::vector<float>(out, out + 3), (std::vector<float>{14, 0, 16}));
  k.manhattan(q, rows, 3, 3, out);
  EXPECT_EQ(std::vector<float>(out, out + 3), (std::vector<float>{0, 6, 4}));
  k.dot_and_norm(q, rows, 3, 3, dots, norms);
  EXPECT_EQ(std::vector<float>(norms, norms + 3), (std::vector<float>{14, 0, 26}));
  const uint64_t bq[] = {0b1011, ~uint64_t{0}}, brows[] = {0b0001, 0, 0b1011, ~uint64_t{0}};
  uint32_t bits[2];
  k.hamming(bq, brows, 2, 2, bits);
  EXPECT_EQ(bits[0], 2u + 64u);
  EXPECT_EQ(bits[1], 0u);
  const float signs[] = {1, 0, -1, 0.5f, 2, -3, 0, 7, 1};  // 3 rows of 3
  uint64_t codes[3];
  k.sign_bits(signs, 3, 3, codes);
  EXPECT_EQ(codes[0], 0b001u);
  EXPECT_EQ(codes[1], 0b011u);
  EXPECT_EQ(codes[2], 0b110u);
  const float qa[] = {1, 2, 3}, scale[] = {0.5f, 1, 2};
  const uint8_t c[] = {2, 2, 1, 0, 0, 4};  // 2 rows: decode less lo (1, 2, 2) and (0, 0, 8)
  k.sq8_l2_squared(qa, scale, c, 3, 2, out);
  EXPECT_EQ(std::vector<float>(out, out + 2), (std::vector<float>{1, 1 + 4 + 25}));
  k.sq8_manhattan(qa, scale, c, 3, 2, out);
  EXPECT_EQ(std::vector<float>(out, out + 2), (std::vector<float>{1, 1 + 2 + 5}));
  k.sq8_dot(qa, c, 3, 2, out);
  EXPECT_EQ(std::vector<float>(out, out + 2), (std::vector<float>{2 + 4 + 3, 12}));
}

// The agreement check catches a kernel that computes something else.
TEST(Distances, AWrongKernelIsCaught) {
  DistanceKernels wrong = DistancesFor(AvailableIsas().back());
  wrong.manhattan = wrong.l2_squared;
  EXPECT_NE(Disagreement(wrong, false), "");
  wrong = ScalarDistances();
  wrong.hamming = [](const uint64_t* q, const uint64_t* rows, size_t words, size_t n,
                     uint32_t* out) {
    ScalarDistances().hamming(q, rows, words > 0 ? words - 1 : 0, n, out);
  };
  EXPECT_NE(Disagreement(wrong, true), "");
  wrong = ScalarDistances();
  wrong.sq8_manhattan = wrong.sq8_l2_squared;
  EXPECT_NE(Disagreement(wrong, false), "");
}

}  // namespace
}  // namespace nendb::simd
