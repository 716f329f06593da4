// The micro-to-meso mapping and the circuits the meso engine refuses.
#include <gtest/gtest.h>

#include "meso/coupling.hpp"
#include "meso_fixtures.hpp"
#include "micromeso/meso.hpp"

using namespace micromeso;

TEST(MesoCoupling, MeanFieldWeightsDelaysAndExternalInput) {
  Circuit c;
  c.name = "two";
  c.simulation.dt_ms = 0.5;
  auto e = micromeso::testing::gif_population("E", 800, 300.0), i = micromeso::testing::gif_population("I", 200, 0.0);
  e.dc_pA = 20.0;
  i.poisson = PoissonInput{100, 5.0, 10.0};
  c.populations = {e, i};
  Projection ei;  // E -> I, fixed in-degree 160, 25 pA
  ei.source = "E";
  ei.target = "I";
  ei.rule = ConnectionRule::fixed_indegree;
  ei.indegree = 160;
  ei.weight_pA = 25.0;
  ei.delay_ms = 1.2;  // rounds to 2 steps of 0.5 ms
  Projection ie;      // I -> E, p = 0.2, -62.5 pA
  ie.source = "I";
  ie.target = "E";
  ie.rule = ConnectionRule::pairwise_bernoulli;
  ie.probability = 0.2;
  ie.weight_pA = -62.5;
  ie.receptor = Receptor::inhibitory;
  ie.delay_ms = 1.0;
  Projection ee;  // E -> E, 64,000 synapses in all
  ee.source = ee.target = "E";
  ee.rule = ConnectionRule::fixed_total_number;
  ee.n_synapses = 64000;
  ee.weight_pA = 10.0;
  c.projections = {ei, ie, ee};
  const auto k = meso::make_coupling(c);
  ASSERT_EQ(k[1].inputs.size(), 1u);
  EXPECT_DOUBLE_EQ(k[1].inputs[0].weight_per_spike_pA, 160.0 / 800.0 * 25.0);  // 5 pA per E spike
  EXPECT_EQ(k[1].inputs[0].delay_steps, 2u);
  EXPECT_TRUE(k[1].inputs[0].excitatory);
  ASSERT_EQ(k[0].inputs.size(), 2u);
  EXPECT_DOUBLE_EQ(k[0].inputs[0].weight_per_spike_pA, 0.2 * 200.0 / 200.0 * -62.5);  // -12.5 pA per I spike
  EXPECT_FALSE(k[0].inputs[0].excitatory);
  EXPECT_DOUBLE_EQ(k[0].inputs[1].weight_per_spike_pA, 64000.0 / 800.0 / 800.0 * 10.0);  // 80 synapses per target
  EXPECT_DOUBLE_EQ(k[0].constant_current_pA, 320.0);                               // I_e + dc
  EXPECT_DOUBLE_EQ(k[1].external_ex_pA_per_step, 100 * 5.0 * 1e-3 * 0.5 * 10.0);   // K nu dt w
}

TEST(MesoCoupling, HardThresholdNeuronsAreRefusedByName) {
  Circuit c = micromeso::testing::single_population(10, 300.0, 0.1, 1);
  c.populations[0].neuron.model = NeuronModel::iaf_psc_exp;
  c.populations[0].name = "L23E";
  try {
    meso::check_meso_circuit(c);
    FAIL();
  } catch (const CircuitError& e) {
    const std::string m = e.what();
    EXPECT_NE(m.find("population[0] 'L23E'"), std::string::npos) << m;
    EXPECT_NE(m.find("iaf_psc_exp has a hard threshold"), std::string::npos) << m;
  }
  EXPECT_THROW(meso::MesoSimulator(c, meso::MesoOptions{}), CircuitError);
  EXPECT_THROW(meso::parse_noise_model("gauss"), std::invalid_argument);
}
