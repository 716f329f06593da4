// The subcommands: their options and what each does with them.
#pragma once

#include <atomic>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "micromeso/analyze_run.hpp"
#include "micromeso/circuit_io.hpp"
#include "micromeso/run.hpp"
#include "micro/mpi/communicator.hpp"

namespace micromeso::cli {

// Options shared by every command that simulates a circuit.
struct SimulationArgs {
  std::string circuit;
  std::optional<std::string> t, presim;
  std::optional<double> dt_ms, activity_bin_ms;
  std::optional<std::uint64_t> seed;
  std::optional<double> scale, k_scale;
  std::string backend = "auto";
  int threads = 0;
  std::string out;
  bool no_spikes = false;
};
void add_simulation_options(CLI::App& app, SimulationArgs& args, const std::string& default_circuit);
SimulationOverrides overrides_of(const SimulationArgs& args);  // parses --t/--presim durations
RunOptions run_options_of(const SimulationArgs& args, const std::atomic<bool>* interrupt);

struct RunArgs {
  SimulationArgs sim;
  int replicas = 1;  // --replicas: copies of the circuit, coupled sparsely (weak scaling over MPI ranks)
};
void add_run_options(CLI::App& app, RunArgs& args);
// `world`: the MPI ranks (parallel::make_world_communicator); only rank 0 prints the report.
int command_run(const RunArgs& args, const std::atomic<bool>* interrupt, parallel::Communicator& world);

struct ModelsArgs {
  std::string show;
  double scale = 1.0, k_scale = 1.0;
};
void add_models_options(CLI::App& app, ModelsArgs& args);
int command_models(const ModelsArgs& args);

// The population equations' model options, shared by meso, compare and
// bench: --noise, --exact-history, --input-noise, --paper-free-pool.
struct MesoModelArgs {
  std::string noise = "binomial";
  bool exact_history = false;
  bool input_noise = false;
  bool paper_free_pool = false;
  bool any_given() const { return noise != "binomial" || exact_history || input_noise || paper_free_pool; }
};
void add_meso_model_options(CLI::App& app, MesoModelArgs& args);
void apply_meso_model_options(const MesoModelArgs& args, MesoRunOptions& options);

struct BenchArgs {
  SimulationArgs sim;
  std::vector<double> scales;
  std::string engine = "micro";
  MesoModelArgs meso;
};
void add_bench_options(CLI::App& app, BenchArgs& args);
int command_bench(const BenchArgs& args, const std::atomic<bool>* interrupt);

struct MesoArgs {
  std::string circuit;
  std::optional<std::string> t, presim;
  std::optional<double> dt_ms, activity_bin_ms, scale, k_scale;
  std::optional<std::uint64_t> seed;
  MesoModelArgs model;
  bool no_lambda = false;
  std::string out;
};
void add_meso_options(CLI::App& app, MesoArgs& args);
int command_meso(const MesoArgs& args, const std::atomic<bool>* interrupt);

struct CompareArgs {
  SimulationArgs sim;
  MesoModelArgs meso;
  AnalyzeOptions analyze;
  bool no_plot = false;
};
void add_compare_options(CLI::App& app, CompareArgs& args);
int command_compare(const CompareArgs& args, const std::atomic<bool>* interrupt);

struct AnalyzeArgs {
  std::string run_dir;
  AnalyzeOptions options;
};
void add_analyze_options(CLI::App& app, AnalyzeArgs& args);
int command_analyze(const AnalyzeArgs& args);

struct PlotArgs {
  std::string run_dir;
  double trace_ms = 500.0;
};
void add_plot_options(CLI::App& app, PlotArgs& args);
int command_plot(const PlotArgs& args);

struct DevicesArgs {
  bool json = false;
};
void add_devices_options(CLI::App& app, DevicesArgs& args);
int command_devices(const DevicesArgs& args);

// The per-population table and the timings of a finished run.
void print_run_report(const RunSummary& summary);

}  // namespace micromeso::cli
