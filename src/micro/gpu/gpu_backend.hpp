// The GPU backend of the microscopic engine (issue 4). Plain C++ header: no
// CUDA types, so host code includes it in every build; in a build without
// CUDA the constructor throws and the memory estimate still answers.
//
// What lives on the device (kernels/device_engine.hpp):
// - connectivity, built there from the same draw functions as build_network()
//   (kernels/network_build.cu): CSR by source, 8 bytes per synapse
//   (synapse_layout.hpp: target and delay packed in one word, the 32-bit
//   fixed-point weight unchanged) plus 8 bytes of offset per neuron;
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
#include <string>
#include <vector>

#include "micro/engine.hpp"
#include "micro/network.hpp"
#include "micromeso/circuit.hpp"
#include "micromeso/physics/exp_synapse.hpp"

namespace micromeso::kernels {
class DeviceEngine;
}

namespace micromeso::micro {

// Steps per graph launch and per copy to the host: 100 (10 ms at dt 0.1 ms),
// fewer for networks so large that the spike record (4 bytes x neurons x
// steps) would pass 256 MiB.
std::uint32_t gpu_chunk_steps(std::uint64_t n_neurons);

// Device memory of a run before anything is allocated: connectivity (8 bytes
// per synapse + offsets), construction scratch (per-projection counts,
// cursors, scan), state (neurons, adaptation, delay ring, spike record).
MemoryEstimate estimate_gpu_memory(const Circuit& circuit);

// Throws std::runtime_error naming the need and the device's free memory
// when the estimate exceeds 90 % of `free_bytes`.
void check_gpu_memory_fits(const MemoryEstimate& estimate, const std::string& what, const std::string& device_name,
                           std::uint64_t free_bytes);

// Why the circuit cannot use the packed synapse layout (too many neurons for
// the delay field), or empty when it can.
std::string gpu_layout_problem(const Circuit& circuit);

class GpuBackend final : public Backend {
 public:
  // Checks the layout and the device memory, then builds the network on
  // `device`. progress(fraction) reports the construction.
  explicit GpuBackend(const Circuit& circuit, int device = 0, const ProgressFn& progress = {});
  ~GpuBackend() override;
  GpuBackend(const GpuBackend&) = delete;
  GpuBackend& operator=(const GpuBackend&) = delete;

  std::uint64_t simulate(std::uint64_t n_steps, StepObserver& observer, const std::atomic<bool>* stop) override;
  const char* name() const override { return "gpu"; }

  const std::string& device_name() const { return device_name_; }
  const MemoryEstimate& memory_estimate() const { return estimate_; }
  std::uint64_t n_synapses() const;
  std::uint64_t connectivity_bytes() const;  // device bytes: synapses and offsets
  // For tests: the device's connectivity in the CPU layout, and potentials.
  Network download_network() const;
  double membrane_potential_mV(std::uint64_t gid) const;

 private:
  std::unique_ptr<kernels::DeviceEngine> engine_;
  std::vector<std::uint64_t> population_first_;
  std::vector<double> E_L_mV_;  // per population
  std::uint32_t max_delay_steps_ = 1;
  std::uint32_t chunk_steps_ = 1;
  std::uint64_t next_step_ = 0;
  std::string device_name_;
  MemoryEstimate estimate_;
};

}  // namespace micromeso::micro
