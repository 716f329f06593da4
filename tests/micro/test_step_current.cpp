// step_current (NEST's step_current_generator) on a population: read from
// circuit files and printed back, bad input refused, and through both engines
// a neuron's V follows the closed form of a piecewise-constant current.
#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "micro/backend_factory.hpp"
#include "micromeso/circuit_io.hpp"
#include "../model/circuit_error.hpp"
#include "spike_log.hpp"

using namespace micromeso;

namespace {

std::string with_current(const std::string& model, const std::string& current) {
  return "name = \"s\"\n[simulation]\ndt = 0.1\nt_sim = 50.0\n[[population]]\nname = \"N\"\nsize = 2\nmodel = \"" +
         model + "\"\nV_th = 0.0\n" + current + "\n";
}

std::string error_of(const std::string& text) { return micromeso::testing::circuit_error_of(text, "s.toml"); }

}  // namespace

TEST(StepCurrent, ReadsAndPrintsBack) {
  const Circuit c = parse_circuit_toml(
      with_current("iaf_psc_exp", "step_current = { amplitude_times = [10.0, 30.0], amplitude_values = [300.0, 0.0] }"),
      "s.toml");
  const StepCurrent& sc = c.populations[0].step_current;
  EXPECT_EQ(sc.amplitude_times_ms, (std::vector<double>{10.0, 30.0}));
  EXPECT_EQ(sc.amplitude_values_pA, (std::vector<double>{300.0, 0.0}));
  const Circuit again = parse_circuit_toml(circuit_to_toml(c), "printed.toml");
  EXPECT_EQ(again.populations[0].step_current.amplitude_times_ms, sc.amplitude_times_ms);
  EXPECT_EQ(again.populations[0].step_current.amplitude_values_pA, sc.amplitude_values_pA);
}

TEST(StepCurrent, BadCurrentsAreRefusedNamingTheKey) {
  struct Case {
    std::string current, expected;
  };
  for (const Case& c : std::vector<Case>{
           {"step_current = { amplitude_times = [10.0] }", "step_current.amplitude_values"},
           {"step_current = { amplitude_times = [10.0, 20.0], amplitude_values = [1.0] }", "one amplitude per time"},
           {"step_current = { amplitude_times = [10.05], amplitude_values = [1.0] }", "on the grid of dt"},
           {"step_current = { amplitude_times = [20.0, 10.0], amplitude_values = [1.0, 2.0] }", "ascending"},
           {"step_current = { amplitude_times = [-1.0], amplitude_values = [1.0] }", "expected a value >= 0"},
           {"step_current = { amplitude_times = [1.0], amplitude_values = [1.0], start = 2.0 }", "unknown key"},
       }) {
    const std::string e = error_of(with_current("iaf_psc_exp", c.current));
    EXPECT_NE(e.find(c.expected), std::string::npos) << c.current << " -> " << e;
    EXPECT_NE(e.find("population[0].step_current"), std::string::npos) << e;
  }
  const std::string e = error_of(
      "name = \"s\"\n[[population]]\nname = \"G\"\nsize = 1\nmodel = \"poisson_generator\"\nrate = 5.0\n"
      "step_current = { amplitude_times = [1.0], amplitude_values = [1.0] }\n");
  EXPECT_NE(e.find("step_current is not a key of a poisson_generator population"), std::string::npos) << e;
}

// iaf_psc_exp (C_m 250 pF, tau_m 10 ms, E_L -70 mV, threshold out of reach)
// under 300 pA from 10 to 30 ms: V = E_L + R I (1 - exp(-(t - 10) / tau_m)),
// then decays from V(30) with tau_m; the exact propagator gives it to rounding.
TEST(StepCurrent, VoltageFollowsTheClosedFormOnEveryBackend) {
  const Circuit c = parse_circuit_toml(
      with_current("iaf_psc_exp", "step_current = { amplitude_times = [10.0, 30.0], amplitude_values = [300.0, 0.0] }"),
      "s.toml");
  for (const BackendChoice choice : {BackendChoice::cpu, BackendChoice::gpu_emulator}) {
    micro::BackendOptions o;
    o.choice = choice;
    o.threads = 1;
    const auto backend = micro::make_backend(c, o);
    micromeso::testing::SpikeLog log;
    const double R = 10.0 / 250.0, I = 300.0, tau = 10.0;
    double worst = 0.0;
    for (int k = 0; k < 500; ++k) {
      ASSERT_EQ(backend->simulate(1, log, nullptr), 1u);
      const double t = (k + 1) * 0.1;
      double expected = -70.0;
      if (t > 10.0 + 1e-9) expected += R * I * (1.0 - std::exp(-(std::min(t, 30.0) - 10.0) / tau));
      if (t > 30.0 + 1e-9) expected = -70.0 + (expected + 70.0) * std::exp(-(t - 30.0) / tau);
      worst = std::max(worst, std::abs(backend->membrane_potential_mV(1) - expected));
    }
    EXPECT_LT(worst, 1e-9) << "largest |V - closed form| (mV)";
    EXPECT_TRUE(log.spikes.empty());
  }
}
