// Orchestration of a mesoscopic run: same output folder, activity layout and
// summary.json as a microscopic run, so every analysis treats both alike.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <string>

#include <fmt/format.h>

#include "micromeso/meso.hpp"
#include "micromeso/output.hpp"
#include "micromeso/run.hpp"
#include "micromeso/version.hpp"

namespace micromeso {
namespace {

// The input-noise option's main neglected term (src/meso/input_noise.hpp):
// survivors biased to low fluctuations, of relative order rate x (tau_m +
// tau_syn) x (exp(sigma^2 / Delta_V^2) - 1); about half of it is the error
// measured against spiking neurons. Above 0.1 the rate may be off by 5 % or more.
std::string input_noise_warning(const Population& p, double rate_hz, double variance_mV2) {
  const NeuronParams& n = p.neuron;
  const double order = rate_hz * 1e-3 * (n.tau_m_ms + std::max(n.tau_syn_ex_ms, n.tau_syn_in_ms)) *
                       std::expm1(variance_mV2 / (n.Delta_V_mV * n.Delta_V_mV));
  if (order <= 0.1) return "";
  return fmt::format("population '{}': --input-noise is outside its range (rate x (tau_m + tau_syn) x "
                     "(exp(sigma^2 / Delta_V^2) - 1) = {:.2f} > 0.1, sigma^2 = {:.3g} mV^2): its rate may be "
                     "overestimated by {:.0f} % or more",
                     p.name, order, variance_mV2, 50.0 * order);
}

}  // namespace

RunSummary run_meso(const Circuit& circuit, const MesoRunOptions& options) {
  meso::MesoOptions mo;
  mo.noise = meso::parse_noise_model(options.noise);
  mo.lambda_correction = options.lambda_correction;
  if (options.exact_history) mo.block_kernel_change_Delta_V = 0.0;
  mo.input_noise = options.input_noise;
  mo.paper_free_pool = options.paper_free_pool;
  meso::check_meso_circuit(circuit);
  const SimulationSpec& sim = circuit.simulation;
  const auto steps_of = [&](double ms) { return static_cast<std::uint64_t>(std::llround(ms / sim.dt_ms)); };
  const std::uint64_t presim = steps_of(sim.t_presim_ms), recorded = steps_of(sim.t_sim_ms);
  const std::uint64_t bin = sim.record.activity_bin_ms > 0.0 ? steps_of(sim.record.activity_bin_ms) : 1;

  // The simulator checks the options before anything is written.
  meso::MesoSimulator simulator(circuit, mo);
  OutputDir out(options.out_dir.empty() ? default_output_dir(circuit.name + "-meso") : options.out_dir);
  const auto start = std::chrono::steady_clock::now();
  const std::size_t P = circuit.populations.size();
  PopulationActivity activity;
  for (const Population& p : circuit.populations) {
    activity.names.push_back(p.name);
    activity.sizes.push_back(p.size);
  }
  activity.bin_ms = double(bin) * sim.dt_ms;
  activity.t_start_ms = double(presim) * sim.dt_ms;
  activity.counts.assign(P, std::vector<double>((recorded + bin - 1) / bin, 0.0));
  std::vector<double> noise_variance_sum_mV2(P, 0.0);  // over the recorded steps
  const std::uint64_t total = presim + recorded, report_every = std::max<std::uint64_t>(1, total / 100);
  std::uint64_t done = 0;
  for (; done < total; ++done) {
    if (options.interrupt && options.interrupt->load(std::memory_order_relaxed)) break;
    simulator.step();
    if (done >= presim)
      for (std::size_t p = 0; p < P; ++p) {
        activity.counts[p][(done - presim) / bin] += simulator.spike_counts()[p];
        noise_variance_sum_mV2[p] += simulator.input_noise_variance_mV2(p);
      }
    if (options.progress && (done % report_every == 0 || done + 1 == total))
      options.progress("simulate", double(done + 1) / double(total));
  }
  RunSummary s;
  s.circuit = circuit.name;
  s.engine = "meso";
  const bool master = options.noise == "master";
  s.backend = fmt::format("cpu (noise {}, {}{}{}{})", options.noise,
                          master ? "per-age draws, no Lambda"
                                 : (options.lambda_correction ? "Lambda correction" : "no Lambda correction"),
                          options.exact_history || master ? ", exact history" : "",
                          options.input_noise ? ", input noise" : "",
                          options.paper_free_pool ? ", paper free pool" : "");
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
    // (The warning is about the escape-noise threshold shift; iaf_psc_exp
    // populations take their noise into the hazard instead.)
    if (options.input_noise && recorded > 0 && circuit.populations[p].neuron.model == NeuronModel::gif_psc_exp) {
      const double mean_variance_mV2 = noise_variance_sum_mV2[p] / double(recorded);
      const std::string warning = input_noise_warning(circuit.populations[p], ps.rate_hz, mean_variance_mV2);
      if (!warning.empty()) s.warnings.push_back(warning);
    }
  }
  s.peak_rss_bytes = peak_rss_bytes();
  if (!s.complete) return s;
  write_activity(out.staging_path("activity.h5"), activity);
  write_text_file(out.staging_path("summary.json"), summary_to_json(s));
  out.commit();
  return s;
}

}  // namespace micromeso
