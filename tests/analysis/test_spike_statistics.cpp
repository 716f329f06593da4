// Rate, CV and Fano factor of spike trains with known statistics.
#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "micromeso/analysis.hpp"

using namespace micromeso::analysis;

TEST(SpikeStatistics, RegularTrainsHaveZeroCvAndFano) {
  std::vector<double> t;
  std::vector<std::uint64_t> id;
  for (std::uint64_t n = 0; n < 10; ++n)
    for (int k = 0; k < 100; ++k) {  // 10 Hz, phase-shifted per neuron
      t.push_back(100.0 * k + n);
      id.push_back(n);
    }
  const SpikeStatistics s = spike_statistics(t, id, 20, 0.0, 10000.0, 100.0);
  EXPECT_DOUBLE_EQ(s.rate_hz, 1000.0 / (20 * 10.0));
  ASSERT_TRUE(s.cv_isi.has_value());
  EXPECT_NEAR(*s.cv_isi, 0.0, 1e-9);
  EXPECT_EQ(s.neurons_with_cv, 10u);
  ASSERT_TRUE(s.fano_factor.has_value());
  EXPECT_NEAR(*s.fano_factor, 0.0, 1e-12);
}

// Poisson trains: CV = 1 and Fano = 1. With n ISIs per neuron the CV
// estimate has sd about 1/sqrt(n) per neuron (exponential ISIs), averaged
// over M neurons: 1/sqrt(n M).
TEST(SpikeStatistics, PoissonTrainsHaveUnitCvAndFano) {
  std::mt19937_64 rng(21);
  const double rate_hz = 20.0, T_ms = 20000.0;
  const std::uint64_t M = 200;
  std::exponential_distribution<double> isi(rate_hz * 1e-3);
  std::vector<double> t;
  std::vector<std::uint64_t> id;
  for (std::uint64_t n = 0; n < M; ++n)
    for (double s = isi(rng); s < T_ms; s += isi(rng)) {
      t.push_back(s);
      id.push_back(n);
    }
  const SpikeStatistics s = spike_statistics(t, id, M, 0.0, T_ms, 500.0);
  const double spikes_per_neuron = rate_hz * T_ms * 1e-3;
  EXPECT_NEAR(s.rate_hz, rate_hz, 4.0 * std::sqrt(rate_hz / (M * T_ms * 1e-3)));
  ASSERT_TRUE(s.cv_isi.has_value());
  EXPECT_NEAR(*s.cv_isi, 1.0, 4.0 / std::sqrt(spikes_per_neuron * M) + 1.0 / spikes_per_neuron);
  // Fano of W = 40 windows: var/mean estimate sd about sqrt(2/(W-1)) per
  // neuron, averaged over M neurons.
  ASSERT_TRUE(s.fano_factor.has_value());
  EXPECT_NEAR(*s.fano_factor, 1.0, 4.0 * std::sqrt(2.0 / 39.0 / M));
}

TEST(SpikeStatistics, WindowExcludesSpikesOutsideIt) {
  const SpikeStatistics s = spike_statistics({5.0, 15.0, 25.0}, {0, 0, 0}, 1, 10.0, 20.0);
  EXPECT_DOUBLE_EQ(s.rate_hz, 100.0);  // one spike in 10 ms
  EXPECT_FALSE(s.cv_isi.has_value());
}

TEST(ActivityHelpers, RateAndRebin) {
  EXPECT_EQ(activity_hz({1, 2}, 10, 0.5), (std::vector<double>{200.0, 400.0}));
  EXPECT_EQ(rebin({1, 2, 3, 4, 5}, 2), (std::vector<double>{3, 7}));
}

TEST(DwellTimes, CompletedEpochsOnly) {
  // A high for bins 0-2 (censored start), B for 3-4, A for 5-8, B for 9 (censored end)
  const std::vector<double> a = {5, 5, 5, 1, 1, 5, 5, 5, 5, 1}, b = {1, 1, 1, 5, 5, 1, 3, 3, 1, 5};
  const DwellTimes d = dwell_times(a, b, 250.0);
  EXPECT_EQ(d.b_high_ms, (std::vector<double>{500.0}));
  EXPECT_EQ(d.a_high_ms, (std::vector<double>{1000.0}));
  const DwellTimes ties = dwell_times({5, 3, 3, 1, 5, 1}, {1, 3, 3, 5, 1, 5}, 1.0);  // ties keep A
  EXPECT_EQ(ties.a_high_ms, (std::vector<double>{1.0}));  // bin 4; bins 0-2 (a tie keeps A) are censored
  EXPECT_EQ(ties.b_high_ms, (std::vector<double>{1.0}));
}
