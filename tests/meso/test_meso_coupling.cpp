// The micro-to-meso mapping (hand-computed) and its timing convention.
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

// Timing shared with the micro engine (gif_psc_exp, NEST's order): a spike in
// step k reaches the target in step k + d and acts on its membrane in that
// very step. The source population (all neurons fired just before t = 0)
// first fires in step R = t_ref / dt; the target's expected count departs
// from that of the same circuit without the projection exactly in step R + d.
TEST(MesoCoupling, InputArrivesAfterTheDelayAndActsInThatStep) {
  Circuit c;
  c.name = "delay";
  c.simulation.dt_ms = 0.5;
  c.populations = {micromeso::testing::gif_population("S", 100, 500.0),
                   micromeso::testing::gif_population("T", 100, 350.0)};
  for (const Receptor receptor : {Receptor::excitatory, Receptor::inhibitory}) {
    Projection st;
    st.source = "S";
    st.target = "T";
    st.rule = ConnectionRule::fixed_indegree;
    st.indegree = 20;
    st.weight_pA = receptor == Receptor::excitatory ? 30.0 : -30.0;
    st.receptor = receptor;
    st.delay_ms = 2.0;  // d = 4 steps
    c.projections = {st};
    Circuit uncoupled = c;
    uncoupled.projections.clear();
    meso::MesoOptions o;
    o.noise = meso::NoiseModel::none;
    meso::MesoSimulator coupled_sim(c, o), uncoupled_sim(uncoupled, o);
    long first_source_spikes = -1, first_effect = -1;
    for (long k = 0; k < 40; ++k) {
      coupled_sim.step();
      uncoupled_sim.step();
      const double t = coupled_sim.spike_counts()[1], t0 = uncoupled_sim.spike_counts()[1];
      if (first_source_spikes < 0 && coupled_sim.spike_counts()[0] > 0.0) first_source_spikes = k;
      if (first_effect < 0 && std::abs(t - t0) > 1e-9 * t0) {
        first_effect = k;
        EXPECT_EQ(t > t0, receptor == Receptor::excitatory);
      }
    }
    EXPECT_EQ(first_source_spikes, 8);  // t_ref 4 ms / 0.5 ms
    EXPECT_EQ(first_effect, 8 + 4);
  }
}

// one_to_one and fixed_outdegree enter as their mean in-degree C (1 and
// K N_source / N_target): the weight per source spike is C w / N_source.
TEST(MesoCoupling, OneToOneAndFixedOutdegreeAsMeanIndegree) {
  Circuit c;
  c.name = "degree_rules";
  auto a = micromeso::testing::gif_population("A", 400, 0.0), b = micromeso::testing::gif_population("B", 400, 0.0),
       d = micromeso::testing::gif_population("D", 100, 0.0);
  c.populations = {a, b, d};
  Projection o2o;
  o2o.source = "A";
  o2o.target = "B";
  o2o.rule = ConnectionRule::one_to_one;
  o2o.weight_pA = 40.0;
  Projection out;
  out.source = "A";
  out.target = "D";
  out.rule = ConnectionRule::fixed_outdegree;
  out.outdegree = 30;
  out.allow_multapses = false;
  out.weight_pA = 10.0;
  c.projections = {o2o, out};
  EXPECT_DOUBLE_EQ(meso::mean_synapses_per_target(c, o2o), 1.0);
  EXPECT_DOUBLE_EQ(meso::mean_synapses_per_target(c, out), 30.0 * 400.0 / 100.0);
  const auto k = meso::make_coupling(c);
  ASSERT_EQ(k[1].inputs.size(), 1u);
  EXPECT_DOUBLE_EQ(k[1].inputs[0].weight_per_spike_pA, 40.0 / 400.0);
  ASSERT_EQ(k[2].inputs.size(), 1u);
  EXPECT_DOUBLE_EQ(k[2].inputs[0].weight_per_spike_pA, 120.0 / 400.0 * 10.0);
}

// A delay filter's window (coupling.hpp, set_delay_window) is its taps laid
// out oldest first: its dot product with the past counts, oldest first, is
// the sum over taps of probability times the count that many steps ago, and a
// gap in the delays is a zero.
TEST(MesoCoupling, DelayWindowIsTheTapsOldestFirst) {
  meso::DelayFilter filter{0, {{4, 0.3}, {7, 0.1}, {3, 0.2}, {5, 0.4}}, 0, {}};
  meso::set_delay_window(filter);
  EXPECT_EQ(filter.longest, 7u);
  EXPECT_EQ(filter.window, (std::vector<double>{0.1, 0.0, 0.4, 0.3, 0.2}));
  const std::vector<double> counts{2.0, 3.0, 5.0, 7.0, 11.0, 13.0, 17.0, 19.0, 23.0};  // steps 0 ... 8
  const std::size_t now = 9;
  double by_taps = 0.0, by_window = 0.0;
  for (const auto& [delay, probability] : filter.taps) by_taps += probability * counts[now - delay];
  for (std::size_t j = 0; j < filter.window.size(); ++j) by_window += filter.window[j] * counts[now - filter.longest + j];
  EXPECT_DOUBLE_EQ(by_window, by_taps);
}
