// The GPU backend of the microscopic engine, on a CUDA device or on the host
// grid emulator (the same kernel bodies and driver, on the CPU; a debugging
// aid). Plain C++ header: no CUDA types.
//
// What lives on the device (kernels/device_engine.hpp):
// - connectivity, built there from the same draw functions as build_network()
//   (kernels/build_bodies.hpp): CSR by source, 8 bytes per synapse
//   (kernels/synapse_layout.hpp: target and delay packed in one word, the
//   32-bit fixed-point weight unchanged) plus 8 bytes of offset per neuron;
// - neuron state, adaptation traces, the fixed-point delay ring indexed as
//   CpuBackend's ([slot][neuron][receptor], slots a power of two);
// - the spike record of one chunk (a neuron spikes at most once per step, so
//   n_neurons x chunk_steps ids always suffice).
// The time loop is a CUDA graph of chunk_steps steps; after each chunk the
// host copies the spikes, sorts each step's ids and hands them to the
// observer, then checks `stop`. Same seed, same spikes as CpuBackend: the
// same Philox counters (seed, stream, gid, step), the same physics functions
// (nvcc --fmad=false), the same integer sums.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "kernels/device_engine.hpp"
#include "micro/engine.hpp"
#include "micro/mpi/spike_exchange.hpp"
#include "micro/network.hpp"
#include "micromeso/circuit.hpp"

namespace micromeso::micro {

// Steps per graph launch and per copy to the host: 100 (10 ms at dt 0.1 ms),
// fewer for networks so large that the spike record (4 bytes x neurons x
// steps) would pass 256 MiB.
std::uint32_t gpu_chunk_steps(std::uint64_t n_neurons);

// Device memory of a run before anything is allocated: connectivity (8 bytes
// per synapse + offsets), construction scratch (per-projection counts,
// cursors, scan), state (neurons, adaptation, delay ring, spike record).
// `local`: over MPI ranks, the neurons of this rank (its share of the synapses
// and of the delay ring); none given: every neuron.
MemoryEstimate estimate_gpu_memory(const Circuit& circuit, std::optional<NeuronRange> local = {});

// Throws std::runtime_error naming the need and the device's free memory
// when the estimate exceeds 90 % of `free_bytes`.
void check_gpu_memory_fits(const MemoryEstimate& estimate, const std::string& what, const std::string& device_name,
                           std::uint64_t free_bytes, const std::string& advice = "reduce --scale or --k-scale");

// Why the circuit cannot run on the GPU engine (ids and delays beyond the
// packed synapse layout, more populations than the kernel arguments hold),
// or empty when it can.
std::string gpu_layout_problem(const Circuit& circuit);

// Where the kernels run: a CUDA device, or the emulator on the host.
struct DeviceTarget {
  bool emulate = false;
  int device = 0;                     // CUDA device index
  kernels::EmulatorOptions emulator;  // free_bytes 0: the host's available memory
  kernels::GridShape grid;

  static DeviceTarget cuda(int device = 0) { return DeviceTarget{false, device, {}, {}}; }
  static DeviceTarget emulated(const kernels::EmulatorOptions& options = {}, const kernels::GridShape& grid = {}) {
    return DeviceTarget{true, 0, options, grid};
  }
};

class GpuBackend final : public Backend {
 public:
  // Checks the layout and the device memory, then builds the network on the
  // target. progress(fraction) reports the construction. Over MPI ranks
  // `exchange` is given: the device holds the neurons `local` and the
  // synapses onto them, and the ranks exchange spikes once per interval.
  explicit GpuBackend(const Circuit& circuit, const DeviceTarget& target = {}, const ProgressFn& progress = {},
                      std::unique_ptr<SpikeExchange> exchange = nullptr, std::optional<NeuronRange> local = {});
  ~GpuBackend() override;
  GpuBackend(const GpuBackend&) = delete;
  GpuBackend& operator=(const GpuBackend&) = delete;

  std::uint64_t simulate(std::uint64_t n_steps, StepObserver& observer, const std::atomic<bool>* stop) override;
  const char* name() const override { return emulated_ ? "gpu-emulator" : "gpu"; }
  std::uint64_t n_synapses() const override;
  std::uint64_t connectivity_bytes() const override;
  const MemoryEstimate& memory_estimate() const override { return estimate_; }
  std::string device_name() const override { return device_name_; }
  int threads() const override { return threads_; }
  NeuronReading read_neuron(std::uint64_t gid) const override;

  std::uint32_t chunk_steps() const { return chunk_steps_; }
  // For tests: the device's connectivity in the CPU layout.
  Network download_network() const;

 private:
  std::uint64_t simulate_over_ranks(std::uint64_t n_steps, StepObserver& observer, const std::atomic<bool>* stop);

  std::unique_ptr<kernels::DeviceEngine> engine_;
  std::unique_ptr<SpikeExchange> exchange_;
  NeuronRange local_;
  bool emulated_ = false;
  int threads_ = 1;
  std::vector<std::uint64_t> population_first_;
  std::vector<double> E_L_mV_;  // per population
  std::uint32_t max_delay_steps_ = 1;
  std::uint32_t chunk_steps_ = 1;
  std::uint64_t next_step_ = 0;
  std::string device_name_;
  MemoryEstimate estimate_;
};

}  // namespace micromeso::micro
