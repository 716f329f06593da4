// The population equation against renewal theory and finite-size statistics.
#include <gtest/gtest.h>

#include <cmath>
#include <iostream>
#include <numeric>

#include "meso/coupling.hpp"
#include "meso/population_equation.hpp"
#include "meso_fixtures.hpp"
#include "micromeso/meso.hpp"

using namespace micromeso;
using micromeso::testing::renewal_rate_hz;
using micromeso::testing::single_population;

namespace {

struct Series {
  double mean = 0.0, variance = 0.0, batch_se = 0.0;
};

// Mean and variance of the per-step counts after `skip` steps; the standard
// error of the mean from batches of `batch` steps (longer than the
// correlation time, so batch means are nearly independent).
Series run_counts(const Circuit& c, const meso::MesoOptions& o, std::size_t skip, std::size_t steps,
                  std::size_t batch = 2000) {
  meso::MesoSimulator sim(c, o);
  for (std::size_t k = 0; k < skip; ++k) sim.step();
  std::vector<double> x(steps);
  for (std::size_t k = 0; k < steps; ++k) {
    sim.step();
    x[k] = sim.spike_counts()[0];
  }
  Series s;
  s.mean = std::accumulate(x.begin(), x.end(), 0.0) / double(steps);
  for (double v : x) s.variance += (v - s.mean) * (v - s.mean);
  s.variance /= double(steps - 1);
  const std::size_t B = steps / batch;
  std::vector<double> means(B, 0.0);
  for (std::size_t b = 0; b < B; ++b)
    means[b] = std::accumulate(x.begin() + b * batch, x.begin() + (b + 1) * batch, 0.0) / double(batch);
  double var_b = 0.0;
  for (double m : means) var_b += (m - s.mean) * (m - s.mean);
  s.batch_se = std::sqrt(var_b / double(B - 1) / double(B));
  return s;
}

}  // namespace

// N -> infinity (no noise), no adaptation: the stationary activity is the
// renewal rate 1 / (mean interval) of the same neuron, computed independently.
TEST(MesoPopulation, DeterministicRateIsTheRenewalRate) {
  for (double I_e : {350.0, 450.0}) {
    const Circuit c = single_population(500, I_e, 0.1, 1);
    meso::MesoOptions o;
    o.noise = meso::NoiseModel::none;
    meso::MesoSimulator sim(c, o);
    for (int k = 0; k < 20000; ++k) sim.step();  // 2 s: the synchronous start has decayed
    double sum = 0.0;
    for (int k = 0; k < 10000; ++k) {
      sim.step();
      sum += sim.spike_counts()[0];
    }
    const double rate_hz = sum / (500.0 * 10000 * 0.1e-3);
    const double theory = renewal_rate_hz(c.populations[0], 0.1);
    EXPECT_GT(theory, 5.0);
    // Exact up to the neurons that survive the whole window (about 5 tau_m)
    // and are treated with the free pool's potential: below 1e-6 here.
    EXPECT_NEAR(rate_hz, theory, 1e-6 * theory) << "I_e " << I_e;
  }
}

// The finite-size noise: given the step's expected count n_bar, binomial
// counts have variance N p (1 - p), p = n_bar / N, and Poisson counts n_bar.
// Measured on the residuals n - n_bar over T steps; the sample mean of the
// squared residuals has sd sqrt((mu4 - sigma^4) / T) ~ sqrt((2 s^4 + s^2) / T).
TEST(MesoPopulation, CountsHaveTheFiniteSizeVariance) {
  const Circuit c = single_population(500, 400.0, 0.5, 3);
  for (const auto noise : {meso::NoiseModel::binomial, meso::NoiseModel::poisson}) {
    meso::MesoOptions o;
    o.noise = noise;
    meso::MesoSimulator sim(c, o);
    for (int k = 0; k < 4000; ++k) sim.step();
    const std::size_t T = 200000;
    double squared = 0.0, predicted = 0.0, counts = 0.0;
    for (std::size_t k = 0; k < T; ++k) {
      sim.step();
      const double n_bar = sim.expected_counts()[0], n = sim.spike_counts()[0];
      squared += (n - n_bar) * (n - n_bar);
      predicted += noise == meso::NoiseModel::binomial ? n_bar * (1.0 - n_bar / 500.0) : n_bar;
      counts += n;
    }
    squared /= double(T);
    predicted /= double(T);
    EXPECT_GT(counts / double(T), 5.0);  // about 40 Hz: 10 spikes per step
    EXPECT_NEAR(squared, predicted, 5.0 * std::sqrt((2.0 * predicted * predicted + predicted) / double(T)));
  }
}

// With the Lambda correction a finite population fires on average at the
// N -> infinity rate (Schwalger et al. 2017); within 4 batch standard errors.
TEST(MesoPopulation, LambdaCorrectionKeepsTheMeanRate) {
  const Circuit c = single_population(50, 400.0, 0.5, 5);
  const double theory_per_step = renewal_rate_hz(c.populations[0], 0.5) * 50.0 * 0.5e-3;
  const Series s = run_counts(c, meso::MesoOptions{}, 4000, 400000, 400);
  EXPECT_NEAR(s.mean, theory_per_step, 4.0 * s.batch_se) << "se " << s.batch_se;
  meso::MesoOptions naive;
  naive.lambda_correction = false;
  const Series n = run_counts(c, naive, 4000, 400000, 400);
  std::cout << "N = 50: renewal " << theory_per_step << ", with Lambda " << s.mean << " +- " << s.batch_se
            << ", naive " << n.mean << " +- " << n.batch_se << " spikes per step\n";
  // Without Lambda the number of neurons accounted for performs a random
  // walk (each step adds n - n_bar) until it is absorbed at zero: the naive
  // model falls silent, far from the renewal rate.
  EXPECT_GT(std::abs(n.mean - theory_per_step), 10.0 * (n.batch_se + s.batch_se));
}

TEST(MesoPopulation, HistoryCoversFiveMembraneTimeConstantsOrTheAdaptation) {
  Population p = micromeso::testing::gif_population("P", 10, 300.0);
  EXPECT_EQ(meso::history_length(p.neuron, 0.1), 1000u);  // 5 tau_m
  p.neuron.tau_sfa_ms = {1000.0};
  p.neuron.q_sfa_mV = {1.0};
  // theta(k h) = exp(-k h / 1 s) mV >= 0.1 Delta_V = 0.2 mV up to 1.609 s
  EXPECT_NEAR(double(meso::history_length(p.neuron, 0.1)) * 0.1, 1000.0 * std::log(5.0), 0.15);
}
