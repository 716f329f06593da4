// Running a circuit: what the CLI's `run` and `bench` call.
#pragma once

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "micromeso/circuit.hpp"

namespace micromeso::parallel {
class Communicator;  // src/micro/mpi/communicator.hpp
}

namespace micromeso {

// gpu_emulator: the GPU engine's own kernels and driver, run on the CPU by the
// host grid emulator (a debugging aid: slow, same spikes as the CPU engine).
enum class BackendChoice { cpu, gpu, gpu_emulator, automatic };
BackendChoice parse_backend(const std::string& text);  // "cpu" | "gpu" | "gpu-emulator" | "auto"

struct RunOptions {
  BackendChoice backend = BackendChoice::automatic;
  int threads = 0;                    // 0: OpenMP's default (all cores)
  std::filesystem::path out_dir;      // empty: default_output_dir(circuit.name)
  // phase is "build" or "simulate"; fraction in [0, 1]
  std::function<void(const std::string& phase, double fraction)> progress;
  std::function<void(const std::string& line)> log;  // informational lines
  const std::atomic<bool>* interrupt = nullptr;      // set by Ctrl-C
  // The MPI ranks of the run (parallel::make_world_communicator); null: a
  // single process. Every rank calls run_micro with the same circuit and
  // options; rank 0 writes the output folder.
  parallel::Communicator* communicator = nullptr;
};

// One rank's share of a run over MPI ranks (a single process is rank 0 of 1).
struct RankSummary {
  std::uint64_t neurons = 0, synapses = 0;  // its neurons and the synapses onto them
  int threads = 1;
  double build_time_s = 0.0;
  double sim_time_s = 0.0;
  // In the spike exchanges: waiting for the slowest rank (the counts'
  // all-gather, with its latency), then the transfer of the spikes.
  double exchange_wait_s = 0.0, exchange_transfer_s = 0.0;
  // The outputs: all of their cost on this rank (recording during the run,
  // the multimeters' gather, the files written after it), the gather's data
  // transfer alone (MPI_Gatherv of the multimeters to rank 0, after a
  // collective that waits for the slowest rank, counted in output_s only),
  // and the HDF5 writes alone (rank 0's; the spike file's during the run
  // included).
  double output_s = 0.0, output_gather_s = 0.0, output_write_s = 0.0;
};

struct PopulationSummary {
  std::string name;
  std::uint64_t size = 0;
  std::uint64_t spikes = 0;       // in the recorded window
  double rate_hz = 0.0;           // spikes / (size * t_sim)
  std::optional<double> cv_isi;   // mean over neurons with >= 2 ISIs; none if no such neuron
};

struct RunSummary {
  std::string circuit;
  std::string engine = "micro";
  std::string backend;
  std::string device;                  // GPU name for backend "gpu" (or the emulator's); empty for the CPU
  int threads = 1;
  std::uint64_t seed = 0;
  double dt_ms = 0.0, t_sim_ms = 0.0, t_presim_ms = 0.0;
  std::uint64_t neurons = 0, synapses = 0;
  double bytes_per_synapse = 0.0;      // connectivity memory / synapses
  std::uint64_t memory_estimate_bytes = 0;
  std::uint64_t peak_rss_bytes = 0;
  double build_time_s = 0.0;
  double sim_time_s = 0.0;             // wall time of presim + recorded time
  double real_time_factor = 0.0;       // sim_time_s / (t_presim + t_sim) biological seconds
  bool complete = false;               // false when interrupted
  std::vector<PopulationSummary> populations;
  std::vector<std::string> warnings;   // where the run's approximations are out of their range
  int ranks = 1;                       // MPI ranks
  int rank = 0;                        // of this process (only rank 0 writes and prints)
  std::string mpi;                     // the MPI library, empty in a single process
  double min_delay_ms = 0.0;           // shortest delay: the ranks exchange spikes this often
  std::uint64_t exchanges = 0;         // spike exchanges (0 in a single process)
  std::vector<RankSummary> per_rank;   // in rank order
  std::filesystem::path out_dir;
  std::string version, commit;
};

std::string summary_to_json(const RunSummary& summary);

// Peak resident memory of this process so far (bytes).
std::uint64_t peak_rss_bytes();
RunSummary summary_from_json(const std::string& json_text);

// Builds and simulates the circuit on the chosen backend and writes spikes.h5
// (unless record_spikes is false), activity.h5 and summary.json into the
// output folder. Interrupted runs leave only ".part" files and return
// complete = false. Errors throw (CircuitError for the circuit,
// std::runtime_error otherwise) before anything looks finished.
RunSummary run_micro(const Circuit& circuit, const RunOptions& options);

// The mesoscopic engine on the same circuit: activity.h5 (spike counts per
// population and bin; expected counts with noise "none") and summary.json
// (engine "meso"), same layout as a microscopic run. No spike file.
struct MesoRunOptions {
  std::string noise = "binomial";  // binomial | poisson | none | master
  bool lambda_correction = true;
  bool exact_history = false;  // meso::MesoOptions::block_kernel_change_Delta_V = 0
  bool input_noise = false;    // meso::MesoOptions::input_noise
  bool paper_free_pool = false;  // meso::MesoOptions::paper_free_pool
  std::filesystem::path out_dir;
  std::function<void(const std::string& phase, double fraction)> progress;
  const std::atomic<bool>* interrupt = nullptr;
};
RunSummary run_meso(const Circuit& circuit, const MesoRunOptions& options);

}  // namespace micromeso
