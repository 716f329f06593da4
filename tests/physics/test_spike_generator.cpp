// physics::spike_generator_fires: a generator neuron fires in exactly the
// steps of its train (shared or its own), and a spike stamped t is emitted in
// the step that ends at t.
#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

#include "micromeso/physics/spike_generator.hpp"
#include "model/engine_constants.hpp"

using namespace micromeso;
using micromeso::physics::SpikeGeneratorConstants;
using micromeso::physics::spike_generator_fires;

namespace {

// The steps in [0, steps) in which neuron gid fires.
std::vector<std::uint64_t> firing_steps(const SpikeGeneratorConstants& c, std::uint32_t gid, std::uint64_t steps) {
  std::vector<std::uint64_t> out;
  for (std::uint64_t k = 0; k < steps; ++k)
    if (spike_generator_fires(c, gid, k)) out.push_back(k);
  return out;
}

}  // namespace

TEST(SpikeGenerator, SharedTrainFiresEveryNeuronInItsSteps) {
  const std::vector<std::uint64_t> steps = {0, 3, 4, 17, 99};
  SpikeGeneratorConstants c;
  c.spike_steps = steps.data();
  c.shared_spikes = steps.size();
  c.first_gid = 1000;
  for (std::uint32_t gid : {1000u, 1001u, 1500u}) EXPECT_EQ(firing_steps(c, gid, 200), steps) << gid;
}

TEST(SpikeGenerator, EachNeuronFiresInItsOwnTrain) {
  // neuron 0: 2, 5; neuron 1: none; neuron 2: 0, 1, 2, 50
  const std::vector<std::uint64_t> steps = {2, 5, 0, 1, 2, 50};
  const std::vector<std::uint64_t> begin = {0, 2, 2, 6};
  SpikeGeneratorConstants c;
  c.spike_steps = steps.data();
  c.train_begin = begin.data();
  c.first_gid = 7;
  EXPECT_EQ(firing_steps(c, 7, 100), (std::vector<std::uint64_t>{2, 5}));
  EXPECT_TRUE(firing_steps(c, 8, 100).empty());
  EXPECT_EQ(firing_steps(c, 9, 100), (std::vector<std::uint64_t>{0, 1, 2, 50}));
}

// Through the engine constants of a circuit population: times in ms become
// the steps that end at them, trains laid out as the generator reads them.
TEST(SpikeGenerator, TimesBecomeTheStepsThatEndAtThem) {
  Population p;
  p.name = "G";
  p.size = 2;
  p.neuron.model = NeuronModel::spike_generator;
  p.neuron.spike_times_ms = {{0.1, 0.3, 12.5}, {1.0}};
  const NeuronConstants k = neuron_constants(p, 0.1);
  EXPECT_EQ(k.model.kind, physics::kSpikeGenerator);
  EXPECT_EQ(k.spike_steps, (std::vector<std::uint64_t>{0, 2, 124, 9}));
  EXPECT_EQ(k.train_begin, (std::vector<std::uint64_t>{0, 3, 4}));
  const physics::ModelConstants c = k.with_arrays();
  EXPECT_EQ(firing_steps(c.generator, 0, 200), (std::vector<std::uint64_t>{0, 2, 124}));
  EXPECT_EQ(firing_steps(c.generator, 1, 200), (std::vector<std::uint64_t>{9}));

  p.neuron.spike_times_ms = {{0.7, 0.9}};
  const NeuronConstants shared = neuron_constants(p, 0.1);
  EXPECT_TRUE(shared.train_begin.empty());
  EXPECT_EQ(shared.model.generator.shared_spikes, 2u);
  EXPECT_EQ(firing_steps(shared.with_arrays().generator, 1, 200), (std::vector<std::uint64_t>{6, 8}));
  EXPECT_EQ(spike_step_of_time(0.3, 0.1), 2u);  // 0.3 / 0.1 = 2.9999999999999996
}
