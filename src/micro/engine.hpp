// The engine interface shared by the CPU and GPU backends: the network is
// advanced step by step and every step's spikes are handed to an observer
// (recording, statistics, progress), which runs on the host.
#pragma once

#include <atomic>
#include <cstdint>
#include <vector>

namespace micromeso::micro {

class StepObserver {
 public:
  virtual ~StepObserver() = default;
  // Spiking neurons of `step` (global ids, ascending); a spike in step k has
  // time (k + 1) dt, as in NEST.
  virtual void on_step(std::uint64_t step, const std::vector<std::uint32_t>& spikes) = 0;
};

class Backend {
 public:
  virtual ~Backend() = default;
  // Simulates the next n_steps steps (the backend keeps its step count
  // across calls). Returns the number of steps done: fewer when `stop`
  // became true (Ctrl-C).
  virtual std::uint64_t simulate(std::uint64_t n_steps, StepObserver& observer,
                                 const std::atomic<bool>* stop) = 0;
  virtual const char* name() const = 0;
};

}  // namespace micromeso::micro
