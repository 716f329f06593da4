// The potjans2014_thalamic built-in: NEST's microcircuit example's thalamic
// pulse as a poisson_generator population (902 neurons at full scale, 120 Hz
// from 700 to 710 ms) projecting onto L4 and L6 only, with the synapse counts
// of Potjans & Diesmann's Eq. 1; and its pulse drives L4E through the engine.
#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "micro/backend_factory.hpp"
#include "micromeso/circuit_io.hpp"
#include "spike_log.hpp"

using namespace micromeso;

TEST(PotjansThalamic, IsTheNestExamplesPulse) {
  const Circuit c = builtin_circuit("potjans2014_thalamic", BuiltinOptions{1.0, 1.0});
  const Circuit plain = builtin_circuit("potjans2014", BuiltinOptions{1.0, 1.0});
  ASSERT_EQ(c.populations.size(), plain.populations.size() + 1);
  const Population& th = c.populations.back();
  EXPECT_EQ(th.name, "TH");
  EXPECT_EQ(th.size, 902u);
  EXPECT_EQ(th.neuron.model, NeuronModel::poisson_generator);
  EXPECT_EQ(th.neuron.rate_Hz, 120.0);
  EXPECT_EQ(th.neuron.start_ms, 700.0);
  EXPECT_EQ(th.neuron.stop_ms, 710.0);
  std::vector<std::string> targets;
  for (std::size_t k = plain.projections.size(); k < c.projections.size(); ++k) {
    const Projection& p = c.projections[k];
    EXPECT_EQ(p.source, "TH");
    targets.push_back(p.target);
    // Eq. 1 with p = 0.0983 onto L4E (21,915 neurons): -ln(1 - p) N_pre N_post to first order in 1 / (N_pre N_post).
    if (p.target == "L4E") {
      EXPECT_NEAR(static_cast<double>(p.n_synapses), -std::log(1.0 - 0.0983) * 902.0 * 21915.0, 1.0);
    }
    EXPECT_NEAR(p.weight_pA, 87.81, 0.01);
  }
  EXPECT_EQ(targets, (std::vector<std::string>{"L4E", "L4I", "L6E", "L6I"}));
}

// The pulse moved to 60-70 ms in a 5 % network: L4E fires more in the 10 ms
// after its onset (delays 1.5 ms) than in the 10 ms before, by more than
// 5 standard errors of a Poisson count of the before-window.
TEST(PotjansThalamic, PulseDrivesLayer4) {
  Circuit c = builtin_circuit("potjans2014_thalamic", BuiltinOptions{0.05, 1.0});
  c.populations.back().neuron.start_ms = 60.0;
  c.populations.back().neuron.stop_ms = 70.0;
  c.simulation.t_presim_ms = 0.0;
  c.simulation.t_sim_ms = 80.0;
  validate_circuit(c);
  micro::BackendOptions o;
  o.choice = BackendChoice::cpu;
  o.threads = 2;
  const auto backend = micro::make_backend(c, o);
  micromeso::testing::SpikeLog log;
  ASSERT_EQ(backend->simulate(800, log, nullptr), 800u);
  const std::uint64_t l4e_first = c.populations[0].size + c.populations[1].size;
  const std::uint64_t l4e_end = l4e_first + c.populations[2].size;
  std::uint64_t th_first = 0;
  for (std::size_t p = 0; p + 1 < c.populations.size(); ++p) th_first += c.populations[p].size;
  double l4e[2] = {0, 0}, th[2] = {0, 0};  // spikes in steps [500, 600) and [600, 700)
  for (const auto& [step, gid] : log.spikes) {
    if (step < 500 || step >= 700) continue;
    const int window = step < 600 ? 0 : 1;
    if (gid >= l4e_first && gid < l4e_end) ++l4e[window];
    if (gid >= th_first) ++th[window];
  }
  const double before = l4e[0], during = l4e[1], th_before = th[0], th_during = th[1];
  std::printf("[ measured ] L4E spikes 50-60 ms: %g, 60-70 ms: %g; TH spikes %g, %g\n", before, during, th_before,
              th_during);
  EXPECT_EQ(th_before, 0.0);
  EXPECT_NEAR(th_during, 45.0 * 120.0 * 0.01, 5.0 * std::sqrt(45.0 * 120.0 * 0.01));  // 45 neurons, 10 ms
  EXPECT_GT(during - before, 5.0 * std::sqrt(std::max(before, 1.0)));
}
