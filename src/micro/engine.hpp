// The engine interface shared by every backend (CPU, GPU, GPU emulator): the
// network is advanced step by step and every step's spikes are handed to an
// observer (recording, statistics, progress), which runs on the host.
// make_backend (backend_factory.hpp) makes one; callers never branch on
// which.
#pragma once

#include <atomic>
#include <cstdint>
#include <string>
#include <vector>

#include "micro/network.hpp"

namespace micromeso::micro {

class StepObserver {
 public:
  virtual ~StepObserver() = default;
  // Spiking neurons of `step` (global ids, ascending); a spike in step k has
  // time (k + 1) dt, as in NEST.
  virtual void on_step(std::uint64_t step, const std::vector<std::uint32_t>& spikes) = 0;
  // The circuit's multimeter values at the end of `step`, in the order of
  // make_state_probes (the backend's own neurons'); called for every step
  // when the backend has probes. In one process after on_step of the same
  // step; over ranks before it (on_step waits for the exchange).
  virtual void on_state(std::uint64_t step, const std::vector<double>& values) {
    (void)step;
    (void)values;
  }
};

// NEST's recorded names and units.
struct NeuronReading {
  double V_m_mV = 0.0;
  double I_syn_ex_pA = 0.0;
  double I_syn_in_pA = 0.0;  // signed as NEST records it
};

class Backend {
 public:
  virtual ~Backend() = default;
  // Simulates the next n_steps steps (the backend keeps its step count
  // across calls). Returns the number of steps done: fewer when `stop`
  // became true (Ctrl-C).
  virtual std::uint64_t simulate(std::uint64_t n_steps, StepObserver& observer,
                                 const std::atomic<bool>* stop) = 0;
  virtual const char* name() const = 0;  // "cpu", "gpu", "gpu-emulator"
  virtual std::uint64_t n_synapses() const = 0;
  virtual std::uint64_t connectivity_bytes() const = 0;  // synapse records and offsets
  // What the backend's memory was estimated at before it was built.
  virtual const MemoryEstimate& memory_estimate() const = 0;
  // The device's name; empty for the CPU.
  virtual std::string device_name() const { return {}; }
  virtual int threads() const { return 1; }  // host threads
  // A neuron's membrane potential and synaptic currents (for the current-
  // based models; iaf_cond_exp keeps its conductances elsewhere), for tests.
  virtual NeuronReading read_neuron(std::uint64_t gid) const = 0;
  double membrane_potential_mV(std::uint64_t gid) const { return read_neuron(gid).V_m_mV; }
};

}  // namespace micromeso::micro
