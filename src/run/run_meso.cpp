// Orchestration of a mesoscopic run: same output folder, activity layout and
// summary.json as a microscopic run, so every analysis treats both alike.
#include <chrono>
#include <cmath>

#include <fmt/format.h>

#include "micromeso/meso.hpp"
#include "micromeso/output.hpp"
#include "micromeso/run.hpp"
#include "micromeso/version.hpp"

namespace micromeso {

RunSummary run_meso(const Circuit& circuit, const MesoRunOptions& options) {
  meso::MesoOptions mo;
  mo.noise = meso::parse_noise_model(options.noise);
  mo.lambda_correction = options.lambda_correction;
  if (options.exact_history) mo.block_kernel_change_Delta_V = 0.0;
  mo.input_noise = options.input_noise;
  meso::check_meso_circuit(circuit);
  const SimulationSpec& sim = circuit.simulation;
  const auto steps_of = [&](double ms) { return static_cast<std::uint64_t>(std::llround(ms / sim.dt_ms)); };
  const std::uint64_t presim = steps_of(sim.t_presim_ms), recorded = steps_of(sim.t_sim_ms);
  const std::uint64_t bin = sim.record.activity_bin_ms > 0.0 ? steps_of(sim.record.activity_bin_ms) : 1;

  OutputDir out(options.out_dir.empty() ? default_output_dir(circuit.name + "-meso") : options.out_dir);
  const auto start = std::chrono::steady_clock::now();
  meso::MesoSimulator simulator(circuit, mo);
  const std::size_t P = circuit.populations.size();
  PopulationActivity activity;
  for (const Population& p : circuit.populations) {
    activity.names.push_back(p.name);
    activity.sizes.push_back(p.size);
  }
  activity.bin_ms = double(bin) * sim.dt_ms;
  activity.t_start_ms = double(presim) * sim.dt_ms;
  activity.counts.assign(P, std::vector<double>((recorded + bin - 1) / bin, 0.0));
  const std::uint64_t total = presim + recorded, report_every = std::max<std::uint64_t>(1, total / 100);
  std::uint64_t done = 0;
  for (; done < total; ++done) {
    if (options.interrupt && options.interrupt->load(std::memory_order_relaxed)) break;
    simulator.step();
    if (done >= presim)
      for (std::size_t p = 0; p < P; ++p) activity.counts[p][(done - presim) / bin] += simulator.spike_counts()[p];
    if (options.progress && (done % report_every == 0 || done + 1 == total))
      options.progress("simulate", double(done + 1) / double(total));
  }
  RunSummary s;
  s.circuit = circuit.name;
  s.engine = "meso";
  s.backend = fmt::format("cpu (noise {}, {}{}{})", options.noise,
                          options.lambda_correction ? "Lambda correction" : "no Lambda correction",
                          options.exact_history ? ", exact history" : "", options.input_noise ? ", input noise" : "");
  s.threads = 1;
  s.seed = sim.seed;
  s.dt_ms = sim.dt_ms;
  s.t_sim_ms = sim.t_sim_ms;
  s.t_presim_ms = sim.t_presim_ms;
  s.neurons = circuit.total_neurons();
  s.sim_time_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  s.real_time_factor = s.sim_time_s / ((sim.t_sim_ms + sim.t_presim_ms) * 1e-3);
  s.complete = done == total;
  s.version = kVersion;
  s.commit = kGitCommit;
  s.out_dir = out.path();
  for (std::size_t p = 0; p < P; ++p) {
    PopulationSummary ps;
    ps.name = circuit.populations[p].name;
    ps.size = circuit.populations[p].size;
    double spikes = 0.0;
    for (double c : activity.counts[p]) spikes += c;
    ps.spikes = static_cast<std::uint64_t>(std::llround(spikes));
    ps.rate_hz = spikes / (double(ps.size) * sim.t_sim_ms * 1e-3);
    s.populations.push_back(ps);  // no CV: the population equations have no single neurons
  }
  s.peak_rss_bytes = peak_rss_bytes();
  if (!s.complete) return s;
  write_activity(out.staging_path("activity.h5"), activity);
  write_text_file(out.staging_path("summary.json"), summary_to_json(s));
  out.commit();
  return s;
}

}  // namespace micromeso
