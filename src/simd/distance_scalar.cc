// The scalar references of the distance kernels: the simplest correct loop
// for each, what the xsimd versions are tested against, and what runs on
// CPUs without AVX2.
#include <bit>

#include "simd/distance.h"

namespace nendb::simd {
namespace {

void L2Squared(const float* q, const float* rows, size_t dim, size_t n, float* out) {
  for (size_t j = 0; j < n; ++j) {
    float sum = 0;
    for (size_t i = 0; i < dim; ++i) {
      const float d = q[i] - rows[j * dim + i];
      sum += d * d;
    }
    out[j] = sum;
  }
}

void Dot(const float* q, const float* rows, size_t dim, size_t n, float* out) {
  for (size_t j = 0; j < n; ++j) {
    float sum = 0;
    for (size_t i = 0; i < dim; ++i) sum += q[i] * rows[j * dim + i];
    out[j] = sum;
  }
}

void Manhattan(const float* q, const float* rows, size_t dim, size_t n, float* out) {
  for (size_t j = 0; j < n; ++j) {
    float sum = 0;
    for (size_t i = 0; i < dim; ++i) {
      const float x = q[i], y = rows[j * dim + i];
      sum += x > y ? x - y : y - x;
    }
    out[j] = sum;
  }
}

void DotAndNorm(const float* q, const float* rows, size_t dim, size_t n, float* dots,
                float* norms) {
  Dot(q, rows, dim, n, dots);
  for (size_t j = 0; j < n; ++j) {
    float sum = 0;
    for (size_t i = 0; i < dim; ++i) sum += rows[j * dim + i] * rows[j * dim + i];
    norms[j] = sum;
  }
}

void Hamming(const uint64_t* q, const uint64_t* rows, size_t words, size_t n, uint32_t* out) {
  for (size_t j = 0; j < n; ++j) {
    uint32_t bits = 0;
    for (size_t i = 0; i < words; ++i) bits += std::popcount(q[i] ^ rows[j * words + i]);
    out[j] = bits;
  }
}

void SignBits(const float* rows, size_t dim, size_t n, uint64_t* out) {
  const size_t words = (dim + 63) / 64;
  for (size_t j = 0; j < n; ++j) {
    uint64_t* w = out + j * words;
    for (size_t i = 0; i < words; ++i) w[i] = 0;
    for (size_t i = 0; i < dim; ++i) {
      if (rows[j * dim + i] > 0) w[i / 64] |= uint64_t{1} << (i % 64);
    }
  }
}

void Sq8L2Squared(const float* qa, const float* scale, const uint8_t* codes, size_t dim, size_t n,
                  float* out) {
  for (size_t j = 0; j < n; ++j) {
    float sum = 0;
    for (size_t i = 0; i < dim; ++i) {
      const float d = qa[i] - scale[i] * codes[j * dim + i];
      sum += d * d;
    }
    out[j] = sum;
  }
}

void Sq8Manhattan(const float* qa, const float* scale, const uint8_t* codes, size_t dim, size_t n,
                  float* out) {
  for (size_t j = 0; j < n; ++j) {
    float sum = 0;
    for (size_t i = 0; i < dim; ++i) {
      const float d = qa[i] - scale[i] * codes[j * dim + i];
      sum += d > 0 ? d : -d;
    }
    out[j] = sum;
  }
}

void Sq8Dot(const float* qs, const uint8_t* codes, size_t dim, size_t n, float* out) {
  for (size_t j = 0; j < n; ++j) {
    float sum = 0;
    for (size_t i = 0; i < dim; ++i) sum += qs[i] * codes[j * dim + i];
    out[j] = sum;
  }
}

}  // namespace

const DistanceKernels& ScalarDistances() {
  static constexpr DistanceKernels kTable{Isa::kScalar, L2Squared, Dot,      Manhattan,
                                          DotAndNorm,   Hamming,   SignBits, Sq8L2Squared,
                                          Sq8Manhattan, Sq8Dot};
  return kTable;
}

}  // namespace nendb::simd
