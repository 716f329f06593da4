// The ziggurat sampler of the standard normal (normal_ziggurat.hpp): its
// tables against the equations that define them, its arithmetic-only log
// against the C library, and its deviates against the normal law
// (Kolmogorov-Smirnov, chi-square on fine bins, the tail alone), at fixed
// seeds with thresholds at the tests' 0.1 % quantiles.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

#include "micromeso/physics/normal_ziggurat.hpp"
#include "micromeso/physics/random.hpp"

using namespace micromeso::physics;

namespace {

constexpr double kTwo32 = 4294967296.0;

double normal_cdf(double x) { return 0.5 * std::erfc(-x / std::sqrt(2.0)); }

// Words of one Philox stream in order, never running out.
struct PhiloxWords {
  std::uint64_t seed;
  std::uint64_t counter = 0;
  Random4 r{};
  int used = 4;
  bool operator()(std::uint32_t& w) {
    if (used == 4) {
      r = philox4x32_10(seed, 0, 0, counter++);
      used = 0;
    }
    w = r.v[used++];
    return true;
  }
};

std::vector<double> deviates(std::uint64_t seed, std::size_t n) {
  PhiloxWords words{seed};
  std::vector<double> z(n);
  for (double& x : z) {
    std::uint32_t magnitude = 0, bits = 0;
    words(magnitude);
    words(bits);
    EXPECT_TRUE(normal_ziggurat(magnitude, bits, words, x));
  }
  return z;
}

// Kolmogorov's limit law: P(sqrt(n) D_n > 1.949) = 0.001.
constexpr double kKolmogorov999 = 1.949;

// The chi-square 0.999 quantile for `dof` degrees of freedom (Wilson & Hilferty 1931).
double chi2_quantile_999(int dof) {
  const double z = 3.09, a = 2.0 / (9.0 * dof);
  return dof * std::pow(1.0 - a + z * std::sqrt(a), 3.0);
}

}  // namespace

// Every layer has the same area V (rectangles [0, x_i] x [f(x_i), f(x_{i+1})]),
// the base's virtual width is V / f(r), V is r f(r) plus the tail's integral,
// and the fast-path thresholds are the ratios x_{i+1} / x_i on the 2^32 grid.
TEST(NormalZiggurat, TablesSatisfyTheLayerEquations) {
  const ZigguratTable& t = ziggurat_table();
  const double r = MICROMESO_ZIGGURAT_R, v = MICROMESO_ZIGGURAT_AREA;
  const auto f = [](double x) { return std::exp(-0.5 * x * x); };
  const auto x = [&](int i) { return i == kZigguratLayers ? 0.0 : t.x_scaled[i] * kTwo32; };
  EXPECT_NEAR(v, r * f(r) + std::sqrt(M_PI / 2) * std::erfc(r / std::sqrt(2.0)), 1e-15);
  EXPECT_EQ(x(1), r);
  EXPECT_NEAR(x(0) * f(r), v, 1e-16);
  EXPECT_EQ(t.f_edge[kZigguratLayers], 1.0);
  for (int i = 1; i < kZigguratLayers; ++i) {
    EXPECT_LT(x(i + 1), x(i));
    EXPECT_NEAR(t.f_edge[i], f(x(i)), 2e-16) << i;
    EXPECT_NEAR(x(i) * (t.f_edge[i + 1] - t.f_edge[i]), v, 1e-14) << i;
  }
  for (int i = 0; i < kZigguratLayers; ++i)
    EXPECT_NEAR(double(t.fast_below[i]), x(i + 1) / x(i) * kTwo32, 1.0) << i;
}

// The arithmetic-only log against the C library, over the range the sampler
// uses (uniforms and layer heights) and beyond: a few units in the last place.
TEST(NormalZiggurat, ArithmeticLogMatchesTheMathLibrary) {
  std::vector<double> ys = {1.0, 0.5, 2.0, 0.70710678118654752, 0.7071067811865476, 1.0 - 1e-16, 1.0 + 2e-16,
                            uniform_open(0u), uniform_open(0xFFFFFFFFu), 1e-300, 1e300};
  for (std::uint32_t i = 0; i < 100000; ++i) {
    const Random4 r = philox4x32_10(5, 0, 0, i);
    ys.push_back(uniform_open(r.v[0]));
    ys.push_back(std::ldexp(1.0 + uniform_open(r.v[1]), static_cast<int>(r.v[2] % 64) - 32));
  }
  for (const double y : ys) EXPECT_NEAR(log_arithmetic(y), std::log(y), 4e-16 * std::abs(std::log(y)) + 1e-30) << y;
}

// A deviate that needs no further word is drawn without asking for one; one
// that needs a word it cannot get fails (the top layer has no fast path).
TEST(NormalZiggurat, AsksForFurtherWordsOnlyWhenNeeded) {
  const auto none = [](std::uint32_t&) { return false; };
  auto no_words = none;
  double z = 0.0;
  ASSERT_TRUE(normal_ziggurat(0u, 0x101u, no_words, z));  // layer 1, negative, smallest magnitude
  EXPECT_EQ(z, -0.5 * ziggurat_table().x_scaled[1]);
  EXPECT_FALSE(normal_ziggurat(0u, kZigguratLayers - 1, no_words, z));
  EXPECT_FALSE(normal_ziggurat(0xFFFFFFFFu, 0u, no_words, z));  // the base beyond r: the tail
}

// Kolmogorov-Smirnov against the normal CDF, 10^6 deviates.
TEST(NormalZiggurat, KolmogorovSmirnovAgainstTheNormalCdf) {
  std::vector<double> z = deviates(2026, 1000000);
  std::sort(z.begin(), z.end());
  const double n = double(z.size());
  double d = 0.0;
  for (std::size_t i = 0; i < z.size(); ++i) {
    const double p = normal_cdf(z[i]);
    d = std::max({d, (i + 1) / n - p, p - i / n});
  }
  EXPECT_LT(std::sqrt(n) * d, kKolmogorov999);
}

// Chi-square on bins of width 0.02 (finer than the wedges near the top
// layers, 0.05 and wider), 4 10^6 deviates; the count beyond r (the tail).
TEST(NormalZiggurat, ChiSquareOnFineBinsAndTheTailCount) {
  const std::size_t n = 4000000;
  const std::vector<double> z = deviates(17, n);
  const double width = 0.02, lo = -5.0;
  const int bins = 500;
  std::vector<double> count(bins + 2, 0.0);  // below lo, the bins, from lo + bins width on
  double beyond_r = 0.0;
  for (const double x : z) {
    const double b = std::floor((x - lo) / width);
    ++count[b < 0 ? 0 : b >= bins ? bins + 1 : static_cast<std::size_t>(b) + 1];
    beyond_r += std::abs(x) > MICROMESO_ZIGGURAT_R;
  }
  double chi2 = 0.0;
  int dof = -1;
  double pooled_count = 0.0, pooled_expected = 0.0;  // the bins expecting under 20, together
  for (int k = 0; k < bins + 2; ++k) {
    const double a = k == 0 ? -INFINITY : lo + (k - 1) * width, b = k == bins + 1 ? INFINITY : lo + k * width;
    const double e = n * (normal_cdf(b) - normal_cdf(a));
    if (e < 20.0) {
      pooled_count += count[k];
      pooled_expected += e;
      continue;
    }
    chi2 += (count[k] - e) * (count[k] - e) / e;
    ++dof;
  }
  chi2 += (pooled_count - pooled_expected) * (pooled_count - pooled_expected) / pooled_expected;
  ++dof;
  ASSERT_GT(dof, 300);  // about 380 bins expect 20 or more
  EXPECT_LT(chi2, chi2_quantile_999(dof));
  const double p = std::erfc(MICROMESO_ZIGGURAT_R / std::sqrt(2.0));  // P(|Z| > r) = 2.6e-4
  EXPECT_NEAR(beyond_r, n * p, 5.0 * std::sqrt(n * p * (1 - p)));
}

// The tail sampler alone: Kolmogorov-Smirnov against the normal conditioned
// on exceeding r, P(Z <= x | Z > r) = 1 - erfc(x / sqrt 2) / erfc(r / sqrt 2).
TEST(NormalZiggurat, TailFollowsTheConditionedNormal) {
  PhiloxWords words{99};
  const double r = MICROMESO_ZIGGURAT_R;
  std::vector<double> x(200000);
  for (double& v : x) ASSERT_TRUE(ziggurat_tail(words, v));
  std::sort(x.begin(), x.end());
  ASSERT_GT(x.front(), r);
  const double n = double(x.size()), tail = std::erfc(r / std::sqrt(2.0));
  double d = 0.0;
  for (std::size_t i = 0; i < x.size(); ++i) {
    const double p = 1.0 - std::erfc(x[i] / std::sqrt(2.0)) / tail;
    d = std::max({d, (i + 1) / n - p, p - i / n});
  }
  EXPECT_LT(std::sqrt(n) * d, kKolmogorov999);
  EXPECT_GT(x.back(), r + 2.0);  // P(Z > r + 2 | Z > r) = 1.6e-4: about 30 of them
}
