#include <gtest/gtest.h>

#include <cmath>

#include "micromeso/physics/random.hpp"

using namespace micromeso::physics;

// Known-answer vectors of Philox-4x32-10 from Random123's kat_vectors (the
// same generator cuRAND implements): our word order must reproduce them.
TEST(Philox, KnownAnswerVectors) {
  const Random4 zero = philox4x32_10(0, 0, 0, 0);
  EXPECT_EQ(zero.v[0], 0x6627e8d5u);
  EXPECT_EQ(zero.v[1], 0xe169c58du);
  EXPECT_EQ(zero.v[2], 0xbc57ac4cu);
  EXPECT_EQ(zero.v[3], 0x9b00dbd8u);
  const Random4 ones = philox4x32_10(~0ull, ~0u, ~0u, ~0ull);
  EXPECT_EQ(ones.v[0], 0x408f276du);
  EXPECT_EQ(ones.v[3], 0x6d5451fdu);
  const Random4 pi = philox4x32_10(0x299f31d0a4093822ull, 0x03707344u, 0x13198a2eu, 0x85a308d3243f6a88ull);
  EXPECT_EQ(pi.v[0], 0xd16cfe09u);
  EXPECT_EQ(pi.v[1], 0x94fdccebu);
  EXPECT_EQ(pi.v[2], 0x5001e420u);
  EXPECT_EQ(pi.v[3], 0x24126ea1u);
}

TEST(Philox, UniformOpenStaysInsideTheInterval) {
  EXPECT_GT(uniform_open(0u), 0.0);
  EXPECT_LT(uniform_open(0xffffffffu), 1.0);
}

// Mean 1/2 and variance 1/12 of the uniforms, within 5 standard errors.
TEST(Philox, UniformMomentsMatchTheory) {
  const int n = 400000;
  double sum = 0.0, sum_sq = 0.0;
  for (int i = 0; i < n; ++i) {
    const double u = uniform_open(philox4x32_10(7, kStreamPoisson, 3, i).v[i % 4]);
    sum += u;
    sum_sq += u * u;
  }
  const double mean = sum / n, var = sum_sq / n - mean * mean;
  EXPECT_NEAR(mean, 0.5, 5.0 * std::sqrt(1.0 / 12.0 / n));
  // Var of the sample variance of U(0,1): (1/80 - 1/144) / n.
  EXPECT_NEAR(var, 1.0 / 12.0, 5.0 * std::sqrt((1.0 / 80.0 - 1.0 / 144.0) / n));
}

// Box-Muller normals: mean 0, variance 1, and the two outputs uncorrelated.
TEST(Philox, BoxMullerNormalMoments) {
  const int n = 200000;
  double s0 = 0, s00 = 0, s01 = 0, s0000 = 0;
  for (int i = 0; i < n; ++i) {
    const Random4 r = philox4x32_10(11, kStreamInitialV, 0, i);
    const NormalPair z = box_muller(r.v[0], r.v[1]);
    s0 += z.z0;
    s00 += z.z0 * z.z0;
    s01 += z.z0 * z.z1;
    s0000 += z.z0 * z.z0 * z.z0 * z.z0;
  }
  EXPECT_NEAR(s0 / n, 0.0, 5.0 / std::sqrt(n));
  EXPECT_NEAR(s00 / n, 1.0, 5.0 * std::sqrt(2.0 / n));
  EXPECT_NEAR(s01 / n, 0.0, 5.0 / std::sqrt(n));
  EXPECT_NEAR(s0000 / n, 3.0, 5.0 * std::sqrt(96.0 / n));  // E z^4 = 3, Var z^4 = 105 - 9
}

TEST(Philox, UniformBelowCoversTheRangeEvenly) {
  const std::uint32_t bins = 10;
  const int n = 100000;
  int counts[bins] = {0};
  for (int i = 0; i < n; ++i) ++counts[uniform_below(philox4x32_10(1, 0, 0, i).v[0], bins)];
  double chi2 = 0.0;
  for (int c : counts) chi2 += (c - n / 10.0) * (c - n / 10.0) / (n / 10.0);
  EXPECT_LT(chi2, 27.88);  // chi-square, 9 degrees of freedom, p = 0.001
}
