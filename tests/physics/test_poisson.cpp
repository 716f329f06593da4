#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "micromeso/physics/poisson.hpp"

#include "param_names.hpp"

using namespace micromeso::physics;

namespace {

struct Moments {
  double mean, var;
};

Moments sample(double mean_per_step, int n) {
  const PoissonConstants c = make_poisson_constants(mean_per_step);
  double s = 0, ss = 0;
  for (int i = 0; i < n; ++i) {
    const double k = poisson_count(c, 42, static_cast<std::uint32_t>(i % 1000), i / 1000);
    s += k;
    ss += k * k;
  }
  const double mean = s / n;
  return {mean, (ss / n - mean * mean) * n / (n - 1.0)};
}

}  // namespace

// Poisson background of Potjans-Diesmann L4E: 2100 x 8 Hz x 0.1 ms = 1.68.
// Mean and variance both equal lambda; standard errors sqrt(lambda/n) and
// sqrt((lambda + 2 lambda^2)/n) (fourth central moment lambda + 3 lambda^2).
class PoissonMoments : public ::testing::TestWithParam<double> {};

TEST_P(PoissonMoments, MeanAndVarianceEqualLambda) {
  const double lambda = GetParam();
  const int n = 200000;
  const Moments m = sample(lambda, n);
  EXPECT_NEAR(m.mean, lambda, 5.0 * std::sqrt(lambda / n));
  EXPECT_NEAR(m.var, lambda, 5.0 * std::sqrt((lambda + 2.0 * lambda * lambda) / n));
}

// 40 and 300 exercise the chunked draw (chunks of at most 16).
// Test names: lambda0_05, lambda1_68, lambda40, lambda300.
INSTANTIATE_TEST_SUITE_P(Means, PoissonMoments, ::testing::Values(0.05, 1.68, 40.0, 300.0),
                         [](const ::testing::TestParamInfo<double>& info) {
                           return "lambda" + micromeso::testing::number_name(info.param);
                         });

TEST(Poisson, ProbabilitiesPassChiSquare) {
  const double lambda = 1.68;
  const int n = 200000;
  const PoissonConstants c = make_poisson_constants(lambda);
  std::vector<int> counts(8, 0);  // 0..6 and >= 7
  for (int i = 0; i < n; ++i) {
    const std::uint32_t k = poisson_count(c, 9, 5, i);
    ++counts[k < 7 ? k : 7];
  }
  double chi2 = 0.0, p = std::exp(-lambda), tail = 1.0;
  for (int k = 0; k < 7; ++k) {
    chi2 += (counts[k] - n * p) * (counts[k] - n * p) / (n * p);
    tail -= p;
    p *= lambda / (k + 1);
  }
  chi2 += (counts[7] - n * tail) * (counts[7] - n * tail) / (n * tail);
  EXPECT_LT(chi2, 24.32);  // 7 degrees of freedom, p = 0.001
}

// The threshold table (make_poisson_constants) must give the count of the
// sequential search it replaces, bit for bit: checked on both sides of every
// threshold, at the extremes of the 32-bit word, and on random words.
TEST(Poisson, TableGivesTheCountsOfTheInversion) {
  for (const double mean : {1e-6, 0.05, 1.2, 1.68, 2.32, 7.3, 16.0, 40.0, 300.0}) {
    const PoissonConstants c = make_poisson_constants(mean);
    const auto reference = [&](std::uint32_t x) {
      return poisson_inversion(uniform_open(x), c.chunk_mean, c.exp_minus_chunk);
    };
    std::vector<std::uint32_t> words = {0u, 1u, 0x7FFFFFFFu, 0x80000000u, 0xFFFFFFFEu, 0xFFFFFFFFu};
    for (int k = 0; k < kPoissonTableSize; ++k) {
      const std::uint32_t t = c.threshold[k];
      for (const std::uint32_t x : {t - 1u, t, t + 1u}) words.push_back(x);
      if (t == 0xFFFFFFFFu) break;
    }
    for (std::uint32_t i = 0; i < 100000; ++i) words.push_back(philox4x32_10(3, 0, 0, i).v[0]);
    for (const std::uint32_t x : words) ASSERT_EQ(poisson_chunk_count(c, x), reference(x)) << "mean " << mean << ", x " << x;
  }
}

TEST(Poisson, ZeroRateGivesNoInput) {
  const PoissonConstants c = make_poisson_constants(0.0);
  EXPECT_EQ(c.chunks, 0u);
  EXPECT_EQ(poisson_count(c, 1, 1, 1), 0u);
}
