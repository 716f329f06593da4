// An uncoupled population of Poisson neurons, simulated by both engines and
// analysed by the same pipeline as any run (activity.h5 -> Welch spectrum):
// the spectrum is flat at its theoretical level.
//
// The neurons are gif_psc_exp with no input, V_reset = E_L, no refractory
// period and no adaptation: V stays at E_L, so the hazard is the constant
// lambda = lambda_0 exp((E_L - V_T*) / Delta_V) and every neuron fires in
// each step independently with p = 1 - exp(-lambda dt) (a Bernoulli process,
// the discrete-time Poisson process). The activity A = n / (N b) in bins b is
// then white with variance p (1 - p) (b / dt) / (N b^2), so its two-sided PSD
// is S = var * b = (p / dt) (1 - p) / N: the familiar rate / N, times
// (1 - p) for the discrete time. Both engines must give it: the micro engine
// from N independent neurons, the meso engine from Binomial(N, p) counts.
//
// Statistics: each Welch value is S chi2(2K)/(2K) (K segments); the mean of
// S_hat / S over M frequencies has sd sqrt(c / (K M)) where c = 1 + 2 (4/9 +
// 1/36) = 1.94 accounts for the correlation of neighbouring Hann-windowed
// bins (their DFT coefficients correlate by 2/3 and 1/6). We allow 4 sd. The
// band starts at 5 Hz: removing each segment's mean lowers the first bin
// (2 Hz here) by 1/6 in expectation.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <iostream>

#include "../meso/meso_fixtures.hpp"
#include "compare_options.hpp"
#include "micromeso/compare.hpp"

namespace fs = std::filesystem;

namespace {

struct BandMean {
  double mean = 0.0;  // of S_hat / S over the band
  double sd = 0.0;    // its standard deviation under the hypothesis
};

BandMean band_mean(const micromeso::analysis::Spectrum& s, double level, double low_hz, double high_hz) {
  double sum = 0.0;
  std::size_t M = 0;
  for (std::size_t i = 0; i < s.frequency_hz.size(); ++i)
    if (s.frequency_hz[i] >= low_hz && s.frequency_hz[i] < high_hz) sum += s.power[i] / level, ++M;
  return {sum / double(M), std::sqrt(1.944 / (double(s.segments) * double(M)))};
}

}  // namespace

TEST(PoissonPopulationSpectra, FlatAtRateOverNInBothEngines) {
  const std::uint64_t N = 200;
  const double dt_ms = 0.1;
  micromeso::Circuit c = micromeso::testing::single_population(N, 0.0, dt_ms, 7);
  micromeso::NeuronParams& n = c.populations[0].neuron;
  n.t_ref_ms = 0.0;
  n.V_T_star_mV = 0.0;  // hazard lambda_0 at V = E_L = 0
  n.lambda_0_per_s = 20.0;
  c.simulation.t_presim_ms = 100.0;
  c.simulation.t_sim_ms = 20000.0;
  c.simulation.record.spikes = false;
  c.simulation.record.activity_bin_ms = 1.0;
  const double p = -std::expm1(-n.lambda_0_per_s * 1e-3 * dt_ms);
  const double level = (p / (dt_ms * 1e-3)) * (1.0 - p) / double(N);  // Hz

  // K = 40 segments, 2 Hz resolution
  micromeso::CompareOptions o = micromeso::testing::validation_compare_options("poisson-spectra", 1.0, 500.0);
  const micromeso::Comparison cmp = micromeso::compare_micro_meso(c, o);
  for (const auto* run : {&cmp.micro, &cmp.meso}) {
    const auto& pop = run->populations[0];
    const BandMean all = band_mean(pop.spectrum, level, 5.0, 200.0 + 1e-9);
    const BandMean low = band_mean(pop.spectrum, level, 5.0, 100.0);
    const BandMean high = band_mean(pop.spectrum, level, 100.0, 200.0 + 1e-9);
    std::cout << run->engine << ": S / (r (1 - p) / N) = " << all.mean << " +- " << all.sd << " (5-100 Hz "
              << low.mean << ", 100-200 Hz " << high.mean << "), rate " << pop.rate_hz << " Hz\n";
    EXPECT_EQ(pop.spectrum.segments, 40u);
    EXPECT_NEAR(all.mean, 1.0, 4.0 * all.sd) << run->engine;
    EXPECT_NEAR(low.mean - high.mean, 0.0, 4.0 * std::hypot(low.sd, high.sd)) << run->engine << ": not flat";
    // The rate itself: N T / dt Bernoulli trials with probability p.
    const double trials = double(N) * c.simulation.t_sim_ms / dt_ms;
    const double rate = p / (dt_ms * 1e-3);
    EXPECT_NEAR(pop.rate_hz, rate, 4.0 * rate * std::sqrt((1.0 - p) / (trials * p))) << run->engine;
  }
  fs::remove_all(o.out_dir);
}
