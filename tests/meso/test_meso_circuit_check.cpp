// Circuits the mesoscopic engine refuses, each with a CircuitError that names
// the population or projection and says why.
#include <gtest/gtest.h>

#include <functional>
#include <limits>
#include <stdexcept>
#include <string>

#include "meso_fixtures.hpp"
#include "micromeso/meso.hpp"

using namespace micromeso;

namespace {

Circuit two_populations() {
  Circuit c;
  c.name = "check";
  c.simulation.dt_ms = 0.1;
  c.populations = {micromeso::testing::gif_population("E", 80, 300.0),
                   micromeso::testing::gif_population("I", 20, 300.0)};
  Projection pr;
  pr.source = "E";
  pr.target = "I";
  pr.rule = ConnectionRule::fixed_indegree;
  pr.indegree = 10;
  pr.weight_pA = 20.0;
  c.projections = {pr};
  return c;
}

// The message of the CircuitError check_meso_circuit throws ("" if none).
std::string refusal(const std::function<void(Circuit&)>& change) {
  Circuit c = two_populations();
  change(c);
  try {
    meso::check_meso_circuit(c);
  } catch (const CircuitError& e) {
    EXPECT_THROW(meso::MesoSimulator(c, meso::MesoOptions{}), CircuitError);
    return e.what();
  }
  return "";
}

}  // namespace

TEST(MesoCircuitCheck, AValidCircuitPasses) {
  EXPECT_EQ(refusal([](Circuit&) {}), "");
  EXPECT_NO_THROW(meso::MesoSimulator(two_populations(), meso::MesoOptions{}));
}

TEST(MesoCircuitCheck, ConductanceNeuronsAreRefusedByName) {
  EXPECT_EQ(refusal([](Circuit& c) {
              c.populations[1].neuron.model = NeuronModel::iaf_cond_exp;
              c.populations[1].name = "L23I";
            })
                .rfind("population[1] 'L23I': model iaf_cond_exp has a hard threshold and conductance synapses",
                       0),
            0u);
}

TEST(MesoCircuitCheck, HardThresholdNeuronsUnderInputNoisePass) {
  // I receives 10 of E's 80 neurons: private shot noise, so a hazard
  // (src/meso/lif_population.hpp); without the projection it has none.
  const auto hard_threshold = [](Circuit& c) {
    c.populations[1].neuron.model = NeuronModel::iaf_psc_exp;
    c.populations[1].neuron.V_th_mV = 15.0;  // the GIF fixture's potentials are relative to rest
  };
  EXPECT_EQ(refusal(hard_threshold), "");
  EXPECT_NE(refusal([&](Circuit& c) {
              hard_threshold(c);
              c.projections.clear();
            })
                .find("population[1] 'I': model iaf_psc_exp receives no input noise"),
            std::string::npos);
}

TEST(MesoCircuitCheck, InvalidParametersAreRefusedWithTheReason) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const struct {
    std::function<void(Circuit&)> change;
    std::string expected;
  } cases[] = {
      {[](Circuit& c) { c.populations[0].neuron.Delta_V_mV = 0.0; },
       "population[0] 'E': Delta_V = 0 mV: the escape noise needs Delta_V > 0"},
      {[](Circuit& c) { c.populations[1].neuron.Delta_V_mV = -1.0; }, "population[1] 'I': Delta_V = -1 mV"},
      {[](Circuit& c) { c.populations[0].neuron.lambda_0_per_s = -1.0; }, "population[0] 'E': lambda_0 = -1 1/s"},
      {[&](Circuit& c) { c.populations[0].neuron.tau_m_ms = nan; }, "population[0] 'E': tau_m = nan ms"},
      {[](Circuit& c) { c.populations[0].neuron.tau_syn_in_ms = 0.0; }, "population[0] 'E': tau_syn_in = 0 ms"},
      {[](Circuit& c) { c.populations[0].size = 0; }, "population[0] 'E': size = 0"},
      {[](Circuit& c) {
         c.populations[0].neuron.tau_sfa_ms = {100.0, 10.0};
         c.populations[0].neuron.q_sfa_mV = {1.0};
       },
       "population[0] 'E': 1 values of q_sfa for 2 of tau_sfa"},
      {[](Circuit& c) {
         c.populations[0].neuron.tau_sfa_ms = {0.0};
         c.populations[0].neuron.q_sfa_mV = {1.0};
       },
       "population[0] 'E': tau_sfa = 0 ms"},
      // 10 mV exp(-20 s / 100 s) = 8.2 mV, far above 0.1 Delta_V = 0.2 mV at the 20 s limit
      {[](Circuit& c) {
         c.populations[1].neuron.tau_sfa_ms = {100000.0};
         c.populations[1].neuron.q_sfa_mV = {10.0};
       },
       "population[1] 'I': the adaptation kernel sum_j q_sfa[j] exp(-t / tau_sfa[j]) is still 8.19 mV at t = 20 s, "
       "not below 0.1 Delta_V = 0.2 mV: the quasi-renewal history cannot be sized"},
      {[](Circuit& c) { c.simulation.dt_ms = 0.0; }, "simulation: dt = 0 ms"},
      {[](Circuit& c) { c.projections[0].target = "X"; }, "projection[0] 'E' -> 'X': no population named 'X'"},
      {[](Circuit& c) { c.projections[0].delay_ms = -1.0; }, "projection[0] 'E' -> 'I': delay = -1 ms"},
      {[](Circuit& c) {
         c.projections[0].rule = ConnectionRule::pairwise_bernoulli;
         c.projections[0].probability = 1.5;
       },
       "projection[0] 'E' -> 'I': probability = 1.5"},
  };
  for (const auto& k : cases) {
    const std::string message = refusal(k.change);
    EXPECT_EQ(message.rfind(k.expected, 0), 0u) << "expected \"" << k.expected << "\", got \"" << message << "\"";
  }
}

TEST(MesoCircuitCheck, NoiseModelNames) {
  EXPECT_EQ(meso::parse_noise_model("binomial"), meso::NoiseModel::binomial);
  EXPECT_EQ(meso::parse_noise_model("poisson"), meso::NoiseModel::poisson);
  EXPECT_EQ(meso::parse_noise_model("none"), meso::NoiseModel::none);
  EXPECT_THROW(meso::parse_noise_model("gauss"), std::invalid_argument);
}

TEST(MesoCircuitCheck, BlockKernelChangeMustBeAFiniteNumberAtLeastZero) {
  const Circuit c = micromeso::testing::single_population(100, 300.0, 0.5, 1);
  for (const double bad : {-0.05, std::numeric_limits<double>::quiet_NaN(), std::numeric_limits<double>::infinity()}) {
    meso::MesoOptions o;
    o.block_kernel_change_Delta_V = bad;
    try {
      meso::MesoSimulator sim(c, o);
      FAIL() << bad << " was accepted";
    } catch (const std::invalid_argument& e) {
      EXPECT_NE(std::string(e.what()).find("block_kernel_change_Delta_V is"), std::string::npos) << e.what();
      EXPECT_NE(std::string(e.what()).find("not a finite number >= 0"), std::string::npos) << e.what();
    }
  }
  meso::MesoOptions exact;
  exact.block_kernel_change_Delta_V = 0.0;
  EXPECT_NO_THROW(meso::MesoSimulator(c, exact));
}
