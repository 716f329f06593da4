// Orchestration of a microscopic run: memory check, construction, simulation,
// recording, and the output folder committed only when everything is written.
#include <chrono>
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>

#include <fmt/format.h>

#include "micro/backend_factory.hpp"
#include "micro/network.hpp"
#include "micro/recorder.hpp"
#include "micro/state_recorder.hpp"
#include "micromeso/output.hpp"
#include "micromeso/run.hpp"
#include "micromeso/version.hpp"

namespace micromeso {
namespace {

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
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
  micro::BackendOptions backend_options;
  backend_options.choice = options.backend;
  backend_options.threads = options.threads;
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

  // The multimeters' values are kept in memory until the end of the run.
  if (const std::uint64_t bytes = micro::StateRecorder::bytes_needed(circuit);
      bytes > micro::available_memory_bytes() / 2)
    throw std::runtime_error(fmt::format(
        "the multimeters of circuit '{}' would record {:.2f} GiB, more than half of the {:.2f} GiB of memory "
        "available; record fewer neurons or variables, or a longer interval",
        circuit.name, bytes / 1073741824.0, micro::available_memory_bytes() / 1073741824.0));

  OutputDir out(options.out_dir.empty() ? default_output_dir(circuit.name) : options.out_dir);
  std::unique_ptr<SpikeWriter> spike_writer;
  if (circuit.simulation.record.spikes) {
    std::vector<std::string> names;
    for (const Population& p : circuit.populations) names.push_back(p.name);
    spike_writer = std::make_unique<SpikeWriter>(out.staging_path("spikes.h5"), names);
  }
  micro::Recorder recorder(
      circuit, spike_writer.get(),
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
        out.path().string()));
  }
  recorder.flush();
  if (spike_writer) spike_writer->close();

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
  summary.complete = steps_done == recorder.total_steps();
  summary.version = kVersion;
  summary.commit = kGitCommit;
  summary.out_dir = out.path();
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
  if (!summary.complete) return summary;  // only .part files stay behind

  write_activity(out.staging_path("activity.h5"), recorder.activity());
  if (!circuit.multimeters.empty()) write_state_reports(out.staging_path("state.h5"), recorder.state_reports());
  write_text_file(out.staging_path("summary.json"), summary_to_json(summary));
  out.commit();
  return summary;
}

}  // namespace micromeso
