// The stimulus populations' physics (physics/spike_generator.hpp): a
// spike_generator neuron fires in exactly the steps of its train (shared or
// its own), a spike stamped t in the step that ends at t; a Poisson
// generator's counts have the binomial mean and variance of its rate in every
// window of its schedule, and none outside.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <vector>

#include "micromeso/physics/spike_generator.hpp"
#include "model/engine_constants.hpp"

using namespace micromeso;
using micromeso::physics::spike_generator_fires;

namespace {

// The steps in [0, steps) in which neuron gid fires.
std::vector<std::uint64_t> firing_steps(const physics::ModelConstants& c, std::uint32_t gid, std::uint64_t steps) {
  std::vector<std::uint64_t> out;
  for (std::uint64_t k = 0; k < steps; ++k)
    if (spike_generator_fires(c.generator, gid, k)) out.push_back(k);
  return out;
}

Population generator(std::uint64_t size, std::vector<std::vector<double>> trains) {
  Population p;
  p.name = "G";
  p.size = size;
  p.neuron.model = NeuronModel::spike_generator;
  p.neuron.spike_times_ms = std::move(trains);
  return p;
}

}  // namespace

TEST(SpikeGenerator, SharedTrainFiresEveryNeuronInTheStepsEndingAtItsTimes) {
  NeuronConstants k = neuron_constants(generator(3, {{0.1, 0.4, 0.5, 1.8, 10.0}}), 0.1);
  k.model.generator.first_gid = 1000;
  EXPECT_EQ(k.model.kind, physics::kSpikeGenerator);
  EXPECT_FALSE(k.model.generator.per_neuron);
  const physics::ModelConstants c = k.with_arrays();
  for (std::uint32_t gid : {1000u, 1001u, 1002u})
    EXPECT_EQ(firing_steps(c, gid, 200), (std::vector<std::uint64_t>{0, 3, 4, 17, 99})) << gid;
  EXPECT_EQ(spike_step_of_time(0.3, 0.1), 2u);  // 0.3 / 0.1 = 2.9999999999999996
}

TEST(SpikeGenerator, EachNeuronFiresInItsOwnTrain) {
  NeuronConstants k = neuron_constants(generator(3, {{0.3, 0.6}, {}, {0.1, 0.2, 0.3, 5.1}}), 0.1);
  k.model.generator.first_gid = 7;
  EXPECT_TRUE(k.model.generator.per_neuron);
  EXPECT_EQ(k.stimulus_table, (std::vector<std::uint64_t>{2, 5, 0, 1, 2, 50, 0, 2, 2, 6}));
  const physics::ModelConstants c = k.with_arrays();
  EXPECT_EQ(firing_steps(c, 7, 100), (std::vector<std::uint64_t>{2, 5}));
  EXPECT_TRUE(firing_steps(c, 8, 100).empty());
  EXPECT_EQ(firing_steps(c, 9, 100), (std::vector<std::uint64_t>{0, 1, 2, 50}));
}

namespace {

// Spikes of n neurons of a Poisson generator per window [from, to) of steps.
std::vector<double> window_counts(const Population& p, std::uint32_t n, const std::vector<std::uint64_t>& edges) {
  const NeuronConstants k = neuron_constants(p, 0.1);
  const physics::ModelConstants c = k.with_arrays();
  std::vector<double> counts(edges.size() - 1, 0.0);
  physics::MembraneState unused{};  // a generator has no membrane
  for (std::size_t w = 0; w + 1 < edges.size(); ++w)
    for (std::uint32_t gid = 0; gid < n; ++gid)
      for (std::uint64_t step = edges[w]; step < edges[w + 1]; ++step)
        counts[w] += physics::step_neuron<physics::kPoissonGenerator>(c, unused, nullptr, 0, 0.0, 0.0, 12345, gid,
                                                                      step, 0.1);
  return counts;
}

}  // namespace

// Counts over N neurons and S steps at probability p = rate dt per step are
// binomial(N S, p): within 4 standard errors sqrt(N S p (1 - p)) of N S p.
TEST(PoissonGenerator, CountsHaveTheRatesMeanInEachWindowAndNoneOutside) {
  Population p;
  p.name = "T";
  p.size = 200;
  p.neuron.model = NeuronModel::inhomogeneous_poisson_generator;
  p.neuron.rate_times_ms = {10.0, 110.0, 160.0};
  p.neuron.rate_values_Hz = {40.0, 0.0, 250.0};
  // steps: [0, 100) silent, [100, 1100) 40 Hz, [1100, 1600) 0 Hz, [1600, 2600) 250 Hz
  const auto counts = window_counts(p, 200, {0, 100, 1100, 1600, 2600});
  EXPECT_EQ(counts[0], 0.0);
  EXPECT_EQ(counts[2], 0.0);
  for (const auto& [count, rate] : {std::pair{counts[1], 40.0}, std::pair{counts[3], 250.0}}) {
    const double trials = 200.0 * 1000.0, prob = rate * 0.1e-3;
    const double mean = trials * prob, se = std::sqrt(trials * prob * (1.0 - prob));
    std::printf("[ measured ] %g Hz: %g spikes, expected %g +- %.1f\n", rate, count, mean, se);
    EXPECT_NEAR(count, mean, 4.0 * se) << rate << " Hz";
  }

  // poisson_generator: spikes stamped in (start, stop] only.
  Population q;
  q.name = "P";
  q.size = 200;
  q.neuron.model = NeuronModel::poisson_generator;
  q.neuron.rate_Hz = 500.0;
  q.neuron.start_ms = 2.0;
  q.neuron.stop_ms = 12.0;
  const auto window = window_counts(q, 200, {0, 20, 120, 300});
  EXPECT_EQ(window[0], 0.0);
  EXPECT_EQ(window[2], 0.0);
  const double trials = 200.0 * 100.0, prob = 500.0 * 0.1e-3;
  EXPECT_NEAR(window[1], trials * prob, 4.0 * std::sqrt(trials * prob * (1.0 - prob)));
}
