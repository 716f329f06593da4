// The potjans2014_thalamic built-in: NEST's microcircuit example's thalamic
// pulse as a poisson_generator population (902 neurons at full scale, 120 Hz
// from 700 to 710 ms) projecting onto L4 and L6 only, with the synapse counts
// of Potjans & Diesmann's Eq. 1; and its pulse drives L4E through the engine.
#include <gtest/gtest.h>

#include <array>

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

// The pulse moved to 300-310 ms in a 5 % network: L4E fires more in the 10 ms
// from its onset (delays 1.5 ms) than the same network (same seed) without
// the pulse, by more than 5 standard errors of a Poisson count of the latter.
// The two runs are identical until the first thalamic spike arrives, so the
// difference is the pulse's alone. The pulse comes after a 300 ms transient:
// the 5 % network starts in synchronous bursts separated by quiet spells, and
// a pulse in a quiet spell after a burst may not make L4E fire at all (at
// 60-70 ms, seeds 1-6 and 55: one of the seven gave 0 spikes with and without
// the pulse, two gave 7 and 8). At 300-310 ms all seven pass, with the
// difference 3 to 8 times the threshold (measured, micromeso run of the
// built-in circuit, commit 814b8ae).
TEST(PotjansThalamic, PulseDrivesLayer4) {
  const auto l4e_and_th_spikes = [](bool pulse) {
    Circuit c = builtin_circuit("potjans2014_thalamic", BuiltinOptions{0.05, 1.0});
    c.populations.back().neuron.start_ms = pulse ? 300.0 : 1000.0;  // after the run's end: no pulse
    c.populations.back().neuron.stop_ms = pulse ? 310.0 : 1010.0;
    c.simulation.t_presim_ms = 0.0;
    c.simulation.t_sim_ms = 320.0;
    validate_circuit(c);
    micro::BackendOptions o;
    o.choice = BackendChoice::cpu;
    o.threads = 2;
    const auto backend = micro::make_backend(c, o);
    micromeso::testing::SpikeLog log;
    EXPECT_EQ(backend->simulate(3200, log, nullptr), 3200u);
    const std::uint64_t l4e_first = c.populations[0].size + c.populations[1].size;
    const std::uint64_t l4e_end = l4e_first + c.populations[2].size;
    std::uint64_t th_first = 0;
    for (std::size_t p = 0; p + 1 < c.populations.size(); ++p) th_first += c.populations[p].size;
    std::array<double, 2> counts{0, 0};  // L4E, TH in steps [3000, 3100)
    for (const auto& [step, gid] : log.spikes) {
      if (step < 3000 || step >= 3100) continue;
      if (gid >= l4e_first && gid < l4e_end) ++counts[0];
      if (gid >= th_first) ++counts[1];
    }
    return counts;
  };
  const std::array<double, 2> with = l4e_and_th_spikes(true), without = l4e_and_th_spikes(false);
  std::printf("[ measured ] 300-310 ms: L4E spikes %g with the pulse, %g without; TH spikes %g, %g\n", with[0],
              without[0], with[1], without[1]);
  EXPECT_EQ(without[1], 0.0);
  EXPECT_NEAR(with[1], 45.0 * 120.0 * 0.01, 5.0 * std::sqrt(45.0 * 120.0 * 0.01));  // 45 neurons, 10 ms
  EXPECT_GT(with[0] - without[0], 5.0 * std::sqrt(std::max(without[0], 1.0)));
}
