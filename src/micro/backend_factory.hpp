// The one place that chooses and makes a backend of the microscopic engine:
// the CPU engine, the CUDA engine, or the CUDA engine's kernels on the host
// grid emulator. Callers get a Backend and never branch on which it is.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "kernels/device_engine.hpp"
#include "micro/engine.hpp"
#include "micro/mpi/communicator.hpp"
#include "micro/network.hpp"
#include "micromeso/circuit.hpp"
#include "micromeso/run.hpp"

namespace micromeso::micro {

struct BackendOptions {
  BackendChoice choice = BackendChoice::automatic;
  int threads = 0;  // host threads (CPU engine, emulator); 0: default_cpu_threads
  int device = 0;   // CUDA device index
  kernels::EmulatorOptions emulator;  // its threads are set from `threads`
  kernels::GridShape grid;
  // The ranks of the run (null: a single process). Over several ranks each
  // builds and simulates its share of the neurons (rank_neurons) and the
  // backend exchanges spikes through it.
  parallel::Communicator* comm = nullptr;
  ProgressFn progress;                            // construction, fraction done
  std::function<void(const std::string&)> log;    // which backend, how much memory
};

// Default host threads: every core, but at most one per 2,000 neurons.
int default_cpu_threads(const Circuit& circuit);

// Resolves `auto` (the GPU when the build has CUDA, a device is present and
// the circuit fits the GPU layout, else the CPU, saying why in the log),
// checks the memory the backend needs (refusing with the need and what is
// available; over ranks, this rank's share), and builds the network. Throws std::runtime_error for a
// missing device or too little memory, before anything is allocated.
std::unique_ptr<Backend> make_backend(const Circuit& circuit, const BackendOptions& options);

}  // namespace micromeso::micro
