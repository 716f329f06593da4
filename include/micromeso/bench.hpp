// `micromeso bench`: throughput of the microscopic engine (build time,
// real-time factor, memory per synapse) and how it grows with network size.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "micromeso/circuit_io.hpp"
#include "micromeso/run.hpp"

namespace micromeso {

struct BenchOptions {
  std::vector<double> scales{1.0};  // neuron-number scaling of a built-in; a file runs once at 1
  double k_scale = 1.0;
  SimulationOverrides overrides;    // --t, --dt, --seed, --no-spikes
  RunOptions run;                   // backend, threads, progress; out_dir = bench folder
  std::string engine = "micro";     // micro | meso (the population equations; one core)
  MesoRunOptions meso;              // noise, Lambda correction (engine meso)
};

struct BenchRecord {
  double scale = 1.0;
  RunSummary run;
};

struct BenchReport {
  std::string circuit;
  std::string engine;
  std::string date_utc;
  std::string host, cpu_model;
  int cpu_cores = 0;
  std::uint64_t memory_bytes = 0;
  std::string commit, version;
  // The GPU of micro runs on the gpu backend (empty otherwise), with the CUDA
  // driver and runtime versions ("13.0").
  std::string gpu_name, cuda_driver, cuda_runtime;
  std::vector<BenchRecord> records;
};

// Synaptic events delivered per second of wall time: spikes per biological
// second x mean out-degree x biological seconds per wall second (0 for meso
// runs, which have no synapses).
double synaptic_events_per_wall_s(const RunSummary& run);

// Runs the circuit once per scale, each into out_dir/scale-<s>/, and writes
// out_dir/bench.json.
BenchReport run_bench(const std::string& circuit_name_or_path, const BenchOptions& options);
std::string bench_to_json(const BenchReport& report);

}  // namespace micromeso
