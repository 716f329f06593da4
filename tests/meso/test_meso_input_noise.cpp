// The input-noise option (src/meso/input_noise.hpp): the membrane variance
// of each neuron's private input against Campbell's theorem in closed form,
// the private and quenched parts of a sparse projection, none for all-to-all
// coupling, and the build-up after the reset against the kernel integrated
// numerically.
#include <gtest/gtest.h>

#include "tests/temp_dir.hpp"

#include <cmath>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "meso/input_noise.hpp"
#include "meso/threshold_shift.hpp"
#include "meso_fixtures.hpp"
#include "micromeso/run.hpp"

using namespace micromeso;
using micromeso::testing::gif_population;
using micromeso::testing::single_population;

namespace {

// int_0^inf eps(s)^2 ds per unit weight^2 (mV^2 ms / pA^2): eps = (a / C)
// (exp(-s/tau_m) - exp(-s/tau_s)), a = tau_s tau_m / (tau_m - tau_s).
double psp_square_integral(const NeuronParams& n, double tau_s) {
  const double a = tau_s * n.tau_m_ms / (n.tau_m_ms - tau_s);
  return a * a / (n.C_m_pF * n.C_m_pF) *
         (n.tau_m_ms / 2.0 + tau_s / 2.0 - 2.0 * n.tau_m_ms * tau_s / (n.tau_m_ms + tau_s));
}

// Runs the filters to their stationary state with every source firing
// `counts[p]` spikes per step.
meso::InputNoise stationary(const Circuit& c, const std::vector<double>& counts, double dt) {
  meso::InputNoise noise(c, dt);
  std::vector<std::vector<double>> past;
  for (double n : counts) past.emplace_back(10, n);
  for (std::uint64_t k = 0; k < 20000; ++k) noise.advance(past, 10, k);
  return noise;
}

}  // namespace

TEST(MesoInputNoise, PoissonInputHasCampbellsVariance) {
  for (const double w : {20.0, -40.0}) {
    Circuit c = single_population(100, 0.0, 0.1, 1);
    c.populations[0].poisson = PoissonInput{100, 50.0, w};
    const NeuronParams& n = c.populations[0].neuron;
    const double tau_s = w > 0 ? n.tau_syn_ex_ms : n.tau_syn_in_ms;
    const double campbell = 100 * 50.0 * 1e-3 * w * w * psp_square_integral(n, tau_s);  // mV^2
    const meso::InputNoise noise = stationary(c, {0.0}, 0.1);
    EXPECT_NEAR(noise.variance_mV2(0), campbell, 1e-9 * campbell) << "w " << w;
    const meso::ThresholdShift s = noise.threshold_shift(0);
    EXPECT_NEAR(w > 0 ? s.excitatory_mV : s.inhibitory_mV, campbell / (2.0 * n.Delta_V_mV), 1e-9 * campbell);
    EXPECT_EQ(w > 0 ? s.inhibitory_mV : s.excitatory_mV, 0.0);
    EXPECT_EQ(s.quenched_mV, 0.0);
  }
}

// A -> B, pairwise_bernoulli p: of the C = p N_A synapses' shot noise the
// private part is (1 - p) C A (A the source rate per neuron); the quenched
// part has variance (Var C + C rel_sd^2) (w x)^2 with Var C = C (1 - p) and
// x = A tau_s tau_m / C_m the stationary membrane response per unit weight.
// All-to-all coupling (p = 1, equal weights) has neither.
TEST(MesoInputNoise, SparseProjectionPrivateAndQuenchedParts) {
  const double dt = 0.1, counts_per_step = 2.0;  // 1000 neurons: A = 2 / (1000 x 0.1 ms) = 0.02 / ms
  for (const double p : {0.1, 1.0}) {
    Circuit c;
    c.simulation.dt_ms = dt;
    c.populations = {gif_population("A", 1000, 0.0), gif_population("B", 500, 0.0)};
    Projection pr;
    pr.source = "A";
    pr.target = "B";
    pr.rule = ConnectionRule::pairwise_bernoulli;
    pr.probability = p;
    pr.weight_pA = 30.0;
    pr.weight_rel_sd = p < 1.0 ? 0.2 : 0.0;
    pr.delay_ms = 1.0;
    pr.receptor = Receptor::excitatory;
    c.projections = {pr};
    const meso::InputNoise noise = stationary(c, {counts_per_step, 0.0}, dt);
    const NeuronParams& n = c.populations[1].neuron;
    const double A = counts_per_step / (1000.0 * dt), C = p * 1000.0, sd = pr.weight_rel_sd;
    const double shot = (1.0 - p) * C * A * 900.0 * (1.0 + sd * sd) * psp_square_integral(n, n.tau_syn_ex_ms);
    const double x = A * n.tau_syn_ex_ms * n.tau_m_ms / n.C_m_pF;
    const double quenched = (C * (1.0 - p) + C * sd * sd) * (30.0 * x) * (30.0 * x);
    const meso::ThresholdShift s = noise.threshold_shift(1);
    EXPECT_NEAR(s.excitatory_mV, shot / (2.0 * n.Delta_V_mV), 1e-9 * shot + 1e-15) << "p " << p;
    EXPECT_NEAR(s.quenched_mV, quenched / (2.0 * n.Delta_V_mV), 1e-9 * quenched + 1e-15) << "p " << p;
    EXPECT_EQ(noise.variance_mV2(0), 0.0);  // A receives nothing
    if (p == 1.0) EXPECT_EQ(noise.variance_mV2(1), 0.0);
    else EXPECT_GT(s.quenched_mV, 0.01 * s.excitatory_mV);
  }
}

// f(a): the variance of xi(a) = int_0^a exp(-(a - s)/tau_m) eta(s) ds for
// eta with covariance exp(-|u| / tau_s), relative to a -> infinity, by a
// midpoint double sum on a grid of 0.005 ms (error ~1e-5).
TEST(MesoInputNoise, BuildUpAfterTheResetIsTheFilteredVariance) {
  const double tau_m = 20.0, tau_s = 3.0, ds = 0.005;
  const auto variance = [&](double a) {
    const auto steps = static_cast<std::size_t>(std::llround(a / ds));
    std::vector<double> g(steps);
    for (std::size_t i = 0; i < steps; ++i) g[i] = std::exp(-(a - (double(i) + 0.5) * ds) / tau_m);
    double sum = 0.0;
    for (std::size_t i = 0; i < steps; ++i)
      for (std::size_t j = 0; j < steps; ++j) sum += g[i] * g[j] * std::exp(-std::abs(double(i) - double(j)) * ds / tau_s);
    return sum * ds * ds;
  };
  const double stationary = tau_m * tau_m * tau_s / (tau_m + tau_s);  // Var xi for unit Var eta
  for (const double a : {1.0, 5.0, 20.0}) {
    const double f = meso::shot_noise_age_factor(a, tau_m, tau_s);
    EXPECT_NEAR(f, variance(a) / stationary, 1e-4) << "age " << a << " ms";
  }
  EXPECT_EQ(meso::shot_noise_age_factor(0.0, tau_m, tau_s), 0.0);
  EXPECT_NEAR(meso::shot_noise_age_factor(10.0 * tau_m, tau_m, tau_s), 1.0, 1e-8);
  EXPECT_NEAR(meso::quenched_age_factor(tau_m, tau_m), (1.0 - std::exp(-1.0)) * (1.0 - std::exp(-1.0)), 1e-15);
}

TEST(MesoInputNoise, EqualSynapticAndMembraneTimeConstantsAreRefused) {
  Circuit c = single_population(100, 0.0, 0.1, 1);
  c.populations[0].neuron.tau_syn_ex_ms = c.populations[0].neuron.tau_m_ms;
  c.populations[0].poisson = PoissonInput{10, 10.0, 10.0};
  try {
    meso::InputNoise noise(c, 0.1);
    FAIL() << "expected CircuitError";
  } catch (const CircuitError& e) {
    EXPECT_NE(std::string(e.what()).find("population 'P': tau_syn = tau_m"), std::string::npos) << e.what();
  }
}

// Out of its range (input_noise.hpp: rate x (tau_m + tau_syn) x
// (exp(sigma^2 / Delta_V^2) - 1) = 0.24 at 10 Hz here, where the option
// overestimates the spiking rate by 9 %) the run says so, by population.
TEST(MesoInputNoise, RunWarnsOutsideTheRange) {
  Circuit c = single_population(500, -100.0, 0.1, 3);
  c.populations[0].poisson = PoissonInput{100, 50.0, 20.0};
  c.simulation.t_presim_ms = 500.0;
  c.simulation.t_sim_ms = 1000.0;
  const auto dir = micromeso::testing::unique_temp_dir("micromeso-input-noise-warning");
  std::filesystem::remove_all(dir);
  MesoRunOptions o;
  o.input_noise = true;
  o.out_dir = dir;
  const RunSummary s = run_meso(c, o);
  ASSERT_EQ(s.warnings.size(), 1u);
  EXPECT_NE(s.warnings[0].find("population 'P': --input-noise is outside its range"), std::string::npos)
      << s.warnings[0];
  std::ifstream file(dir / "summary.json");
  const std::string json((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
  EXPECT_EQ(summary_from_json(json).warnings, s.warnings);
  std::filesystem::remove_all(dir);
}
