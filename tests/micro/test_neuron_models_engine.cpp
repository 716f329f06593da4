// Every neuron model in one recurrent circuit, through the engines: the CPU
// engine and the GPU engine's kernels (on the emulator, in a shuffled block
// order and an odd grid) give the same spikes bit for bit, every population
// fires, and the mesoscopic engine refuses each model it cannot take, naming
// the population and why.
#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "micro/backend_factory.hpp"
#include "micro/engine.hpp"
#include "micro/gpu/gpu_backend.hpp"
#include "micro/population_setup.hpp"
#include "micromeso/circuit_io.hpp"
#include "micromeso/meso.hpp"

#include "circuit_fixtures.hpp"
#include "spike_log.hpp"

using namespace micromeso;
using micromeso::testing::SpikeLog;

namespace {


SpikeLog run(const Circuit& c, micro::Backend& backend, std::uint64_t steps) {
  SpikeLog log;
  EXPECT_EQ(backend.simulate(steps, log, nullptr), steps);
  (void)c;
  return log;
}

}  // namespace

TEST(NeuronModelsEngine, CpuAndGpuKernelsGiveTheSameSpikesForEveryModel) {
  const Circuit c = micromeso::testing::every_model_circuit();
  micro::BackendOptions cpu_options;
  cpu_options.choice = BackendChoice::cpu;
  cpu_options.threads = 2;
  const auto cpu = micro::make_backend(c, cpu_options);
  kernels::EmulatorOptions e;
  e.order = kernels::BlockOrder::shuffled;
  e.multiprocessors = 3;
  kernels::GridShape odd;
  odd.update_block = 13;
  odd.deliver_block = 40;
  odd.build_block = 50;
  micro::GpuBackend emulated(c, micro::DeviceTarget::emulated(e, odd));
  const std::uint64_t steps = 2000;  // 200 ms
  const SpikeLog a = run(c, *cpu, steps), b = run(c, emulated, steps);
  EXPECT_EQ(a.spikes, b.spikes);
  // The multimeters' values, every step, bit for bit (RecordState and CpuBackend::read_probes).
  ASSERT_EQ(a.states.size(), steps);
  EXPECT_EQ(a.states.front().second.size(), 3u * 4u + 3u + 2u * 2u + 1u);
  EXPECT_EQ(a.states, b.states);
  std::map<std::string, std::size_t> per_population;
  const std::vector<std::uint64_t> first = {0, 60, 120, 180, 220, 280, 300, 310};
  for (const auto& [step, gid] : a.spikes)
    for (std::size_t p = 0; p + 1 < first.size(); ++p)
      if (gid >= first[p] && gid < first[p + 1]) ++per_population[c.populations[p].name];
  for (const Population& p : c.populations) {
    std::printf("%s: %zu spikes in 200 ms\n", p.name.c_str(), per_population[p.name]);
    EXPECT_GT(per_population[p.name], 30u) << p.name;  // each population fires (rates of several Hz)
  }
  EXPECT_EQ(per_population["stim"], 20u * 12u);  // every generator neuron, its 12 times
  for (std::uint64_t gid = 0; gid < c.total_neurons(); gid += 17)
    EXPECT_EQ(cpu->membrane_potential_mV(gid), emulated.membrane_potential_mV(gid)) << gid;
}

TEST(NeuronModelsEngine, MesoRefusesModelsItCannotTakeNamingThePopulation) {
  for (const char* model : {"iaf_cond_exp", "hh_psc_alpha", "pp_psc_delta"}) {
    const Circuit c = parse_circuit_toml(
        std::string("name = \"m\"\n[[population]]\nname = \"Pop\"\nsize = 10\nmodel = \"") + model + "\"\n", "m.toml");
    try {
      meso::check_meso_circuit(c);
      FAIL() << model << " was accepted";
    } catch (const CircuitError& e) {
      const std::string m = e.what();
      EXPECT_NE(m.find("population[0] 'Pop': model " + std::string(model)), std::string::npos) << m;
      EXPECT_NE(m.find("needs gif_psc_exp"), std::string::npos) << m;
    }
  }
}
