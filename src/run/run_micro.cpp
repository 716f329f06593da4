// Orchestration of a microscopic run: memory check, construction, simulation,
// recording, and the output folder committed only when everything is written.
#include <algorithm>
#include <omp.h>
#include <sys/resource.h>

#include <chrono>
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>

#include <fmt/format.h>

#include "micro/cpu/cpu_backend.hpp"
#include "micro/gpu/gpu_backend.hpp"
#include "micro/network.hpp"
#include "micro/recorder.hpp"
#include "micromeso/devices.hpp"
#include "micromeso/output.hpp"
#include "micromeso/run.hpp"
#include "micromeso/version.hpp"

namespace micromeso {
namespace {

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// Default thread count: every core, but at most one thread per 2,000
// neurons. Each step ends in a barrier; for a small network the work split
// between threads is a few microseconds, less than what the barrier costs, and
// when several runs share the cores (tests run in parallel) OpenMP's spinning
// at the barrier takes the cores the other runs need and slows them a
// hundredfold. Results do not depend on the thread count.
int default_cpu_threads(const Circuit& circuit) {
  const auto by_size = static_cast<int>(std::max<std::uint64_t>(1, circuit.total_neurons() / 2000));
  return std::min(omp_get_max_threads(), by_size);
}

// A CUDA build with at least one device; otherwise `why_not` says why
// (list_devices' reason: no driver, no device, or a build without CUDA).
bool gpu_backend_available(std::string& why_not) {
  const DeviceReport report = list_devices();
  if (!report.devices.empty()) return true;
  why_not = no_device_message(report);
  return false;
}

// --backend gpu insists; auto takes the GPU when there is one and the
// circuit fits its synapse layout, and says so in the log.
bool choose_gpu(const Circuit& circuit, BackendChoice choice, const std::function<void(const std::string&)>& log) {
  if (choice == BackendChoice::cpu) return false;
  std::string why_not;
  const bool available = gpu_backend_available(why_not);
  if (choice == BackendChoice::gpu) {
    if (!available) throw std::runtime_error(fmt::format("--backend gpu: {}; use --backend cpu (or auto)", why_not));
    return true;  // GpuBackend itself refuses a circuit its layout cannot hold
  }
  const std::string layout_problem = available ? micro::gpu_layout_problem(circuit) : std::string();
  if (available && layout_problem.empty()) return true;
  log(fmt::format("backend auto: CPU ({})", available ? layout_problem : why_not));
  return false;
}

}  // namespace

BackendChoice parse_backend(const std::string& text) {
  if (text == "cpu") return BackendChoice::cpu;
  if (text == "gpu") return BackendChoice::gpu;
  if (text == "auto") return BackendChoice::automatic;
  throw std::invalid_argument(fmt::format("--backend: '{}' is not one of cpu, gpu, auto", text));
}

RunSummary run_micro(const Circuit& circuit, const RunOptions& options) {
  const auto log = [&](const std::string& line) { if (options.log) options.log(line); };
  const bool use_gpu = choose_gpu(circuit, options.backend, log);
  const int threads = options.threads > 0 ? options.threads : default_cpu_threads(circuit);

  // The GPU backend checks its device memory itself, before allocating.
  const micro::MemoryEstimate estimate =
      use_gpu ? micro::estimate_gpu_memory(circuit) : micro::estimate_cpu_memory(circuit, threads);
  if (use_gpu) {
    log(fmt::format("network: {} neurons, about {} synapses; device memory needed about {:.2f} GiB",
                    circuit.total_neurons(), estimate.expected_synapses, estimate.total_bytes() / 1073741824.0));
  } else {
    log(fmt::format("network: {} neurons, about {} synapses; memory needed about {:.2f} GiB "
                    "({:.2f} GiB available)",
                    circuit.total_neurons(), estimate.expected_synapses,
                    estimate.total_bytes() / 1073741824.0, micro::available_memory_bytes() / 1073741824.0));
    micro::check_memory_fits(estimate, fmt::format("circuit '{}'", circuit.name));
  }

  OutputDir out(options.out_dir.empty() ? default_output_dir(circuit.name) : options.out_dir);

  const auto build_start = std::chrono::steady_clock::now();
  const auto build_progress = [&](double f) {
    if (options.progress) options.progress("build", f);
  };
  RunSummary summary;
  std::unique_ptr<micro::Backend> backend;
  std::uint64_t connectivity_bytes = 0;
  if (use_gpu) {
    auto gpu = std::make_unique<micro::GpuBackend>(circuit, 0, build_progress);
    summary.synapses = gpu->n_synapses();
    connectivity_bytes = gpu->connectivity_bytes();
    summary.device = gpu->device_name();
    log(fmt::format("GPU backend on {}", gpu->device_name()));
    backend = std::move(gpu);
  } else {
    micro::Network network = micro::build_network(circuit, threads, build_progress);
    summary.synapses = network.n_synapses();
    connectivity_bytes = network.connectivity_bytes();
    backend = std::make_unique<micro::CpuBackend>(circuit, std::move(network), threads);
  }
  summary.build_time_s = seconds_since(build_start);
  summary.bytes_per_synapse =
      summary.synapses ? static_cast<double>(connectivity_bytes) / static_cast<double>(summary.synapses) : 0.0;

  std::unique_ptr<SpikeWriter> spike_writer;
  if (circuit.simulation.record.spikes) {
    std::vector<std::string> names;
    for (const Population& p : circuit.populations) names.push_back(p.name);
    spike_writer = std::make_unique<SpikeWriter>(out.staging_path("spikes.h5"), names);
  }
  micro::Recorder recorder(circuit, spike_writer.get(), [&](double f) {
    if (options.progress) options.progress("simulate", f);
  });

  const auto sim_start = std::chrono::steady_clock::now();
  const std::uint64_t steps_done = backend->simulate(recorder.total_steps(), recorder, options.interrupt);
  summary.sim_time_s = seconds_since(sim_start);
  recorder.flush();
  if (spike_writer) spike_writer->close();

  const SimulationSpec& sim = circuit.simulation;
  summary.circuit = circuit.name;
  summary.backend = backend->name();
  summary.threads = threads;
  summary.seed = sim.seed;
  summary.dt_ms = sim.dt_ms;
  summary.t_sim_ms = sim.t_sim_ms;
  summary.t_presim_ms = sim.t_presim_ms;
  summary.neurons = circuit.total_neurons();
  summary.memory_estimate_bytes = estimate.total_bytes();
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
  write_text_file(out.staging_path("summary.json"), summary_to_json(summary));
  out.commit();
  return summary;
}

}  // namespace micromeso
