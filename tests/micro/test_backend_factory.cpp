// make_backend: one factory for every backend; callers see only Backend.
#include <gtest/gtest.h>

#include <omp.h>

#include <algorithm>
#include <stdexcept>
#include <string>

#include <fmt/format.h>

#include "circuit_fixtures.hpp"
#include "micro/backend_factory.hpp"
#include "micro/engine.hpp"
#include "micromeso/devices.hpp"

using namespace micromeso;

TEST(BackendFactory, MakesEachBackendBehindOneInterface) {
  const Circuit c = micromeso::testing::small_mixed_circuit(1);
  micro::BackendOptions o;
  o.threads = 1;
  o.choice = BackendChoice::cpu;
  const auto cpu = micro::make_backend(c, o);
  EXPECT_STREQ(cpu->name(), "cpu");
  EXPECT_TRUE(cpu->device_name().empty());
  o.choice = BackendChoice::gpu_emulator;
  const auto emulated = micro::make_backend(c, o);
  EXPECT_STREQ(emulated->name(), "gpu-emulator");
  EXPECT_FALSE(emulated->device_name().empty());
  // The same network: same synapse count, and the GPU's 8-byte records.
  EXPECT_EQ(emulated->n_synapses(), cpu->n_synapses());
  EXPECT_EQ(emulated->connectivity_bytes(), 8 * emulated->n_synapses() + 8 * (c.total_neurons() + 1));
  EXPECT_EQ(emulated->membrane_potential_mV(17), cpu->membrane_potential_mV(17));
  EXPECT_GT(emulated->memory_estimate().total_bytes(), 0u);
}

TEST(BackendFactory, AutoSaysWhyItTakesTheCpu) {
  const DeviceReport report = list_devices();
  if (!report.devices.empty()) GTEST_SKIP() << "a CUDA device is present";
  micro::BackendOptions o;
  o.threads = 1;
  std::string logged;
  o.log = [&](const std::string& line) { logged += line + "\n"; };
  const auto backend = micro::make_backend(micromeso::testing::small_mixed_circuit(1), o);
  EXPECT_STREQ(backend->name(), "cpu");
  EXPECT_NE(logged.find("backend auto: CPU (" + no_device_message(report)), std::string::npos) << logged;
}

TEST(BackendFactory, ParsesEveryBackendName) {
  EXPECT_EQ(parse_backend("cpu"), BackendChoice::cpu);
  EXPECT_EQ(parse_backend("gpu"), BackendChoice::gpu);
  EXPECT_EQ(parse_backend("gpu-emulator"), BackendChoice::gpu_emulator);
  EXPECT_EQ(parse_backend("auto"), BackendChoice::automatic);
  EXPECT_THROW(parse_backend("GPU"), std::invalid_argument);
}

// --threads 100000 overflowed libgomp's stacks and 20000 hung: counts past 4 x
// the cores are refused naming the option; and a thread never gets no neuron.
TEST(BackendFactory, ThreadCountIsBoundedByTheCoresAndTheNeurons) {
  Circuit c = micromeso::testing::small_mixed_circuit(1);
  micro::BackendOptions o;
  o.choice = BackendChoice::cpu;
  const int cores = std::max(1, omp_get_num_procs());
  o.threads = 4 * cores + 1;
  try {
    micro::make_backend(c, o);
    FAIL() << "accepted " << o.threads << " threads on " << cores << " cores";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find(fmt::format("--threads {}: expected at most {}", o.threads, 4 * cores)),
              std::string::npos)
        << e.what();
  }
  c.populations.resize(1);
  c.populations[0].size = 1;
  c.projections.clear();
  o.threads = 4 * cores;
  EXPECT_EQ(micro::make_backend(c, o)->threads(), 1);
}
