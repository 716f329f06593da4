// The device side of the GPU backends (micro::GpuBackend): network
// construction, the state, the delay ring and the spike record in device
// memory, and the time loop in whole chunks of steps. One interface, two
// runtimes under it (engine_driver.hpp): CUDA on a real device
// (make_cuda_engine, CUDA builds only) and the host grid emulator, which runs
// the very same kernel bodies on the CPU (make_emulated_engine, every build).
// Plain C++: no CUDA type here. Every CUDA failure throws CudaError naming the call.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "kernels/build_bodies.hpp"
#include "kernels/step_args.hpp"
#include "kernels/synapse_layout.hpp"

namespace micromeso::kernels {

struct DevicePopulation {
  std::uint32_t first = 0, size = 0;
  physics::ModelConstants model{};  // its array pointers are ignored: the arrays below are copied
  std::vector<double> sfa_decay, q_sfa_mV;
  std::vector<std::uint64_t> stimulus_table;  // stimulus populations (NeuronConstants)
  std::vector<std::uint64_t> current_steps;   // step current (NeuronConstants)
  std::vector<double> current_pA;
  physics::PoissonConstants poisson{};
  physics::WeightFixed poisson_weight = 0;
  std::vector<double> initial_aux;  // [k * size + local], computed on the host (physics::initial_aux)
};

// Threads per block of each kernel, and delivery blocks per multiprocessor.
// The defaults are the device's; tests give the emulator odd ones. On a
// device update_block is at most 256: the update kernel is compiled under
// launch bounds for 256 (cuda_runtime.cuh, LaunchBounds).
struct GridShape {
  std::uint32_t update_block = 256;
  std::uint32_t deliver_block = 256;
  std::uint32_t deliver_blocks_per_sm = 4;
  std::uint32_t build_block = 256;
};

struct EngineConfig {
  std::uint64_t seed = 0;
  double dt_ms = 0.1;
  std::uint32_t n_neurons = 0;
  // Over MPI ranks, the neurons this device simulates: [local_first,
  // local_first + n_local); n_local 0: every neuron (a single process).
  std::uint32_t local_first = 0, n_local = 0;
  std::uint32_t max_delay_steps = 1;
  micro::SynapseLayout layout;
  std::uint32_t chunk_steps = 100;  // steps per graph launch and per copy to the host
  GridShape grid;
  std::vector<DevicePopulation> populations;
  // Initial state computed on the host with the CPU's function, so both
  // backends start bit-identical (no device log/cos in the initial draw).
  std::vector<physics::MembraneState> initial_state;
  std::vector<physics::StateProbe> probes;  // multimeters (micro::make_state_probes)
};

struct DeviceProperties {
  std::string name;
  std::uint64_t free_bytes = 0, total_bytes = 0;
  int multiprocessors = 0;
};

// One chunk's spikes in host memory, valid until the next run_chunk:
// step k of the chunk spiked spikes[step_begin[k] .. step_begin[k + 1]), in
// no particular order.
struct SpikeChunk {
  const std::uint32_t* spikes;
  const std::uint32_t* step_begin;  // steps + 1 entries, step_begin[0] = 0
  std::uint32_t steps;
  // The multimeters' values after step k: probe_values[k * n_probes ..].
  const double* probe_values;
  std::uint32_t n_probes;
};

class DeviceEngine {
 public:
  virtual ~DeviceEngine() = default;
  // Draws the synapses on the device. progress(fraction).
  virtual void build_network(const std::vector<DeviceProjection>& projections,
                             const std::function<void(double)>& progress) = 0;
  // Simulates `steps` (1 .. chunk_steps) steps and copies their spikes to the host.
  virtual SpikeChunk run_chunk(std::uint32_t steps) = 0;
  // Over MPI ranks, the two halves of run_chunk around the spike exchange:
  // the update of `steps` (1 .. chunk_steps) steps, whose spikes are copied
  // to the host but not delivered; then the delivery of every rank's spikes
  // of those steps (step k's: spikes[step_begin[k] .. step_begin[k + 1]),
  // global ids), after which the next steps can run.
  virtual SpikeChunk run_undelivered(std::uint32_t steps) = 0;
  virtual void deliver_exchanged(const std::uint32_t* spikes, const std::uint32_t* step_begin,
                                 std::uint32_t steps) = 0;

  virtual const DeviceProperties& properties() const = 0;
  virtual std::uint64_t n_synapses() const = 0;
  virtual std::uint64_t connectivity_bytes() const = 0;  // synapses and offsets
  // Copies for tests.
  virtual void download_connectivity(std::vector<std::uint64_t>& offsets,
                                     std::vector<micro::PackedSynapse>& synapses) const = 0;
  virtual std::vector<physics::MembraneState> download_state() const = 0;
};

// The emulator's grid: blocks in forward, reverse or shuffled order (a new
// order per launch, from shuffle_seed), on `threads` host threads (blocks in
// parallel when above 1). The threads of a block run one after another.
enum class BlockOrder { forward, reverse, shuffled };

struct EmulatorOptions {
  BlockOrder order = BlockOrder::forward;
  int threads = 1;
  std::uint64_t shuffle_seed = 1;
  int multiprocessors = 2;      // sizes the delivery grid as a device's SM count does
  std::uint64_t free_bytes = 0; // memory the emulated device reports free (the host's)
};

// CUDA builds only (kernels/cuda_engine.cu). Makes `device` current and reads its name, free memory and SM count.
DeviceProperties query_cuda_device(int device);
std::unique_ptr<DeviceEngine> make_cuda_engine(const EngineConfig& config, int device);
std::unique_ptr<DeviceEngine> make_emulated_engine(const EngineConfig& config, const EmulatorOptions& options);
// What the emulated device reports (name, free memory, multiprocessors),
// known before an engine is made.
DeviceProperties emulated_device_properties(const EmulatorOptions& options);

}  // namespace micromeso::kernels
