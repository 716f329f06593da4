// GPU backend. The memory estimate, the synapse layout and the refusals run
// everywhere. The engine tests (GpuBackend.*) run on every target: the host
// grid emulator in several block orders and grid shapes (the GPU engine's own
// kernel bodies and driver, on the CPU; always), and a CUDA device (skipped,
// with the reason, where there is none).
#include <gtest/gtest.h>

#include "tests/temp_dir.hpp"

#include <algorithm>
#include <map>
#include <atomic>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <ostream>
#include <string>
#include <tuple>
#include <vector>

#include "circuit_fixtures.hpp"
#include "spike_log.hpp"
#include "kernels/synapse_layout.hpp"
#include "micro/backend_factory.hpp"
#include "micro/cpu/cpu_backend.hpp"
#include "micro/gpu/gpu_backend.hpp"
#include "micro/network.hpp"
#include "micro/population_setup.hpp"
#include "micromeso/circuit_io.hpp"
#include "micromeso/devices.hpp"
#include "micromeso/run.hpp"

using namespace micromeso;
using micromeso::testing::SpikeLog;

namespace {

// Empty when a device is there, else why not (list_devices' reason).
std::string no_gpu_reason() {
  const DeviceReport report = list_devices();
  return report.devices.empty() ? no_device_message(report) : std::string();
}

// One thread: the CPU engine's spikes do not depend on it (CpuEngine tests),
// and ctest runs tests side by side on few cores.
SpikeLog run_cpu(const Circuit& c, std::uint64_t steps) {
  micro::CpuBackend backend(c, micro::build_network(c, 1), 1);
  SpikeLog log;
  EXPECT_EQ(backend.simulate(steps, log, nullptr), steps);
  return log;
}

Circuit reduced_potjans() {
  Circuit c = builtin_circuit("potjans2014", BuiltinOptions{0.02, 1.0});
  c.simulation.t_presim_ms = 0.0;
  c.simulation.t_sim_ms = 200.0;
  return c;
}

std::uint64_t steps_of(const Circuit& c) {
  return micro::steps_of(c.simulation.t_presim_ms + c.simulation.t_sim_ms, c.simulation.dt_ms);
}

// Each source's synapses as a sorted list (order within a segment is free).
std::vector<std::tuple<std::uint32_t, std::int32_t, std::uint16_t>> segment(const micro::Network& net,
                                                                            std::uint64_t source) {
  std::vector<std::tuple<std::uint32_t, std::int32_t, std::uint16_t>> out;
  for (std::uint64_t j = net.synapse_offset[source]; j < net.synapse_offset[source + 1]; ++j)
    out.emplace_back(net.synapse_target[j], net.synapse_weight[j], net.synapse_delay_steps[j]);
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace

// Issue 4: at most 8 bytes of device memory per synapse, counted as the run
// summary counts bytes_per_synapse (connectivity / synapses).
TEST(GpuMemoryEstimate, FullScalePotjansTakesEightBytesPerSynapse) {
  const Circuit c = builtin_circuit("potjans2014");
  const micro::MemoryEstimate e = micro::estimate_gpu_memory(c);
  const double synapses = static_cast<double>(e.expected_synapses);
  ASSERT_GT(synapses, 2.9e8);
  std::printf("full-scale potjans2014 on the GPU: %.0f synapses, %.3f B/synapse connectivity, %.3f B/synapse "
              "in all (%.2f GiB)\n",
              synapses, e.connectivity_bytes / synapses, e.total_bytes() / synapses, e.total_bytes() / 1073741824.0);
  const std::uint64_t offsets = (c.total_neurons() + 1) * sizeof(std::uint64_t);
  EXPECT_EQ(e.connectivity_bytes - offsets, e.expected_synapses * 8);  // the records: 8 bytes each
  EXPECT_LE(e.connectivity_bytes / synapses, 8.01);                       // with the CSR offsets
  // Everything else (delay ring, state, spike record, scratch) is small beside it.
  EXPECT_LE(e.total_bytes() / synapses, 9.0);
  EXPECT_LT(e.connectivity_bytes, micro::estimate_cpu_memory(c, 1).connectivity_bytes);
}

TEST(GpuMemoryEstimate, RefusalNamesNeedAndFreeMemory) {
  const micro::MemoryEstimate e = micro::estimate_gpu_memory(builtin_circuit("potjans2014"));
  try {
    micro::check_gpu_memory_fits(e, "circuit 'potjans2014'", "GPU 0 (Test card)", 1ull << 30);
    FAIL() << "1 GiB free was accepted";
  } catch (const std::runtime_error& error) {
    const std::string m = error.what();
    EXPECT_NE(m.find("circuit 'potjans2014' needs about 2."), std::string::npos) << m;
    EXPECT_NE(m.find("GiB of device memory"), std::string::npos) << m;
    EXPECT_NE(m.find("GPU 0 (Test card) has only 1.00 GiB free"), std::string::npos) << m;
  }
  EXPECT_NO_THROW(micro::check_gpu_memory_fits(e, "c", "GPU 0", 80ull << 30));
}

TEST(GpuSynapseLayout, PacksTargetDelayAndWeightExactly) {
  const micro::SynapseLayout layout = micro::synapse_layout_for(75);  // Potjans: 7.5 ms at 0.1 ms
  EXPECT_EQ(layout.delay_bits, 7);
  EXPECT_TRUE(micro::synapse_layout_fits(layout, 1u << 25));
  EXPECT_FALSE(micro::synapse_layout_fits(layout, (1u << 25) + 1));
  const std::uint32_t targets[] = {0, 1, 77168, (1u << 25) - 1};
  const std::uint32_t delays[] = {1, 15, 75, 127};
  const std::int32_t weights[] = {0, 1, -1, 2147483647, -2147483647 - 1};
  for (std::uint32_t t : targets)
    for (std::uint32_t d : delays)
      for (std::int32_t w : weights) {
        const micro::PackedSynapse s = layout.pack(t, d, w);
        EXPECT_EQ(layout.target(s), t);
        EXPECT_EQ(layout.delay_steps(s), d);
        EXPECT_EQ(s.weight, w);
      }
  EXPECT_EQ(micro::synapse_layout_for(1).delay_bits, 1);
  EXPECT_EQ(micro::synapse_layout_for(65535).delay_bits, 16);
}

// One aligned 8-byte word per synapse: with 4-byte alignment nvcc split the
// delivery kernel's synapse load into two 32-bit loads.
TEST(GpuSynapseLayout, RecordIsOneAlignedEightByteWord) {
  EXPECT_EQ(sizeof(micro::PackedSynapse), 8u);
  EXPECT_EQ(alignof(micro::PackedSynapse), 8u);
  const std::vector<micro::PackedSynapse> records(3);
  for (const micro::PackedSynapse& r : records) EXPECT_EQ(reinterpret_cast<std::uintptr_t>(&r) % 8, 0u);
}

TEST(GpuSynapseLayout, CircuitBeyondTheLayoutIsNamed) {
  Circuit c = micromeso::testing::small_mixed_circuit(1);  // delays up to 75 steps: 7 bits
  EXPECT_EQ(micro::gpu_layout_problem(c), "");
  c.populations[0].size = (1ull << 25) - 300;  // 2^25 neurons in all: ids need 25 bits
  EXPECT_EQ(micro::gpu_layout_problem(c), "");
  c.populations[0].size += 1;
  EXPECT_NE(micro::gpu_layout_problem(c).find("do not fit"), std::string::npos);
}

// The update kernel's population block ranges travel in its arguments: at most
// kMaxKernelPopulations populations, and more are refused by name and count.
TEST(GpuSynapseLayout, TooManyPopulationsAreNamed) {
  Circuit c = micromeso::testing::small_mixed_circuit(1);
  while (c.populations.size() < static_cast<std::size_t>(kernels::kMaxKernelPopulations)) {
    Population extra = c.populations[0];
    extra.name = "extra" + std::to_string(c.populations.size());
    c.populations.push_back(extra);
  }
  EXPECT_EQ(micro::gpu_layout_problem(c), "");
  c.populations.push_back(c.populations[0]);
  c.populations.back().name = "one_too_many";
  EXPECT_EQ(micro::gpu_layout_problem(c), "the GPU backend takes at most 64 populations, the circuit has 65");
  try {
    micro::GpuBackend(c, micro::DeviceTarget::emulated());
    FAIL() << "65 populations were accepted";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("at most 64 populations"), std::string::npos) << e.what();
  }
}

TEST(GpuChunk, HundredStepsUnlessTheSpikeRecordWouldBeHuge) {
  EXPECT_EQ(micro::gpu_chunk_steps(77169), 100u);
  EXPECT_EQ(micro::gpu_chunk_steps(10'000'000), 6u);
  EXPECT_EQ(micro::gpu_chunk_steps(1'000'000'000), 1u);
}

// Where there is no device, --backend gpu says why instead of running on the CPU.
TEST(GpuBackendChoice, ExplicitGpuWithoutDeviceNamesTheReason) {
  const std::string why = no_gpu_reason();
  if (why.empty()) GTEST_SKIP() << "a CUDA device is present";
  RunOptions o;
  o.backend = BackendChoice::gpu;
  o.out_dir = micromeso::testing::unique_temp_dir("micromeso-gpu-without-device");
  try {
    run_micro(micromeso::testing::small_mixed_circuit(1), o);
    FAIL() << "ran without a device";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find(why), std::string::npos) << e.what();
  }
  EXPECT_FALSE(std::filesystem::exists(o.out_dir));
}

// Where the GPU engine runs in a test: a name for the test's title and the target.
struct GpuTarget {
  std::string name;
  micro::DeviceTarget target;
};

// Failure messages name the target, not its bytes.
void PrintTo(const GpuTarget& target, std::ostream* os) { *os << target.name; }

kernels::EmulatorOptions emulator(kernels::BlockOrder order, int threads = 1, int multiprocessors = 2) {
  kernels::EmulatorOptions o;
  o.order = order;
  o.threads = threads;
  o.multiprocessors = multiprocessors;
  o.shuffle_seed = 20261130;
  return o;
}

// Odd block sizes and counts: no block is full, the fill groups of
// fixed_total_number straddle blocks, the delivery grid is not a power of two.
kernels::GridShape odd_grid() {
  kernels::GridShape g;
  g.update_block = 7;
  g.deliver_block = 33;
  g.deliver_blocks_per_sm = 3;
  g.build_block = 45;
  return g;
}

std::vector<GpuTarget> gpu_targets() {
  using kernels::BlockOrder;
  return {
      {"Device", micro::DeviceTarget::cuda(0)},
      {"EmulatorForward", micro::DeviceTarget::emulated(emulator(BlockOrder::forward))},
      {"EmulatorReverse", micro::DeviceTarget::emulated(emulator(BlockOrder::reverse))},
      {"EmulatorShuffled", micro::DeviceTarget::emulated(emulator(BlockOrder::shuffled))},
      {"EmulatorShuffledTwoThreads", micro::DeviceTarget::emulated(emulator(BlockOrder::shuffled, 2))},
      {"EmulatorOddGrid", micro::DeviceTarget::emulated(emulator(BlockOrder::shuffled, 1, 5), odd_grid())},
  };
}

class GpuBackend : public ::testing::TestWithParam<GpuTarget> {
 protected:
  void SetUp() override {
    if (!GetParam().target.emulate)
      if (const std::string why = no_gpu_reason(); !why.empty()) GTEST_SKIP() << why;
  }
  micro::GpuBackend make(const Circuit& c) const { return micro::GpuBackend(c, GetParam().target); }
  SpikeLog run(const Circuit& c, std::uint64_t steps) const {
    micro::GpuBackend backend = make(c);
    SpikeLog log;
    EXPECT_EQ(backend.simulate(steps, log, nullptr), steps);
    return log;
  }
};

INSTANTIATE_TEST_SUITE_P(Targets, GpuBackend, ::testing::ValuesIn(gpu_targets()),
                         [](const ::testing::TestParamInfo<GpuTarget>& info) { return info.param.name; });

TEST_P(GpuBackend, BuildsTheSynapsesOfTheCpuBuilder) {
  for (const Circuit& c : {micromeso::testing::small_mixed_circuit(7), reduced_potjans()}) {
    const micro::Network cpu = micro::build_network(c, 1);
    const micro::Network gpu = make(c).download_network();
    ASSERT_EQ(gpu.n_synapses(), cpu.n_synapses()) << c.name;
    ASSERT_EQ(gpu.max_delay_steps, cpu.max_delay_steps);
    for (std::uint64_t s = 0; s <= cpu.n_neurons(); ++s)
      ASSERT_EQ(gpu.synapse_offset[s], cpu.synapse_offset[s]) << c.name << " source " << s;
    for (std::uint64_t s = 0; s < cpu.n_neurons(); ++s)
      ASSERT_EQ(segment(gpu, s), segment(cpu, s)) << c.name << " source " << s;
  }
}

// fixed_total_number per target block: a device holding a rank's neurons
// builds the CPU builder's synapses of that rank, for windows that cut blocks.
TEST_P(GpuBackend, BuildsTheCpuBuildersRankShares) {
  const Circuit c = micromeso::testing::multi_block_circuit();
  const std::uint64_t n = c.total_neurons();
  for (int ranks : {1, 3}) {
    for (int r = 0; r < ranks; ++r) {
      const micro::NeuronRange local = micro::rank_neurons(n, r, ranks);
      const micro::Network cpu = micro::build_network(c, 2, {}, local);
      const micro::Network gpu = micro::GpuBackend(c, GetParam().target, {}, nullptr, local).download_network();
      ASSERT_EQ(gpu.n_synapses(), cpu.n_synapses()) << r << " of " << ranks;
      for (std::uint64_t s = 0; s < n; ++s) {
        ASSERT_EQ(gpu.synapse_offset[s], cpu.synapse_offset[s]) << "source " << s;
        ASSERT_EQ(segment(gpu, s), segment(cpu, s)) << "source " << s << ", rank " << r << " of " << ranks;
      }
    }
  }
}

TEST_P(GpuBackend, StartsFromTheCpuPotentials) {
  const Circuit c = micromeso::testing::small_mixed_circuit(5);
  const micro::CpuBackend cpu(c, micro::build_network(c, 1), 1);
  const micro::GpuBackend gpu = make(c);
  for (std::uint64_t gid = 0; gid < c.total_neurons(); gid += 37)
    EXPECT_EQ(gpu.membrane_potential_mV(gid), cpu.membrane_potential_mV(gid)) << gid;
}

// Same seed, same spikes as the CPU engine.
TEST_P(GpuBackend, SameSpikesAsCpuReducedPotjans) {
  const Circuit c = reduced_potjans();
  const SpikeLog cpu = run_cpu(c, steps_of(c)), gpu = run(c, steps_of(c));
  ASSERT_GT(cpu.spikes.size(), 500u);  // about 1300 with the built-in seed
  EXPECT_EQ(gpu.spikes.size(), cpu.spikes.size());
  EXPECT_EQ(gpu.spikes, cpu.spikes);
}

TEST_P(GpuBackend, SameSpikesAsCpuWithGifAndEveryRule) {
  const Circuit mixed = micromeso::testing::small_mixed_circuit(2024);  // iaf + gif, all three rules
  const SpikeLog cpu = run_cpu(mixed, 2500), gpu = run(mixed, 2500);
  ASSERT_GT(cpu.spikes.size(), 500u);
  EXPECT_EQ(gpu.spikes, cpu.spikes);
  // A recurrent gif column with adaptation (fixed_indegree), and one gif
  // population without synapses (the device's empty-connectivity path).
  for (const char* name : {"schwalger2017_column_adapting", "gif_single"}) {
    Circuit gif = builtin_circuit(name, BuiltinOptions{name[0] == 's' ? 0.02 : 1.0, 1.0});
    gif.simulation.t_presim_ms = 0.0;
    gif.simulation.t_sim_ms = 200.0;
    const SpikeLog gif_cpu = run_cpu(gif, steps_of(gif)), gif_gpu = run(gif, steps_of(gif));
    ASSERT_GT(gif_cpu.spikes.size(), 500u) << name;  // about 1500 and 1300
    EXPECT_EQ(gif_gpu.spikes, gif_cpu.spikes) << name;
  }
}

// Every neuron model (iaf_psc_exp, gif_psc_exp, iaf_cond_exp, hh_psc_alpha,
// pp_psc_delta) in one recurrent circuit, with a spike_generator stimulus;
// the multimeters' values too.
TEST_P(GpuBackend, SameSpikesAsCpuWithEveryNeuronModel) {
  const Circuit c = micromeso::testing::every_model_circuit();
  const SpikeLog cpu = run_cpu(c, 2000), gpu = run(c, 2000);
  ASSERT_GT(cpu.spikes.size(), 500u);
  EXPECT_EQ(gpu.spikes, cpu.spikes);
  // The multimeters' values after every step: bit for bit, except that on a
  // device hh_psc_alpha's gating rates go through CUDA's exp, which may differ
  // from the host's in the last bit (CUDA's double exp is within 1 ulp, not
  // correctly rounded), and RK4 carries such differences on. Its values are
  // held to 1e-6 (mV, pA) there; the largest deviation per model is printed.
  ASSERT_EQ(cpu.states.size(), 2000u);
  ASSERT_EQ(gpu.states.size(), cpu.states.size());
  std::vector<NeuronModel> probe_model;  // the model of each probe's population (make_state_probes' order)
  for (const Multimeter& m : c.multimeters)
    probe_model.insert(probe_model.end(), m.neurons.size() * m.record_from.size(),
                       c.populations[static_cast<std::size_t>(c.population_index(m.population))].neuron.model);
  std::map<std::string, double> worst;
  for (std::size_t k = 0; k < cpu.states.size(); ++k) {
    ASSERT_EQ(gpu.states[k].first, cpu.states[k].first);
    ASSERT_EQ(gpu.states[k].second.size(), probe_model.size());
    for (std::size_t i = 0; i < probe_model.size(); ++i) {
      const double a = cpu.states[k].second[i], b = gpu.states[k].second[i];
      double& w = worst[to_string(probe_model[i])];
      w = std::max(w, std::abs(a - b));
      const bool device_libm = !GetParam().target.emulate && probe_model[i] == NeuronModel::hh_psc_alpha;
      if (device_libm)
        ASSERT_LE(std::abs(a - b), 1e-6) << "step " << k << ", probe " << i;
      else
        ASSERT_EQ(b, a) << "step " << k << ", probe " << i << " (" << to_string(probe_model[i]) << ")";
    }
  }
  for (const auto& [model, w] : worst) std::printf("[ measured ] %s: largest |gpu - cpu| %.3g\n", model.c_str(), w);
}

// Partial chunks (plain launches) and whole ones (graph replays) continue
// each other; a second run gives the same spikes (bit-for-bit repeatable).
TEST_P(GpuBackend, ChunkBoundariesAndRepeatsDoNotMatter) {
  const Circuit c = micromeso::testing::small_mixed_circuit(11);
  const SpikeLog whole = run(c, 1000);
  micro::GpuBackend pieces = make(c);
  SpikeLog log;
  EXPECT_EQ(pieces.simulate(37, log, nullptr), 37u);
  EXPECT_EQ(pieces.simulate(263, log, nullptr), 263u);
  EXPECT_EQ(pieces.simulate(700, log, nullptr), 700u);
  EXPECT_EQ(log.spikes, whole.spikes);
  EXPECT_EQ(run(c, 1000).spikes, whole.spikes);
  EXPECT_EQ(run_cpu(c, 1000).spikes, whole.spikes);
}

TEST_P(GpuBackend, StopsBetweenChunks) {
  const Circuit c = micromeso::testing::small_mixed_circuit(3);
  micro::GpuBackend gpu = make(c);
  SpikeLog log;
  const std::atomic<bool> stop{true};
  EXPECT_EQ(gpu.simulate(1000, log, &stop), micro::gpu_chunk_steps(c.total_neurons()));
  // ... and goes on from there, as if it had not stopped.
  EXPECT_EQ(gpu.simulate(1000 - gpu.chunk_steps(), log, nullptr), 1000 - gpu.chunk_steps());
  EXPECT_EQ(log.spikes, run_cpu(c, 1000).spikes);
}

TEST_P(GpuBackend, RunSummarySaysWhichBackendAndNamesTheDevice) {
  RunOptions o;
  o.backend = GetParam().target.emulate ? BackendChoice::gpu_emulator : BackendChoice::gpu;
  if (GetParam().name != "Device" && GetParam().name != "EmulatorForward") GTEST_SKIP() << "one emulator target suffices";
  o.out_dir = micromeso::testing::unique_temp_dir("micromeso-gpu-run-" + GetParam().name);
  std::filesystem::remove_all(o.out_dir);
  const RunSummary s = run_micro(micromeso::testing::small_mixed_circuit(1), o);
  EXPECT_TRUE(s.complete);
  EXPECT_EQ(s.backend, GetParam().target.emulate ? "gpu-emulator" : "gpu");
  EXPECT_FALSE(s.device.empty());
  ASSERT_GT(s.synapses, 0u);  // 8 bytes per synapse + 8 per neuron of offsets
  EXPECT_DOUBLE_EQ(s.bytes_per_synapse, (8.0 * s.synapses + 8.0 * (s.neurons + 1)) / s.synapses);
  EXPECT_TRUE(std::filesystem::exists(o.out_dir / "summary.json"));
  std::filesystem::remove_all(o.out_dir);
}
