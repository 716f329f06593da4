#include <memory>

#include <fmt/format.h>

#include "cli/commands.hpp"
#include "cli/validators.hpp"
#include "cli/progress_bar.hpp"

namespace micromeso::cli {

void add_simulation_options(CLI::App& app, SimulationArgs& a, const std::string& default_circuit) {
  auto* circuit = app.add_option("circuit", a.circuit,
                                 "Built-in circuit name (see `micromeso models`) or a circuit .toml file");
  if (default_circuit.empty())
    circuit->required();
  else
    circuit->default_val(default_circuit);
  app.add_option("--t", a.t, "Recorded biological time after the transient: 1000 (ms), 500ms, 10s")->check(duration);
  app.add_option("--presim", a.presim, "Transient simulated first and discarded: 500 (ms), 0.5s")->check(duration);
  app.add_option("--dt", a.dt_ms, "Time step in ms")->check(positive_number);
  app.add_option("--seed", a.seed, "Seed of every random number (connectivity, input, initial state)")
      ->check(seed_value);
  app.add_option("--scale", a.scale, "Neuron-number scaling of a built-in circuit, in (0, 1]")->check(fraction);
  app.add_option("--k-scale", a.k_scale,
                 "In-degree scaling of a built-in circuit, in (0, 1]; weights and DC input compensate")
      ->check(fraction);
  app.add_option("--backend", a.backend,
                 "cpu, gpu, gpu-emulator or auto (the GPU when a CUDA device is present). gpu-emulator runs the "
                 "GPU engine's own kernels on the CPU: a slow debugging aid, same spikes as cpu")
      ->check(CLI::IsMember({"cpu", "gpu", "gpu-emulator", "auto"}))
      ->capture_default_str();
  app.add_option("--threads", a.threads,
                 "CPU threads (default: all cores, at most one per 2,000 neurons; at most 4 x the cores)")
      ->check(non_negative_number);
  app.add_option("--out", a.out, "Output folder (default: a new folder under ./runs/)")->check(non_empty);
  app.add_flag("--no-spikes", a.no_spikes, "Record population activity only, no spike file");
  app.add_option("--activity-bin", a.activity_bin_ms, "Bin of the population activity in ms (default: dt)")
      ->check(positive_number);
}

SimulationOverrides overrides_of(const SimulationArgs& a) {
  SimulationOverrides o;
  o.dt_ms = a.dt_ms;
  if (a.t) o.t_sim_ms = parse_duration_ms(*a.t);
  if (a.presim) o.t_presim_ms = parse_duration_ms(*a.presim);
  o.seed = a.seed;
  if (a.no_spikes) o.record_spikes = false;
  o.activity_bin_ms = a.activity_bin_ms;
  return o;
}

RunOptions run_options_of(const SimulationArgs& a, const std::atomic<bool>* interrupt) {
  RunOptions r;
  r.backend = parse_backend(a.backend);
  r.threads = a.threads;
  r.out_dir = a.out;
  auto bar = std::make_shared<ProgressBar>();
  r.progress = [bar](const std::string& phase, double f) {
    bar->update(phase, f);
    if (f >= 1.0) bar->finish();
  };
  r.log = [bar](const std::string& line) {
    bar->finish();
    fmt::print(stderr, "{}\n", line);
  };
  r.interrupt = interrupt;
  return r;
}

}  // namespace micromeso::cli
