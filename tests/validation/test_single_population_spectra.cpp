// One uncoupled population of 500 escape-noise neurons (no adaptation): the
// power spectra of the activity from the spiking network and from the
// population equations agree over 1 to 200 Hz. Under the hypothesis that both
// estimate the same spectrum, the squared log-spectral distance is a mean of
// M squared differences of log chi-square variables with expectation null^2
// and relative sd about sqrt(2 * 1.5 / M) (neighbouring Hann bins are
// correlated); the test allows 4 of those sd.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <iostream>

#include "compare_options.hpp"
#include "micromeso/compare.hpp"
#include "../meso/meso_fixtures.hpp"

namespace fs = std::filesystem;

TEST(SingletonSpectra, MicroAndMesoSpectraAgreeWithinTheirStatistics) {
  micromeso::Circuit c = micromeso::testing::single_population(500, 400.0, 0.1, 21);
  c.simulation.t_presim_ms = 500.0;
  c.simulation.t_sim_ms = 40000.0;
  c.simulation.record.spikes = false;
  c.simulation.record.activity_bin_ms = 1.0;
  c.populations[0].v_init.distribution = micromeso::InitDistribution::uniform;
  c.populations[0].v_init.low_mV = 0.0;
  c.populations[0].v_init.high_mV = 10.0;
  // 80 segments, 2 Hz resolution
  micromeso::CompareOptions o = micromeso::testing::validation_compare_options("singleton-spectra", 1.0, 500.0);
  const micromeso::Comparison cmp = micromeso::compare_micro_meso(c, o);
  const auto& p = cmp.populations[0];
  const double M = double(p.spectral_distance.frequencies);
  std::cout << "rates micro " << p.rate_micro_hz << " meso " << p.rate_meso_hz << " Hz; LSD "
            << p.spectral_distance.lsd_db << " dB, null " << p.spectral_distance.null_lsd_db << " dB over " << M
            << " frequencies\n";
  const double ratio = std::pow(p.spectral_distance.lsd_db / p.spectral_distance.null_lsd_db, 2.0);
  EXPECT_LT(ratio, 1.0 + 4.0 * std::sqrt(3.0 / M));
  fs::remove_all(o.out_dir);
}
