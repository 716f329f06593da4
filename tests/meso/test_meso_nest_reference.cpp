// NEST's own acceptance test of gif_pop_psc_exp (testsuite
// test_gif_pop_psc_exp.py; reference meso-algorithm.md 4.6): one
// self-inhibiting, adapting population of 500 neurons. NEST passes when the
// mean activity is 22 +- 1 Hz and its variance (0.5 ms bins) 102 +- 6 Hz^2
// after discarding the first second of 10 s. Our engine follows the micro
// engine's discretisation where it differs from NEST (escape probability at
// the end of the step, kernel offset, input timing: population_equation.hpp)
// and must still meet NEST's numbers (a measured 22.7 Hz and 97-99 Hz^2 over
// seeds).
#include <gtest/gtest.h>

#include "meso_fixtures.hpp"
#include "micromeso/meso.hpp"

using namespace micromeso;

TEST(MesoNestReference, SelfInhibitingAdaptingPopulation) {
  Circuit c;
  c.name = "nest_test_gif_pop_psc_exp";
  c.simulation.dt_ms = 0.5;
  c.simulation.seed = 1;
  Population p = micromeso::testing::gif_population("P", 500, 500.0);  // C_m 250, tau_m 20, t_ref 4, Delta_V 2
  p.neuron.V_T_star_mV = 10.0;
  p.neuron.tau_syn_in_ms = 2.0;
  p.neuron.tau_sfa_ms = {500.0};
  p.neuron.q_sfa_mV = {1.0};
  c.populations = {p};
  Projection self;  // NEST: all-to-all weight -6.25 pA between population nodes
  self.source = self.target = "P";
  self.rule = ConnectionRule::fixed_indegree;
  self.indegree = 500;
  self.weight_pA = -6.25;
  self.receptor = Receptor::inhibitory;
  self.delay_ms = 1.0;
  c.projections = {self};
  meso::MesoSimulator sim(c, meso::MesoOptions{});
  for (int k = 0; k < 2000; ++k) sim.step();
  const int steps = 18000;
  double sum = 0.0, squares = 0.0;
  for (int k = 0; k < steps; ++k) {
    sim.step();
    const double A_hz = sim.spike_counts()[0] / (500.0 * 0.5e-3);
    sum += A_hz;
    squares += A_hz * A_hz;
  }
  const double mean = sum / steps, variance = squares / steps - mean * mean;
  EXPECT_NEAR(mean, 22.0, 1.0);
  EXPECT_NEAR(variance, 102.0, 6.0);
}
