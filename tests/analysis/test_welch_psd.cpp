// Welch spectra against identities and closed forms: Parseval, the flat
// spectrum r/N of Poisson activity, a sinusoid's line, chi-square bands.
#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "micromeso/analysis.hpp"

using namespace micromeso::analysis;

TEST(WelchPsd, ParsevalHoldsForOneSegment) {
  std::mt19937_64 rng(3);
  std::normal_distribution<double> normal(2.0, 1.5);
  const std::size_t L = 256;
  const double dt = 1e-3;
  std::vector<double> x(L);
  for (double& v : x) v = normal(rng);
  const Spectrum s = welch_psd(x, dt, L);
  ASSERT_EQ(s.segments, 1u);
  ASSERT_EQ(s.power.size(), L / 2 + 1);
  const double df = 1.0 / (L * dt);
  double two_sided = s.power[0] + s.power[L / 2];
  for (std::size_t k = 1; k < L / 2; ++k) two_sided += 2.0 * s.power[k];
  double mean = 0;
  for (double v : x) mean += v;
  mean /= L;
  double windowed = 0, window = 0;
  for (std::size_t n = 0; n < L; ++n) {
    const double w = 0.5 - 0.5 * std::cos(2 * M_PI * n / L);
    windowed += w * w * (x[n] - mean) * (x[n] - mean);
    window += w * w;
  }
  EXPECT_NEAR(two_sided * df, windowed / window, 1e-12 * windowed / window);
}

// Independent Poisson neurons: counts ~ Poisson(r N dt), A = counts/(N dt),
// so S(f) = var(A) dt = r / N at every frequency.
TEST(WelchPsd, PoissonActivityHasTheFlatSpectrumRateOverN) {
  const double rate_hz = 10.0, dt_s = 1e-3;
  const std::uint64_t N = 500;
  const std::size_t L = 512, K = 64;
  std::mt19937_64 rng(11);
  std::poisson_distribution<int> counts(rate_hz * N * dt_s);
  std::vector<double> c(L * K);
  for (double& v : c) v = counts(rng);
  const Spectrum s = welch_psd(activity_hz(c, N, 1.0), dt_s, L);
  ASSERT_EQ(s.segments, K);
  const double expected = rate_hz / N;
  // Mean over the interior frequencies: each estimate has relative sd
  // 1/sqrt(K); neighbouring Hann bins are correlated (equivalent ~ M/1.5
  // independent values), so the mean's relative sd is about sqrt(1.5/(K M)).
  double sum = 0;
  std::size_t M = 0, covered = 0;
  const auto [lower, upper] = s.confidence_factors(0.95);
  for (std::size_t k = 2; k < L / 2; ++k) {
    sum += s.power[k];
    ++M;
    if (s.power[k] * lower <= expected && expected <= s.power[k] * upper) ++covered;
  }
  const double mean = sum / M;
  EXPECT_NEAR(mean, expected, 4.0 * expected * std::sqrt(1.5 / (K * M)));
  // Coverage of the 95 % band: binomial standard error on M/1.5 effective trials.
  const double coverage = double(covered) / M;
  EXPECT_NEAR(coverage, 0.95, 4.0 * std::sqrt(0.95 * 0.05 / (M / 1.5)));
}

TEST(WelchPsd, SinusoidGivesALineAtItsFrequency) {
  const double dt = 1e-3, f0 = 62.5;  // on the grid of L = 256 (df = 3.90625 Hz: bin 16)
  const std::size_t L = 256;
  std::vector<double> x(L * 8);
  for (std::size_t n = 0; n < x.size(); ++n) x[n] = 3.0 * std::sin(2 * M_PI * f0 * n * dt);
  const Spectrum s = welch_psd(x, dt, L);
  std::size_t peak = 0;
  for (std::size_t k = 0; k < s.power.size(); ++k)
    if (s.power[k] > s.power[peak]) peak = k;
  EXPECT_DOUBLE_EQ(s.frequency_hz[peak], f0);
  // Total power of the line (bins 15..17, two-sided x2) equals the variance 3^2/2.
  const double df = 1.0 / (L * dt);
  EXPECT_NEAR(2.0 * (s.power[15] + s.power[16] + s.power[17]) * df, 4.5, 1e-9);
}

TEST(WelchPsd, RefusesSignalsShorterThanOneSegment) {
  EXPECT_THROW(welch_psd(std::vector<double>(100, 1.0), 1e-3, 256), std::invalid_argument);
  EXPECT_THROW(welch_psd(std::vector<double>(100, 1.0), 1e-3, 2), std::invalid_argument);
}

TEST(ChiSquare, QuantilesMatchTables) {
  // Tabulated: chi2(10) 2.5 % = 3.247, 97.5 % = 20.483; chi2(100) 5 % = 77.929.
  EXPECT_NEAR(chi_square_quantile(0.025, 10), 3.247, 0.01 * 3.247);
  EXPECT_NEAR(chi_square_quantile(0.975, 10), 20.483, 0.01 * 20.483);
  EXPECT_NEAR(chi_square_quantile(0.05, 100), 77.929, 0.002 * 77.929);
}

TEST(SpectralDistance, ScaledSpectrumIsItsRatioInDecibels) {
  std::mt19937_64 rng(5);
  std::normal_distribution<double> normal;
  std::vector<double> x(4096);
  for (double& v : x) v = normal(rng);
  Spectrum a = welch_psd(x, 1e-3, 256), b = a;
  for (double& p : b.power) p /= 4.0;
  const SpectralDistance d = log_spectral_distance(a, b, 1.0, 200.0);
  EXPECT_NEAR(d.lsd_db, 10.0 * std::log10(4.0), 1e-9);
  EXPECT_EQ(d.frequencies, 51u);  // 3.9 .. 199.2 Hz in steps of 3.90625 Hz
  EXPECT_DOUBLE_EQ(log_spectral_distance(a, a).lsd_db, 0.0);
}

TEST(SpectralDistance, IndependentEstimatesOfOneSpectrumSitAtTheNullDistance) {
  std::mt19937_64 rng(8);
  std::normal_distribution<double> normal;
  const std::size_t L = 1024, K = 32;
  std::vector<double> x(L * K), y(L * K);
  for (double& v : x) v = normal(rng);
  for (double& v : y) v = normal(rng);
  const SpectralDistance d = log_spectral_distance(welch_psd(x, 1e-3, L), welch_psd(y, 1e-3, L), 1.0, 450.0);
  // lsd^2 is a mean of M squared differences with relative sd about
  // sqrt(2 * 1.5 / M) (near-Gaussian, Hann-correlated neighbours).
  const double rel = std::sqrt(3.0 / d.frequencies);
  EXPECT_NEAR(d.lsd_db * d.lsd_db / (d.null_lsd_db * d.null_lsd_db), 1.0, 4.0 * rel);
}
