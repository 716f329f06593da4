// The master-equation variant (NoiseModel::master): per age bin the firing
// survivors are drawn, Binomial(m_k, p_k). Its neurons are whole and
// conserved; without coupling or adaptation they are independent renewal
// processes, so the per-step count has the exact moments of N independent
// neurons (which the population equations' binomial draw only approximates).
#include <gtest/gtest.h>

#include <cmath>
#include <iostream>

#include "meso/population_equation.hpp"
#include "count_series.hpp"
#include "meso/spike_count_draw.hpp"
#include "meso_fixtures.hpp"
#include "micromeso/meso.hpp"

using namespace micromeso;
using micromeso::testing::adapting_single_population;
using micromeso::testing::renewal_rate_hz;
using micromeso::testing::single_population;

// Every escape is a spike and every survivor a whole neuron: the bins and the
// free pool hold exactly N neurons, in whole numbers, at every step, with
// adaptation (quasi-renewal thresholds) as without.
TEST(MesoMaster, NeuronsAreWholeAndConserved) {
  for (const Circuit& c : {single_population(500, 200.0, 0.5, 1), adapting_single_population(500, 300.0, 0.5, 1)}) {
    meso::PopulationEquation eq(meso::make_population_constants(c.populations[0], 0.5, 0.0));
    const double drive_mV = c.populations[0].neuron.I_e_pA * eq.constants().prop.P20;
    double spikes = 0.0, largest_error = 0.0;
    bool whole = true;
    for (std::uint64_t k = 0; k < 8000; ++k) {
      meso::PhiloxWords words(3, 0, k, physics::kStreamMesoMaster);
      double expected = 0.0;
      const double n = eq.draw_spikes_by_age(drive_mV, meso::ThresholdShift{}, words, expected);
      whole = whole && n == std::floor(n) && n >= 0.0;
      eq.commit(n);
      spikes += n;
      largest_error = std::max(largest_error, std::abs(eq.accounted_neurons() - 500.0));
    }
    EXPECT_TRUE(whole);
    EXPECT_GT(spikes / 500.0 / 4.0, 2.0);  // Hz over 4 s: the history has turned over many times
    EXPECT_EQ(largest_error, 0.0);
  }
}

// N independent stationary renewal neurons: the count of a step is a sum of
// N indicators, each 1 with probability a = A_0 dt, so its mean is N a and
// its variance N a (1 - a) exactly. Standard errors from batches of 400
// steps (20 tau_m) for the mean and from the fourth moment for the variance
// (Poisson-like counts: sd of the sample variance ~ sqrt((2 s^4 + s^2) / T)).
// The population equations' draw, Binomial(N, n_bar / N), has the mean but
// not this variance where refractoriness is strong (40 Hz: 9 % too large at
// N = 50), which the same test resolves.
namespace {

// Mean and variance of the per-step counts over 200,000 steps after 4,000
// (run_counts: standard error of the mean from batches of 400 steps), and
// the standard error of the variance from the fourth moment.
struct CountMoments {
  double mean, mean_se, variance, variance_se;
};

CountMoments count_moments(const Circuit& c, meso::NoiseModel noise) {
  meso::MesoOptions o;
  o.noise = noise;
  const std::size_t T = 200000;
  const micromeso::testing::Series s = micromeso::testing::run_counts(c, o, 4000, T, 400);
  return {s.mean, s.batch_se, s.variance, std::sqrt((2.0 * s.variance * s.variance + s.variance) / double(T))};
}

}  // namespace

TEST(MesoMaster, UncoupledCountsHaveTheMomentsOfIndependentRenewalNeurons) {
  for (const double I_e : {200.0, 400.0}) {
    const Circuit c = single_population(50, I_e, 0.5, 9);
    const double a = renewal_rate_hz(c.populations[0], 0.5) * 0.5e-3;
    const CountMoments m = count_moments(c, meso::NoiseModel::master);
    std::cout << "I_e " << I_e << ": mean " << m.mean << " +- " << m.mean_se << " (N a = " << 50.0 * a
              << "), variance " << m.variance << " +- " << m.variance_se << " (N a (1 - a) = " << 50.0 * a * (1.0 - a)
              << ")\n";
    EXPECT_NEAR(m.mean, 50.0 * a, 4.0 * m.mean_se);
    EXPECT_NEAR(m.variance, 50.0 * a * (1.0 - a), 4.0 * m.variance_se);
    if (I_e < 400.0) continue;
    const CountMoments b = count_moments(c, meso::NoiseModel::binomial);
    std::cout << "  population equations: variance " << b.variance << " +- " << b.variance_se << "\n";
    EXPECT_GT(b.variance - 50.0 * a * (1.0 - a), 4.0 * b.variance_se);
  }
}

// The variant has no Lambda to switch off.
TEST(MesoMaster, RefusesTheNaiveModel) {
  meso::MesoOptions o;
  o.noise = meso::NoiseModel::master;
  o.lambda_correction = false;
  EXPECT_THROW(meso::MesoSimulator(single_population(50, 400.0, 0.5, 1), o), std::invalid_argument);
  EXPECT_EQ(meso::parse_noise_model("master"), meso::NoiseModel::master);
}
