// Orchestration of a microscopic run: memory check, construction, simulation,
// recording, and the output folder committed only when everything is written.
#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>

#include <fmt/format.h>

#include "micro/backend_factory.hpp"
#include "micro/mpi/communicator.hpp"
#include "micro/mpi/rank_checks.hpp"
#include "micro/mpi/state_gather.hpp"
#include "micro/network.hpp"
#include "micro/recorder.hpp"
#include "micro/state_recorder.hpp"
#include "micromeso/circuit_io.hpp"
#include "micromeso/output.hpp"
#include "micromeso/run.hpp"
#include "micromeso/version.hpp"

namespace micromeso {
namespace {

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// What must be the same on every rank: the program, the circuit after the
// command line's overrides, and the options that change the run.
std::string rank_configuration(const Circuit& circuit, const RunOptions& o) {
  return fmt::format("micromeso {} {}\nbackend {} threads {} out {}\n{}", kVersion, kGitCommit,
                     static_cast<int>(o.backend), o.threads, o.out_dir.string(), circuit_to_toml(circuit));
}

// Every rank's share, gathered on every rank (collective: all ranks call it).
std::vector<RankSummary> gather_rank_summaries(parallel::Communicator& comm, const RankSummary& mine) {
  const auto neurons = comm.allgather_value(mine.neurons), synapses = comm.allgather_value(mine.synapses);
  const auto threads = comm.allgather_value(static_cast<std::uint64_t>(mine.threads));
  const auto build = comm.allgather_value(mine.build_time_s), sim = comm.allgather_value(mine.sim_time_s);
  const auto wait = comm.allgather_value(mine.exchange_wait_s), transfer = comm.allgather_value(mine.exchange_transfer_s);
  const auto output = comm.allgather_value(mine.output_s), gather = comm.allgather_value(mine.output_gather_s);
  const auto write = comm.allgather_value(mine.output_write_s);
  std::vector<RankSummary> all(neurons.size());
  for (std::size_t r = 0; r < all.size(); ++r)
    all[r] = RankSummary{neurons[r], synapses[r], static_cast<int>(threads[r]), build[r], sim[r], wait[r],
                         transfer[r], output[r], gather[r], write[r]};
  return all;
}

}  // namespace

BackendChoice parse_backend(const std::string& text) {
  if (text == "cpu") return BackendChoice::cpu;
  if (text == "gpu") return BackendChoice::gpu;
  if (text == "gpu-emulator") return BackendChoice::gpu_emulator;
  if (text == "auto") return BackendChoice::automatic;
  throw std::invalid_argument(fmt::format("--backend: '{}' is not one of cpu, gpu, gpu-emulator, auto", text));
}

RunSummary run_micro(const Circuit& circuit, const RunOptions& options) {
  std::unique_ptr<parallel::Communicator> single;
  parallel::Communicator* comm = options.communicator;
  if (comm == nullptr) {
    single = parallel::make_single_process_communicator();
    comm = single.get();
  }
  const bool root = comm->rank() == 0;
  const std::filesystem::path out_dir = options.out_dir.empty() ? default_output_dir(circuit.name) : options.out_dir;
  if (comm->size() > 1) {
    // Before anything is built, so that all ranks stop together.
    parallel::check_same_configuration(*comm, rank_configuration(circuit, options));
    parallel::check_on_root(*comm, [&] { check_output_dir(out_dir); });
  }
  micro::BackendOptions backend_options;
  backend_options.choice = options.backend;
  backend_options.threads = options.threads;
  backend_options.comm = comm;
  backend_options.log = options.log;
  backend_options.progress = [&](double f) {
    if (options.progress) options.progress("build", f);
  };
  // Chosen, checked against memory and built before the output folder is
  // made: a refusal leaves nothing behind.
  const auto build_start = std::chrono::steady_clock::now();
  const std::unique_ptr<micro::Backend> backend = micro::make_backend(circuit, backend_options);
  RunSummary summary;
  summary.build_time_s = seconds_since(build_start);
  summary.synapses = backend->n_synapses();
  summary.device = backend->device_name();
  summary.bytes_per_synapse = summary.synapses ? static_cast<double>(backend->connectivity_bytes()) /
                                                     static_cast<double>(summary.synapses)
                                               : 0.0;

  // The multimeters' values are kept in memory until the end of the run;
  // over ranks rank 0 then holds them twice (gathered, and in the single
  // process's order).
  if (const std::uint64_t bytes = micro::StateRecorder::bytes_needed(circuit);
      root && bytes * (comm->size() > 1 ? 2 : 1) > micro::available_memory_bytes() / 2)
    throw std::runtime_error(fmt::format(
        "the multimeters of circuit '{}' would record {:.2f} GiB{}, more than half of the {:.2f} GiB of memory "
        "available; record fewer neurons or variables, or a longer interval",
        circuit.name, bytes / 1073741824.0, comm->size() > 1 ? ", twice on rank 0 (gathered from every rank)" : "",
        micro::available_memory_bytes() / 1073741824.0));

  // Rank 0 writes the output: every rank receives every spike in the
  // exchange, so rank 0's recorder sees the whole network's spikes (no
  // separate gather). The other ranks record statistics, and the
  // multimeters of their own neurons, which rank 0 gathers after the run.
  std::optional<OutputDir> out;
  if (root) out.emplace(out_dir);
  std::unique_ptr<SpikeWriter> spike_writer;
  if (root && circuit.simulation.record.spikes) {
    std::vector<std::string> names;
    for (const Population& p : circuit.populations) names.push_back(p.name);
    spike_writer = std::make_unique<SpikeWriter>(out->staging_path("spikes.h5"), names);
  }
  const micro::NeuronRange local = micro::rank_neurons(circuit.total_neurons(), comm->rank(), comm->size());
  micro::Recorder recorder(
      circuit, local, spike_writer.get(),
      [&](double f) {
        if (options.progress) options.progress("simulate", f);
      },
      options.interrupt);

  const auto sim_start = std::chrono::steady_clock::now();
  const std::uint64_t steps_done = backend->simulate(recorder.total_steps(), recorder, recorder.stop_flag());
  summary.sim_time_s = seconds_since(sim_start);
  try {
    recorder.rethrow_write_failure();  // a full disk stopped the run early
  } catch (const std::exception& e) {
    throw std::runtime_error(fmt::format(
        "{}; the run stopped after {:.1f} of {:.1f} ms; {} holds only unfinished '.part' files", e.what(),
        double(steps_done) * circuit.simulation.dt_ms, double(recorder.total_steps()) * circuit.simulation.dt_ms,
        out_dir.string()));
  }
  // The outputs after the run: rank 0 writes the files (their .part names),
  // gathering the multimeters from every rank first. Timed per rank, with
  // the recording during the run, as the outputs' cost.
  const auto output_start = std::chrono::steady_clock::now();
  double output_write_s = recorder.writing_s(), output_gather_s = 0.0;
  const auto timed = [](double& total, const auto& work) {
    const auto start = std::chrono::steady_clock::now();
    work();
    total += seconds_since(start);
  };
  timed(output_write_s, [&] {
    recorder.flush();
    if (spike_writer) spike_writer->close();
  });
  const bool complete = steps_done == recorder.total_steps();  // agreed by every rank in the exchange
  if (complete && !circuit.multimeters.empty()) {
    std::vector<StateReport> gathered;
    if (comm->size() > 1) {
      gathered = micro::gather_state_reports(*comm, circuit, recorder.state_reports());
      output_gather_s = comm->times().gather_transfer_s;  // its waiting for rank 0's spike file is in output_s
    }
    const std::vector<StateReport>& reports = comm->size() > 1 ? gathered : recorder.state_reports();
    if (root) timed(output_write_s, [&] { write_state_reports(out->staging_path("state.h5"), reports); });
  }
  if (complete && root)
    timed(output_write_s, [&] { write_activity(out->staging_path("activity.h5"), recorder.activity()); });
  const double output_s = recorder.recording_s() + seconds_since(output_start);

  const SimulationSpec& sim = circuit.simulation;
  summary.circuit = circuit.name;
  summary.backend = backend->name();
  summary.threads = backend->threads();
  summary.seed = sim.seed;
  summary.dt_ms = sim.dt_ms;
  summary.t_sim_ms = sim.t_sim_ms;
  summary.t_presim_ms = sim.t_presim_ms;
  summary.neurons = circuit.total_neurons();
  summary.memory_estimate_bytes = backend->memory_estimate().total_bytes();
  summary.real_time_factor = summary.sim_time_s / ((sim.t_sim_ms + sim.t_presim_ms) * 1e-3);
  summary.complete = complete;
  summary.version = kVersion;
  summary.commit = kGitCommit;
  summary.out_dir = out_dir;
  summary.ranks = comm->size();
  summary.rank = comm->rank();
  if (comm->size() > 1) summary.mpi = comm->description();
  summary.min_delay_ms = micro::min_delay_steps(circuit) * sim.dt_ms;
  summary.exchanges = comm->size() > 1 ? comm->times().exchanges : 0;
  RankSummary mine;
  mine.neurons = micro::rank_neurons(circuit.total_neurons(), comm->rank(), comm->size()).size();
  mine.synapses = backend->n_synapses();
  mine.threads = backend->threads();
  mine.build_time_s = summary.build_time_s;
  mine.sim_time_s = summary.sim_time_s;
  mine.exchange_wait_s = comm->times().wait_s;
  mine.exchange_transfer_s = comm->times().transfer_s;
  mine.output_s = output_s;
  mine.output_gather_s = output_gather_s;
  mine.output_write_s = output_write_s;
  // A collective: rank 0 commits the folder only after every rank got here.
  summary.per_rank = gather_rank_summaries(*comm, mine);
  if (comm->size() > 1) {  // bytes_per_synapse stays this rank's
    summary.synapses = 0;
    for (const RankSummary& r : summary.per_rank) summary.synapses += r.synapses;
  }
  for (std::size_t p = 0; p < circuit.populations.size(); ++p) {
    PopulationSummary ps;
    ps.name = circuit.populations[p].name;
    ps.size = circuit.populations[p].size;
    ps.spikes = recorder.spike_count(p);
    ps.rate_hz = static_cast<double>(ps.spikes) / (static_cast<double>(ps.size) * sim.t_sim_ms * 1e-3);
    ps.cv_isi = recorder.mean_cv_isi(p);
    summary.populations.push_back(ps);
  }
  summary.peak_rss_bytes = peak_rss_bytes();
  if (!summary.complete || !root) return summary;  // only .part files stay behind

  write_text_file(out->staging_path("summary.json"), summary_to_json(summary));
  out->commit();
  return summary;
}

}  // namespace micromeso
